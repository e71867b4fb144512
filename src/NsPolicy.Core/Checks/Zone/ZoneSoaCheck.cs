using System.Globalization;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Zone;

/// <summary>A zone has exactly one SOA record, at its apex (RFC 1035 §5.2, RFC 2181 §6.1).</summary>
public sealed class ZoneSoaCheck : IZoneCheck
{
    public static readonly Rule Missing = new(
        "ZONE_SOA_MISSING",
        Severity.Error,
        "The zone file has no SOA record at the apex",
        "Every zone starts with one SOA record at its apex (RFC 1035 §5.2); without it no name server loads the zone. Check that the file's $ORIGIN (or the origin it is checked with) is the zone's name, and add the SOA.");

    public static readonly Rule Multiple = new(
        "ZONE_SOA_MULTIPLE",
        Severity.Error,
        "The zone file has more than one SOA record at the apex",
        "A zone has exactly one SOA record (RFC 2181 §6.1); name servers reject a zone with several, or keep an arbitrary one. Keep one SOA.");

    public static readonly Rule NotAtApex = new(
        "ZONE_SOA_NOT_AT_APEX",
        Severity.Error,
        "An SOA record is below the zone's apex",
        "An SOA record marks the top of a zone (RFC 1035 §5.2) and may stand nowhere else in it; BIND refuses to load the zone. Often a child zone's records were pasted into the parent's file: move them to the child's file, or delegate the child with NS records.");

    public IReadOnlyList<Rule> Rules { get; } = [Missing, Multiple, NotAtApex];

    public bool NeedsPolicy => false;

    public IEnumerable<Finding> Run(ZoneCheckContext context)
    {
        foreach (var below in context.Zone.SoasBelowApex)
        {
            yield return new Finding(NotAtApex.Code, ZoneCheckContext.At(below.Position),
                $"SOA record at {below.Owner}, below the apex of zone {context.ZoneName}; an SOA belongs only at the apex", context.ZoneName)
            {
                Expected = $"SOA only at {context.ZoneName}",
                Found = $"SOA at {below.Owner}",
                Subject = $"{below.Owner} SOA",
            };
        }

        var soas = context.Zone.Soas;
        if (soas.Count == 0)
        {
            yield return new Finding(Missing.Code, context.AtFileStart, $"zone {context.ZoneName} has no SOA record at its apex", context.ZoneName)
            {
                Expected = "1 SOA record",
                Found = "0",
                Subject = "SOA",
            };
            yield break;
        }

        foreach (var extra in soas.Skip(1))
        {
            yield return new Finding(Multiple.Code, ZoneCheckContext.At(extra.Position),
                string.Create(CultureInfo.InvariantCulture, $"zone {context.ZoneName} has {soas.Count} SOA records at its apex; the first is at {soas[0].Position}"),
                context.ZoneName)
            {
                Expected = "1 SOA record",
                Found = soas.Count.ToString(CultureInfo.InvariantCulture),
                Subject = "SOA",
            };
        }
    }
}
