using System.Globalization;
using NsPolicy.Core.Findings;
using NsPolicy.Dns.Dnssec;

namespace NsPolicy.Core.Checks.Zone;

/// <summary>
/// CDS and CDNSKEY records ask the parent to publish a DS for one of the zone's keys (RFC 7344 §4.1):
/// each must match a DNSKEY at the apex, unless it is the RFC 8078 §4 delete request.
/// </summary>
public sealed class ZoneCdsCheck : IZoneCheck
{
    public static readonly Rule NoMatchingDnskey = new(
        "ZONE_CDS_NO_MATCHING_DNSKEY",
        Severity.Error,
        "A CDS or CDNSKEY record matches no DNSKEY of the zone",
        "A CDS (or CDNSKEY) tells the parent which DS to publish; one that matches no DNSKEY in the zone would make the parent publish a DS for a key the zone does not have, and the zone would fail validation (RFC 7344 §4.1). BIND refuses such a zone. Regenerate the CDS/CDNSKEY from the current keys.");

    public IReadOnlyList<Rule> Rules { get; } = [NoMatchingDnskey];

    public bool NeedsPolicy => false;

    public IEnumerable<Finding> Run(ZoneCheckContext context)
    {
        var zone = context.Zone;
        foreach (var cds in zone.Cds)
        {
            if (cds.Data is Dns.Records.CdsRData { IsDeleteRequest: true } || zone.Dnskeys.Any(k => DsDigest.Matches(cds.Data, zone.Origin, k.Data)))
            {
                continue;
            }

            var tag = cds.Data.KeyTag.ToString(CultureInfo.InvariantCulture);
            yield return new Finding(NoMatchingDnskey.Code, ZoneCheckContext.At(cds.Position),
                string.Create(CultureInfo.InvariantCulture, $"CDS {tag} (algorithm {(byte)cds.Data.Algorithm}, digest type {(byte)cds.Data.DigestType}) matches no DNSKEY of zone {context.ZoneName} ({zone.Dnskeys.Count} in the file)"),
                context.ZoneName)
            {
                Expected = "a DNSKEY whose digest is the CDS",
                Found = $"CDS {tag}",
                Subject = $"CDS {tag}",
            };
        }

        foreach (var cdnskey in zone.Cdnskeys)
        {
            if (cdnskey.Data.IsDeleteRequest || zone.Dnskeys.Any(k => SameKey(k.Data, cdnskey.Data)))
            {
                continue;
            }

            var tag = cdnskey.Data.KeyTag.ToString(CultureInfo.InvariantCulture);
            yield return new Finding(NoMatchingDnskey.Code, ZoneCheckContext.At(cdnskey.Position),
                $"CDNSKEY {tag} is not one of the DNSKEY records of zone {context.ZoneName}", context.ZoneName)
            {
                Expected = "a DNSKEY equal to the CDNSKEY",
                Found = $"CDNSKEY {tag}",
                Subject = $"CDNSKEY {tag}",
            };
        }
    }

    private static bool SameKey(Dns.Records.KeyRData a, Dns.Records.KeyRData b) =>
        a.Flags == b.Flags && a.Protocol == b.Protocol && a.Algorithm == b.Algorithm && a.PublicKey.AsSpan().SequenceEqual(b.PublicKey.AsSpan());
}
