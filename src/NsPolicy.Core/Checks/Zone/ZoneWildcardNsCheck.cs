using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Zone;

/// <summary>A wildcard name cannot be a delegation point (RFC 4592 §4.2).</summary>
public sealed class ZoneWildcardNsCheck : IZoneCheck
{
    public static readonly Rule WildcardNs = new(
        "ZONE_NS_WILDCARD",
        Severity.Error,
        "An NS record is owned by a wildcard name",
        "A wildcard cannot delegate: what a wildcard NS means is undefined (RFC 4592 §4.2) and BIND refuses to load the zone. Delegate each child zone by its own name.");

    public IReadOnlyList<Rule> Rules { get; } = [WildcardNs];

    public bool NeedsPolicy => false;

    public IEnumerable<Finding> Run(ZoneCheckContext context)
    {
        foreach (var ns in context.Zone.WildcardNameservers)
        {
            yield return new Finding(WildcardNs.Code, ZoneCheckContext.At(ns.Position),
                $"NS record owned by the wildcard {ns.Owner}; a wildcard cannot delegate", context.ZoneName)
            {
                Expected = "NS records at a name without '*'",
                Found = $"{ns.Owner} NS {ns.Target}",
                Subject = $"{ns.Owner} NS",
            };
        }
    }
}
