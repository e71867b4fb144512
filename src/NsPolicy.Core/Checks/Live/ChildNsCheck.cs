using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Live;

/// <summary>The zone's own apex NS set matches the policy and the parent (RFC 1034 §4.2.2, RFC 2181 §5.4.1).</summary>
public sealed class ChildNsCheck : ILiveCheck
{
    public static readonly Rule PolicyMismatch = new(
        "CHILD_NS_MISMATCH_POLICY",
        Severity.Error,
        "The zone's apex NS set differs from the policy",
        "Resolvers replace the parent's NS set with the one in the zone itself once they reach it, so the apex NS records decide where queries go for as long as they are cached. Edit the zone's NS records, or the policy.");

    public static readonly Rule ParentMismatch = new(
        "CHILD_NS_MISMATCH_PARENT",
        Severity.Warning,
        "The zone's apex NS set differs from the parent's delegation",
        "When the parent and the zone name different nameservers, which servers a resolver uses depends on what it cached first; a server listed on one side only is easily forgotten when it is retired. Make the two NS sets identical.");

    public IReadOnlyList<Rule> Rules { get; } = [PolicyMismatch, ParentMismatch];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones)
        {
            if (zone.ChildNs.Count == 0)
            {
                continue;
            }

            if (!zone.ChildNs.SequenceEqual(zone.PolicyNs))
            {
                yield return zone.Finding(PolicyMismatch, zone.NameserversLocation,
                    $"the apex NS set of zone {zone.Name} is {LiveZone.List(zone.ChildNs)}; the policy expects {LiveZone.List(zone.PolicyNs)}") with
                {
                    Expected = LiveZone.List(zone.PolicyNs),
                    Found = LiveZone.List(zone.ChildNs),
                };
            }

            if (context.TargetIsParent && zone.ParentNs.Count > 0 && !zone.ChildNs.SequenceEqual(zone.ParentNs))
            {
                yield return zone.Finding(ParentMismatch, zone.NameserversLocation,
                    $"the apex NS set of zone {zone.Name} is {LiveZone.List(zone.ChildNs)}, but the parent delegates to {LiveZone.List(zone.ParentNs)}") with
                {
                    Expected = LiveZone.List(zone.ParentNs),
                    Found = LiveZone.List(zone.ChildNs),
                };
            }
        }
    }
}
