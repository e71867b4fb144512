using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Zone;

/// <summary>An NS record must name a host, not an alias (RFC 2181 §10.3).</summary>
public sealed class ZoneNameserverCnameCheck : IZoneCheck
{
    public static readonly Rule TargetIsCname = new(
        "ZONE_NS_TARGET_CNAME",
        Severity.Error,
        "An NS record names a CNAME",
        "The name in an NS record must have its own A/AAAA records, never be an alias (RFC 2181 §10.3). Many resolvers will not follow the CNAME and treat the nameserver as unreachable. Point the NS record at the host's real name.");

    public IReadOnlyList<Rule> Rules { get; } = [TargetIsCname];

    public bool NeedsPolicy => false;

    public IEnumerable<Finding> Run(ZoneCheckContext context)
    {
        var zone = context.Zone;
        foreach (var ns in zone.NameserversNamingCname)
        {
            if (zone.CnameAt(ns.Target) is { } cname)
            {
                yield return new Finding(TargetIsCname.Code, ZoneCheckContext.At(ns.Position),
                    $"NS record of {ns.Owner} names {ns.Target}, which is a CNAME (at {cname}); an NS must name a host with addresses", context.ZoneName)
                {
                    Expected = "a host name with A/AAAA records",
                    Found = $"CNAME {ns.Target}",
                    Subject = $"{ns.Owner} {ns.Target}",
                };
            }
        }
    }
}
