using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;

namespace NsPolicy.Core.Checking;

/// <summary>
/// The outcome of one check run: the policy (null when it did not load) and every finding, rated
/// once and sorted.
/// </summary>
public sealed record CheckReport(string PolicyFile, PolicyDocument? Policy, IReadOnlyList<RatedFinding> Findings);
