using System.Globalization;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Zone;

/// <summary>A name with a CNAME has no other data, and only one CNAME (RFC 1034 §3.6.2, RFC 2181 §10.1).</summary>
public sealed class ZoneCnameCheck : IZoneCheck
{
    public static readonly Rule OtherData = new(
        "ZONE_CNAME_AND_OTHER_DATA",
        Severity.Error,
        "A CNAME shares its name with other data",
        "A name that has a CNAME can have no other records (RFC 1034 §3.6.2, RFC 2181 §10.1) apart from the DNSSEC records RRSIG and NSEC (RFC 4035 §2.5), and only one CNAME. Name servers reject the zone or serve one of the two at random. Move the other records to the CNAME's target, or drop the CNAME.");

    public IReadOnlyList<Rule> Rules { get; } = [OtherData];

    public bool NeedsPolicy => false;

    public IEnumerable<Finding> Run(ZoneCheckContext context)
    {
        foreach (var owner in context.Zone.Cnames)
        {
            if (owner.OtherType is { } type)
            {
                yield return new Finding(OtherData.Code, ZoneCheckContext.At(owner.Cnames[0]),
                    $"{owner.Owner} has a CNAME and also a {type} record (at {owner.OtherPosition}); a CNAME must be the only data at its name", context.ZoneName)
                {
                    Expected = "only the CNAME",
                    Found = $"CNAME and {type}",
                    Subject = owner.Owner.ToString(),
                };
            }
            else if (owner.Cnames.Count > 1)
            {
                yield return new Finding(OtherData.Code, ZoneCheckContext.At(owner.Cnames[1]),
                    string.Create(CultureInfo.InvariantCulture, $"{owner.Owner} has {owner.Cnames.Count} CNAME records; a name can have only one (the first is at {owner.Cnames[0]})"),
                    context.ZoneName)
                {
                    Expected = "1 CNAME",
                    Found = owner.Cnames.Count.ToString(CultureInfo.InvariantCulture),
                    Subject = owner.Owner.ToString(),
                };
            }
        }
    }
}
