// RFC 4035 §5.2: a DS at the parent authenticates the zone only through a DNSKEY of the zone that
// it matches (key tag, algorithm and digest of owner name and key, RFC 4034 §5.1.4).
using NsPolicy.Core.Findings;
using NsPolicy.Dns.Dnssec;

namespace NsPolicy.Core.Checks.Live;

/// <summary>The parent's DS records point to a DNSKEY the zone publishes.</summary>
public sealed class DsKeyCheck : ILiveCheck
{
    public static readonly Rule NoMatchingKey = new(
        "DNSSEC_DS_NO_MATCHING_KEY",
        Severity.Error,
        "No DS at the parent matches a DNSKEY of the zone",
        "Validating resolvers follow the DS at the parent to a key of the zone. When no DS matches any published DNSKEY the chain of trust is broken and every validating resolver answers SERVFAIL for the whole zone. Publish the DS of the current key-signing key (or re-add the key), typically after a botched key rollover.");

    public static readonly Rule UnsignedZone = new(
        "DNSSEC_DS_UNSIGNED_ZONE",
        Severity.Error,
        "The parent has DS records but the zone publishes no DNSKEY",
        "A DS at the parent tells validating resolvers that the zone is signed. If it is not, they cannot validate anything and answer SERVFAIL for the whole zone. Remove the DS at the registrar, or sign the zone.");

    public IReadOnlyList<Rule> Rules { get; } = [NoMatchingKey, UnsignedZone];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones)
        {
            if (zone.ParentDs.Count == 0 || zone.DnskeyAnswers.Count == 0)
            {
                continue;
            }

            var ds = string.Join("; ", zone.ParentDs.Select(ParentDsCheck.Describe).Order(StringComparer.Ordinal));
            if (zone.Dnskeys.Count == 0)
            {
                yield return zone.Finding(UnsignedZone, zone.DsLocation,
                    $"the parent publishes DS {ds} for zone {zone.Name}, but its servers publish no DNSKEY") with
                {
                    Expected = "a DNSKEY matching the DS",
                    Found = "no DNSKEY",
                };
                continue;
            }

            var supported = zone.ParentDs.Where(d => DsDigest.IsSupported(d.DigestType)).ToList();
            if (supported.Count > 0 && !supported.Any(d => zone.Dnskeys.Any(k => DsDigest.Matches(d, zone.Policy.Zone, k))))
            {
                var keys = string.Join(", ", zone.Dnskeys.Select(k => $"{k.KeyTag}/{(byte)k.Algorithm}").Distinct().Order(StringComparer.Ordinal));
                yield return zone.Finding(NoMatchingKey, zone.DsLocation,
                    $"no DS of zone {zone.Name} at the parent ({ds}) matches a DNSKEY the zone publishes (key tag/algorithm: {keys})") with
                {
                    Expected = "a DS matching a DNSKEY",
                    Found = "DNSKEY " + keys,
                };
            }
        }
    }
}
