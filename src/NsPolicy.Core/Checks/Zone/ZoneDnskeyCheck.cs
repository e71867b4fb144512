using System.Collections.Immutable;
using System.Globalization;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;
using NsPolicy.Dns.Dnssec;
using NsPolicy.Dns.Records;

namespace NsPolicy.Core.Checks.Zone;

/// <summary>
/// The DNSKEY records in the zone file against the policy: each DS of the policy must match one of
/// them (digest recomputed, RFC 4034 §5.1.4), a signed zone needs keys, an unsigned one has none.
/// </summary>
public sealed class ZoneDnskeyCheck : IZoneCheck
{
    public static readonly Rule DsWithoutKey = new(
        "ZONE_DS_NO_MATCHING_DNSKEY",
        Severity.Error,
        "A DS of the policy matches no DNSKEY in the zone file",
        "The policy's DS record (what the parent publishes) must be the digest of one of the zone's DNSKEYs. When none matches, validating resolvers cannot build a chain of trust and the zone fails with SERVFAIL once the parent serves this DS. Compute the DS from the current key-signing key (`dnssec-dsfromkey`), or publish the key the DS refers to.");

    public static readonly Rule KeysMissing = new(
        "ZONE_DNSKEY_MISSING",
        Severity.Error,
        "A zone the policy expects signed has no DNSKEY in its zone file",
        "The policy says dnssec: signed, but the zone file has no DNSKEY records, so the DS records cannot be checked against it. If a signer adds the keys later (inline signing), acknowledge this finding or switch it off in settings.severity; otherwise add the DNSKEY records.");

    public static readonly Rule KeysUnexpected = new(
        "ZONE_DNSKEY_UNEXPECTED",
        Severity.Warning,
        "A zone the policy expects unsigned has DNSKEY records",
        "The policy says dnssec: unsigned, but the zone file publishes DNSKEY records. Either the zone is being signed and the policy (and the DS at the parent) should follow, or the keys are left over. Update the policy or remove the keys.");

    public IReadOnlyList<Rule> Rules { get; } = [DsWithoutKey, KeysMissing, KeysUnexpected];

    public bool NeedsPolicy => true;

    public IEnumerable<Finding> Run(ZoneCheckContext context)
    {
        var policy = context.Policy!;
        var keys = context.Zone.Dnskeys;
        var origin = context.Zone.Origin;
        if (keys.Count == 0)
        {
            if (policy.Dnssec.Value == DnssecExpectation.Signed)
            {
                yield return new Finding(KeysMissing.Code, context.AtPolicy(policy.Dnssec.Position),
                    $"the policy expects zone {context.ZoneName} to be signed, but {context.File} has no DNSKEY records", context.ZoneName)
                {
                    Expected = "DNSKEY records",
                    Found = "none",
                    Subject = "DNSKEY",
                    MentionedFile = context.File,
                };
            }

            yield break;
        }

        var tags = string.Join(", ", keys.Select(k => Describe(k.Data)).Distinct());
        if (policy.Dnssec.Value == DnssecExpectation.Unsigned)
        {
            yield return new Finding(KeysUnexpected.Code, ZoneCheckContext.At(keys[0].Position),
                $"the policy expects zone {context.ZoneName} to be unsigned, but the zone file has DNSKEY records ({tags})", context.ZoneName)
            {
                Expected = "no DNSKEY records",
                Found = tags,
                Subject = "DNSKEY",
            };
        }

        foreach (var ds in policy.Ds)
        {
            var type = (DsDigestType)ds.DigestType;
            if (!DsDigest.IsSupported(type) || DsDigest.ExpectedLength(type) * 2 != ds.Digest.Length)
            {
                // Unknown digest types and wrong lengths are policy findings; nothing to recompute here.
                continue;
            }

            var record = new DsRData(ds.KeyTag, (DnssecAlgorithm)ds.Algorithm, type, ImmutableArray.Create(Convert.FromHexString(ds.Digest)));
            if (keys.Any(k => DsDigest.Matches(record, origin, k.Data)))
            {
                continue;
            }

            var sameTag = keys.FirstOrDefault(k => k.Data.KeyTag == ds.KeyTag && (byte)k.Data.Algorithm == ds.Algorithm);
            var detail = sameTag is null
                ? $"no DNSKEY in the zone file has key tag {ds.KeyTag.ToString(CultureInfo.InvariantCulture)} and algorithm {ds.Algorithm.ToString(CultureInfo.InvariantCulture)}"
                : $"the DNSKEY with key tag {ds.KeyTag.ToString(CultureInfo.InvariantCulture)} at {sameTag.Position} has digest {Convert.ToHexString(DsDigest.Compute(origin, sameTag.Data, type).AsSpan())}";
            yield return new Finding(DsWithoutKey.Code, context.AtPolicy(ds.Position),
                string.Create(CultureInfo.InvariantCulture, $"DS {ds.KeyTag} (algorithm {ds.Algorithm}, digest type {ds.DigestType}) of zone {context.ZoneName} matches no DNSKEY in the zone file: {detail}"),
                context.ZoneName)
            {
                Expected = ds.DigestHex,
                Found = tags,
                Subject = $"{ds.KeyTag} {ds.Algorithm} {ds.DigestType} {ds.DigestHex}",
            };
        }
    }

    private static string Describe(DnskeyRData key) => string.Create(CultureInfo.InvariantCulture,
        $"{key.KeyTag}/{(byte)key.Algorithm}{(key.IsSecureEntryPoint ? " KSK" : string.Empty)}");
}
