using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;
using NsPolicy.Dns;

namespace NsPolicy.Core.Checking;

/// <summary>
/// The outcome of one check run: the policy (null when it did not load) and every finding, rated
/// once and sorted.
/// </summary>
public sealed record CheckReport(string PolicyFile, PolicyDocument? Policy, IReadOnlyList<RatedFinding> Findings)
{
    /// <summary>
    /// The zones this run checked, after --zone, --changed-since and --shard; null when the policy
    /// did not load. Zones outside it were not looked at, so nothing may be concluded about them.
    /// </summary>
    public IReadOnlyList<DnsName>? CheckedZones { get; init; }
}
