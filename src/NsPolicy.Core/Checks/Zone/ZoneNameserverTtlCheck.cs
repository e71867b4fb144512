using System.Globalization;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Zone;

/// <summary>The TTL of the apex NS records lies within the policy's ns-ttl range.</summary>
public sealed class ZoneNameserverTtlCheck : IZoneCheck
{
    public static readonly Rule OutOfRange = new(
        "ZONE_NS_TTL_OUT_OF_RANGE",
        Severity.Warning,
        "The apex NS TTL is outside the policy's ns-ttl range",
        "A very short NS TTL makes resolvers ask again and again and leaves the zone fragile when its servers are slow; a very long one makes a change of nameservers (or recovering from a hijack) take days. Set the NS records' TTL within the policy's ns-ttl bounds, or change the bounds.");

    public IReadOnlyList<Rule> Rules { get; } = [OutOfRange];

    public bool NeedsPolicy => true;

    public IEnumerable<Finding> Run(ZoneCheckContext context)
    {
        var range = context.Policy!.NsTtl.Value;
        var expected = string.Create(CultureInfo.InvariantCulture, $"{range.Min}..{range.Max}");
        foreach (var ns in context.Zone.ApexNameservers.DistinctBy(n => n.Ttl).Where(n => !range.Contains(n.Ttl)))
        {
            yield return new Finding(OutOfRange.Code, ZoneCheckContext.At(ns.Position),
                string.Create(CultureInfo.InvariantCulture, $"apex NS TTL {ns.Ttl} of zone {context.ZoneName} is outside the policy's ns-ttl range {range.Min}..{range.Max} seconds"),
                context.ZoneName)
            {
                Expected = expected,
                Found = ns.Ttl.ToString(CultureInfo.InvariantCulture),
                Subject = string.Create(CultureInfo.InvariantCulture, $"NS TTL {ns.Ttl}"),
            };
        }
    }
}
