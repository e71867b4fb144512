using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Live;

/// <summary>The NS set at the parent is the one the policy states: this is who controls the zone.</summary>
public sealed class ParentNsCheck : ILiveCheck
{
    public static readonly Rule Mismatch = new(
        "PARENT_NS_MISMATCH",
        Severity.Error,
        "The parent delegates to other nameservers than the policy states",
        "Whoever runs the nameservers at the parent controls the zone's mail, web and certificates. A delegation that differs from the policy is either a change nobody recorded or a hijack (a registrar account takeover). Compare with your registrar and correct the delegation or the policy.");

    public IReadOnlyList<Rule> Rules { get; } = [Mismatch];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        if (!context.TargetIsParent)
        {
            yield break;
        }

        foreach (var zone in context.Zones)
        {
            if (zone.ParentNs.Count == 0 || zone.ParentNs.SequenceEqual(zone.PolicyNs))
            {
                continue;
            }

            var missing = zone.PolicyNs.Except(zone.ParentNs).ToList();
            var extra = zone.ParentNs.Except(zone.PolicyNs).ToList();
            yield return zone.Finding(Mismatch, zone.NameserversLocation,
                $"the parent delegates zone {zone.Name} to {LiveZone.List(zone.ParentNs)}; the policy expects {LiveZone.List(zone.PolicyNs)} (missing: {LiveZone.List(missing)}; unexpected: {LiveZone.List(extra)})") with
            {
                Expected = LiveZone.List(zone.PolicyNs),
                Found = LiveZone.List(zone.ParentNs),
            };
        }
    }
}
