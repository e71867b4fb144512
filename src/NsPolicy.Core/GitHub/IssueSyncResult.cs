using System.Globalization;

namespace NsPolicy.Core.GitHub;

/// <summary>What issue sync did (or, in a dry run, would do) for one zone.</summary>
public enum IssueSyncAction
{
    /// <summary>Nothing to change for the zone's issue itself (duplicates may still have been closed).</summary>
    Unchanged,
    Created,
    Updated,
    Reopened,
    Closed,

    /// <summary>Closed because its zone is no longer in the policy (full runs only).</summary>
    Removed,
}

/// <summary>The outcome for one zone: the action, the zone's issue, and duplicates that were closed.</summary>
public sealed record ZoneSyncResult(string Zone, IssueSyncAction Action, int? IssueNumber, IReadOnlyList<int> DuplicatesClosed)
{
    public string Describe(bool dryRun)
    {
        var issue = IssueNumber is { } n ? string.Create(CultureInfo.InvariantCulture, $"issue #{n}") : "an issue";
        var verb = (Action, dryRun) switch
        {
            (IssueSyncAction.Created, false) => $"opened {issue}",
            (IssueSyncAction.Created, true) => "would open an issue",
            (IssueSyncAction.Updated, false) => $"updated {issue}",
            (IssueSyncAction.Updated, true) => $"would update {issue}",
            (IssueSyncAction.Reopened, false) => $"reopened {issue}",
            (IssueSyncAction.Reopened, true) => $"would reopen {issue}",
            (IssueSyncAction.Closed, false) => $"closed {issue}",
            (IssueSyncAction.Closed, true) => $"would close {issue}",
            (IssueSyncAction.Removed, false) => $"closed {issue}: zone removed from the policy",
            (IssueSyncAction.Removed, true) => $"would close {issue}: zone removed from the policy",
            _ => $"{issue} is up to date",
        };
        if (DuplicatesClosed.Count > 0)
        {
            var list = string.Join(", ", DuplicatesClosed.Select(d => string.Create(CultureInfo.InvariantCulture, $"#{d}")));
            verb += dryRun ? $"; would close duplicate(s) {list}" : $"; closed duplicate(s) {list}";
        }

        return $"{Zone}: {verb}";
    }
}

/// <summary>Per zone, in zone order, what issue sync did; <see cref="DryRun"/> when nothing was written.</summary>
public sealed record IssueSyncResult(IReadOnlyList<ZoneSyncResult> Zones, bool DryRun, int FindingsWithoutZone)
{
    public IEnumerable<string> Describe() => Zones.Select(z => z.Describe(DryRun));
}
