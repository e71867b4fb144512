using System.Globalization;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;
using NsPolicy.Dns.Records;

namespace NsPolicy.Core.Checks.Live;

/// <summary>The DS records at the parent are the ones the policy lists (RFC 4034 §5).</summary>
public sealed class ParentDsCheck : ILiveCheck
{
    public static readonly Rule Mismatch = new(
        "PARENT_DS_MISMATCH",
        Severity.Error,
        "The parent's DS records differ from the policy",
        "The DS records at the parent decide which keys may sign the zone. A DS the policy lists but the parent lacks breaks or weakens the chain of trust; a DS the policy does not list lets whoever holds that key sign the zone. Update the DS at the registrar (or the policy after a planned key rollover).");

    public IReadOnlyList<Rule> Rules { get; } = [Mismatch];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.ReferredZones)
        {
            if (zone.Policy.Ds.Count == 0)
            {
                continue;
            }

            var found = zone.ParentDs.Select(Describe).Order(StringComparer.Ordinal).ToList();
            var foundText = found.Count == 0 ? "none" : string.Join("; ", found);
            foreach (var spec in zone.Policy.Ds)
            {
                if (!zone.ParentDs.Any(ds => Same(spec, ds)))
                {
                    yield return zone.Finding(Mismatch, zone.At(spec.Position),
                        $"the parent does not publish DS {Describe(spec)} for zone {zone.Name}; it publishes {foundText}") with
                    {
                        Expected = Describe(spec),
                        Found = foundText,
                        Subject = Describe(spec),
                    };
                }
            }

            foreach (var ds in zone.ParentDs.Where(ds => !zone.Policy.Ds.Any(spec => Same(spec, ds))).OrderBy(Describe, StringComparer.Ordinal))
            {
                yield return zone.Finding(Mismatch, zone.DsLocation,
                    $"the parent publishes DS {Describe(ds)} for zone {zone.Name}, which the policy does not list") with
                {
                    Expected = string.Join("; ", zone.Policy.Ds.Select(Describe)),
                    Found = Describe(ds),
                    Subject = Describe(ds),
                };
            }
        }
    }

    internal static bool Same(DsSpec spec, DelegationSignerRData ds) =>
        spec.KeyTag == ds.KeyTag && spec.Algorithm == (byte)ds.Algorithm && spec.DigestType == (byte)ds.DigestType
        && string.Equals(spec.DigestHex, Convert.ToHexString(ds.Digest.AsSpan()), StringComparison.Ordinal);

    internal static string Describe(DsSpec spec) =>
        string.Create(CultureInfo.InvariantCulture, $"{spec.KeyTag} {spec.Algorithm} {spec.DigestType} {spec.DigestHex}");

    internal static string Describe(DelegationSignerRData ds) =>
        string.Create(CultureInfo.InvariantCulture, $"{ds.KeyTag} {(byte)ds.Algorithm} {(byte)ds.DigestType} {Convert.ToHexString(ds.Digest.AsSpan())}");
}
