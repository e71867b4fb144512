using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Live;

/// <summary>Says when a zone's evidence is incomplete because its deadline passed.</summary>
public sealed class DeadlineCheck : ILiveCheck
{
    public static readonly Rule Exceeded = new(
        "CHILD_DEADLINE_EXCEEDED",
        Severity.Warning,
        "Gathering the zone's evidence did not finish within its deadline",
        "Each zone has a deadline so one broken zone cannot stall a run. This zone's servers answered so slowly, or so many of them timed out, that some questions were not asked; the other findings for it may be incomplete. Raise --timeout, or fix the slow servers.");

    public IReadOnlyList<Rule> Rules { get; } = [Exceeded];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones)
        {
            if (zone.Evidence.DeadlineExceeded)
            {
                yield return zone.Finding(Exceeded, zone.ZoneLocation,
                    $"the deadline for zone {zone.Name} passed before every question was asked; findings for it may be incomplete");
            }
        }
    }
}
