using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Zone;

/// <summary>
/// Nameservers whose names lie inside the zone need address records in it: for the apex NS so the
/// zone's own data resolves, and for delegations as glue (RFC 1034 §4.2.1, RFC 9471).
/// </summary>
public sealed class ZoneNameserverAddressCheck : IZoneCheck
{
    public static readonly Rule ApexAddressMissing = new(
        "ZONE_NS_ADDRESS_MISSING",
        Severity.Error,
        "An in-zone nameserver of the apex has no address in the zone file",
        "The apex NS record names a host inside this zone, so only this zone can give its address; without an A or AAAA record the nameserver cannot be reached (and the parent's glue has nothing to agree with). Add the host's A/AAAA records.");

    public static readonly Rule DelegationGlueMissing = new(
        "ZONE_DELEGATION_GLUE_MISSING",
        Severity.Error,
        "A delegation in the zone lacks glue for an in-bailiwick nameserver",
        "A delegation inside this zone names a nameserver whose name lies inside this zone, but the file has no A or AAAA record for it. Resolvers cannot reach that nameserver without the address from this zone (glue, RFC 9471), so the delegated zone may not resolve. Add the glue addresses.");

    public IReadOnlyList<Rule> Rules { get; } = [ApexAddressMissing, DelegationGlueMissing];

    // A target that is a CNAME is ZONE_NS_TARGET_CNAME, one that lost its final dot
    // ZONE_NS_TARGET_DOT_MISSING; their missing address is not reported twice.

    public bool NeedsPolicy => false;

    public IEnumerable<Finding> Run(ZoneCheckContext context)
    {
        var zone = context.Zone;
        foreach (var ns in zone.NameserversWithoutAddress)
        {
            if (zone.CnameAt(ns.Target) is not null || ZoneNameserverDotCheck.MeantName(ns.Target, zone) is not null)
            {
                continue;
            }

            if (ns.Owner == zone.Origin)
            {
                yield return new Finding(ApexAddressMissing.Code, ZoneCheckContext.At(ns.Position),
                    $"nameserver {ns.Target} of zone {context.ZoneName} is inside the zone but has no A or AAAA record in the zone file", context.ZoneName)
                {
                    Expected = $"A or AAAA records for {ns.Target}",
                    Found = "none",
                    Subject = ns.Target.ToString(),
                };
            }
            else
            {
                yield return new Finding(DelegationGlueMissing.Code, ZoneCheckContext.At(ns.Position),
                    $"delegation {ns.Owner} names nameserver {ns.Target}, which is inside zone {context.ZoneName}, but the zone file has no A or AAAA record (glue) for it", context.ZoneName)
                {
                    Expected = $"glue for {ns.Target}",
                    Found = "none",
                    Subject = $"{ns.Owner} {ns.Target}",
                };
            }
        }
    }
}
