using NsPolicy.Core.Findings;
using NsPolicy.Dns;

namespace NsPolicy.Core.Reporting;

/// <summary>The findings of one zone, or (<see cref="Zone"/> null) those that belong to no zone.</summary>
public sealed record ZoneGroup(DnsName? Zone, IReadOnlyList<RatedFinding> Findings)
{
    /// <summary>
    /// Groups sorted findings by zone: findings of no zone first, then zones in the order their
    /// first finding appears. Order inside a group is kept.
    /// </summary>
    public static IReadOnlyList<ZoneGroup> Of(IReadOnlyList<RatedFinding> sorted) =>
        sorted.GroupBy(f => f.Finding.Zone)
            .OrderBy(g => g.Key is null ? 0 : 1)
            .Select(g => new ZoneGroup(g.Key, g.ToList()))
            .ToList();
}
