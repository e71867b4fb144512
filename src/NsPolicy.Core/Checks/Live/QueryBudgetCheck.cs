using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Live;

/// <summary>Says when a zone's evidence is incomplete because its query budget was spent.</summary>
public sealed class QueryBudgetCheck : ILiveCheck
{
    public static readonly Rule Exceeded = new(
        "CHILD_QUERY_BUDGET_EXCEEDED",
        Severity.Warning,
        "Gathering the zone's evidence needed more queries than one zone may send",
        "Each zone may send a bounded number of queries (600, and 1,000,000 for the whole run), so a delegation with very many servers or addresses cannot use nspolicy as an amplifier. This zone reached the bound; the questions left over were not asked and the other findings for it may be incomplete.");

    public IReadOnlyList<Rule> Rules { get; } = [Exceeded];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones)
        {
            if (zone.Evidence.QueryBudgetExceeded)
            {
                yield return zone.Finding(Exceeded, zone.ZoneLocation,
                    $"zone {zone.Name} reached its query budget before every question was asked; findings for it may be incomplete");
            }
        }
    }
}
