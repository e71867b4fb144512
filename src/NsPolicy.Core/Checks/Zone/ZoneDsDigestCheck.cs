using System.Globalization;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Zone;

/// <summary>DS records of the zone's delegations use a digest that is still recommended (RFC 8624 §3.3).</summary>
public sealed class ZoneDsDigestCheck : IZoneCheck
{
    public static readonly Rule Sha1 = new(
        "ZONE_DS_DIGEST_SHA1",
        Severity.Warning,
        "A DS record uses the SHA-1 digest (digest type 1)",
        "RFC 8624 §3.3 says a DS record MUST NOT be made with SHA-1 (digest type 1) any more: SHA-1 is broken for collisions, and validators may stop accepting it. Resolvers must still validate it, so the delegation keeps working for now (BIND warns about it as deprecated). Publish a DS with digest type 2 (SHA-256) for the same key and then remove the SHA-1 one.");

    public IReadOnlyList<Rule> Rules { get; } = [Sha1];

    public bool NeedsPolicy => false;

    public IEnumerable<Finding> Run(ZoneCheckContext context)
    {
        foreach (var ds in context.Zone.Sha1Ds)
        {
            yield return new Finding(Sha1.Code, ZoneCheckContext.At(ds.Position),
                string.Create(CultureInfo.InvariantCulture, $"DS record of {ds.Owner} for key tag {ds.Data.KeyTag} uses digest type 1 (SHA-1), which RFC 8624 says must no longer be used for DS; publish a SHA-256 (type 2) DS instead"),
                context.ZoneName)
            {
                Expected = "digest type 2 (SHA-256) or 4 (SHA-384)",
                Found = "digest type 1 (SHA-1)",
                Subject = string.Create(CultureInfo.InvariantCulture, $"{ds.Owner} DS {ds.Data.KeyTag}"),
            };
        }
    }
}
