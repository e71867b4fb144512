using System.Globalization;
using NsPolicy.Core.Checks;
using NsPolicy.Core.Findings;
using Octokit;

namespace NsPolicy.Core.GitHub;

/// <summary>
/// Keeps one GitHub issue per zone in step with that zone's findings. Issues are found again by
/// label and by the hidden zone marker in their body, through the issues list (the search API
/// lags); an issue without the marker is never touched. Per zone in the run's scope:
/// <list type="bullet">
/// <item>findings that count and no issue yet: open one;</item>
/// <item>an open issue whose title or body differs: edit it in place; the same: leave it;</item>
/// <item>a closed issue and findings again: comment, then reopen it with the new body;</item>
/// <item>no findings and an open issue: comment, then close it.</item>
/// </list>
/// The oldest issue carrying a zone's marker is that zone's issue; any other open one is closed as a
/// duplicate, so two overlapping runs settle on one issue (each run re-lists after opening issues).
/// Every step can be repeated: comments are posted only when the issue's last comment is not
/// already the same kind, and states are set, not toggled, so a run that dies half-way is finished
/// by the next one. Zones outside the scope (another shard's) are left alone, except on a full run
/// (the scope is every zone of the policy): then an open issue whose zone the policy no longer lists
/// is commented ("zone removed from the policy") and closed.
/// </summary>
public sealed class IssueSync(GitHubClient client, IssueSyncOptions options)
{
    /// <summary>GitHub refuses bodies above 65536 characters; nspolicy cuts its own well below that.</summary>
    internal const int MaxBodyLength = 60_000;

    private static readonly StringComparer ZoneOrder = StringComparer.OrdinalIgnoreCase;

    /// <summary>
    /// Brings the issues of <paramref name="zonesChecked"/> (plus any zone a finding names) in step
    /// with <paramref name="findings"/>. Findings without a zone are not synced; the result counts them.
    /// </summary>
    public Task<IssueSyncResult> SyncAsync(IEnumerable<string> zonesChecked, IReadOnlyList<RatedFinding> findings, CancellationToken cancellationToken) =>
        SyncAsync(zonesChecked, findings, fullRun: false, cancellationToken);

    /// <summary>
    /// As <see cref="SyncAsync(IEnumerable{string}, IReadOnlyList{RatedFinding}, CancellationToken)"/>, and on a full run also closes the issues of removed zones.
    /// </summary>
    /// <param name="fullRun">
    /// <paramref name="zonesChecked"/> is every zone of the policy (no --zone, --shard or
    /// --changed-since): open issues of any other zone belong to zones removed from the policy and are closed.
    /// </param>
    public async Task<IssueSyncResult> SyncAsync(IEnumerable<string> zonesChecked, IReadOnlyList<RatedFinding> findings, bool fullRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(zonesChecked);
        ArgumentNullException.ThrowIfNull(findings);
        var byZone = findings
            .Where(f => f.Finding.Zone is not null)
            .GroupBy(f => f.Finding.Zone!.ToString(), ZoneOrder)
            .ToDictionary(g => g.Key, g => FindingRater.Sort(g), ZoneOrder);
        var scope = zonesChecked.Concat(byZone.Keys).Distinct(ZoneOrder).Order(ZoneOrder).ToList();
        var desired = scope.ToDictionary(z => z, z => Desire(z, byZone.GetValueOrDefault(z) ?? []), ZoneOrder);

        var issues = await ListMarkedAsync(cancellationToken).ConfigureAwait(false);
        var results = new List<ZoneSyncResult>();
        var created = new Dictionary<string, Issue>(ZoneOrder);
        foreach (var zone in scope)
        {
            var (result, newIssue) = await ReconcileAsync(zone, desired[zone], issues.GetValueOrDefault(zone) ?? [], cancellationToken).ConfigureAwait(false);
            if (result is not null)
            {
                results.Add(result);
            }

            if (newIssue is not null)
            {
                created.Add(zone, newIssue);
            }
        }

        if (fullRun)
        {
            foreach (var (zone, marked) in issues.Where(i => !desired.ContainsKey(i.Key)).OrderBy(i => i.Key, ZoneOrder))
            {
                if (await RemoveAsync(zone, marked, cancellationToken).ConfigureAwait(false) is { } removed)
                {
                    results.Add(removed);
                }
            }
        }

        if (created.Count > 0)
        {
            // Another run may have opened an issue for the same zone since we listed: look again and
            // keep the oldest. Our own new issue is added in case the list does not show it yet.
            var again = await ListMarkedAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (zone, mine) in created)
            {
                var seen = (again.GetValueOrDefault(zone) ?? []).Where(i => i.Number != mine.Number).Append(mine).OrderBy(i => i.Number).ToList();
                var (second, _) = await ReconcileAsync(zone, desired[zone], seen, cancellationToken).ConfigureAwait(false);
                var index = results.FindIndex(r => ZoneOrder.Equals(r.Zone, zone));
                var first = results[index];
                var action = second!.IssueNumber == mine.Number && second.Action == IssueSyncAction.Unchanged ? IssueSyncAction.Created : second.Action;
                results[index] = second with { Action = action, DuplicatesClosed = [.. first.DuplicatesClosed, .. second.DuplicatesClosed] };
            }
        }

        return new IssueSyncResult(results, options.DryRun, findings.Count(f => f.Finding.Zone is null));
    }

    private Desired? Desire(string zone, IReadOnlyList<RatedFinding> findings)
    {
        if (!findings.Any(f => f.Counts && f.Severity >= options.MinimumSeverity))
        {
            return null;
        }

        var body = IssueMarker.ForZone(zone) + "\n\n" + Normalize(options.Renderer(zone, findings)) + "\n";
        return new Desired(Normalize(options.Title(zone)), Cut(body));
    }

    private async Task<(ZoneSyncResult? Result, Issue? Created)> ReconcileAsync(
        string zone, Desired? desired, IReadOnlyList<Issue> issues, CancellationToken cancellationToken)
    {
        var write = !options.DryRun;
        var canonical = issues.Count > 0 ? issues[0] : null;
        var duplicates = issues.Skip(1).Where(IsOpen).ToList();
        Issue? created = null;
        IssueSyncAction action;
        if (desired is not null)
        {
            if (canonical is null)
            {
                if (write)
                {
                    var issue = new NewIssue(desired.Title) { Body = desired.Body };
                    foreach (var label in new[] { options.Label }.Concat(options.ExtraLabels).Distinct(StringComparer.Ordinal))
                    {
                        issue.Labels.Add(label);
                    }

                    // A create whose answer was lost may have opened the issue: look for the zone's marker before opening another.
                    created = await client.CreateOnceAsync(
                        c => client.CreateIssueAsync(issue, c),
                        async c => (await ListMarkedAsync(c).ConfigureAwait(false)).GetValueOrDefault(zone)?.FirstOrDefault(),
                        cancellationToken).ConfigureAwait(false);
                }

                action = IssueSyncAction.Created;
            }
            else if (IsOpen(canonical))
            {
                action = IsCurrent(canonical, desired) ? IssueSyncAction.Unchanged : IssueSyncAction.Updated;
                if (write && action == IssueSyncAction.Updated)
                {
                    var update = GitHubClient.UpdateFor(canonical);
                    (update.Title, update.Body) = (desired.Title, desired.Body);
                    await client.EditIssueAsync(canonical.Number, update, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                action = IssueSyncAction.Reopened;
                if (write)
                {
                    await EnsureLastCommentAsync(canonical.Number, IssueMarker.Reopened,
                        $"The findings for zone `{zone}` are back: nspolicy reopens this issue and has updated its description.", cancellationToken).ConfigureAwait(false);
                    var update = GitHubClient.UpdateFor(canonical);
                    (update.Title, update.Body, update.State, update.StateReason) = (desired.Title, desired.Body, ItemState.Open, ItemStateReason.Reopened);
                    await client.EditIssueAsync(canonical.Number, update, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        else if (canonical is null)
        {
            return (null, null);
        }
        else if (IsOpen(canonical))
        {
            action = IssueSyncAction.Closed;
            if (write)
            {
                await EnsureLastCommentAsync(canonical.Number, IssueMarker.Cleared,
                    $"All findings for zone `{zone}` have cleared: nspolicy closes this issue, and reopens it if they come back.", cancellationToken).ConfigureAwait(false);
                await client.EditIssueAsync(canonical.Number, Close(canonical, ItemStateReason.Completed), cancellationToken).ConfigureAwait(false);
            }
        }
        else if (duplicates.Count == 0)
        {
            return (null, null);
        }
        else
        {
            action = IssueSyncAction.Unchanged;
        }

        if (write)
        {
            foreach (var duplicate in duplicates)
            {
                await EnsureLastCommentAsync(duplicate.Number, IssueMarker.Duplicate,
                    string.Create(CultureInfo.InvariantCulture, $"Duplicate of #{canonical!.Number}: nspolicy keeps one issue per zone and closes the others."), cancellationToken)
                    .ConfigureAwait(false);
                await client.EditIssueAsync(duplicate.Number, Close(duplicate, ItemStateReason.NotPlanned), cancellationToken).ConfigureAwait(false);
            }
        }

        return (new ZoneSyncResult(zone, action, created?.Number ?? canonical?.Number, duplicates.Select(i => i.Number).ToList()), created);
    }

    /// <summary>Closes every open issue of a zone the policy no longer lists, each with one comment; null when none is open.</summary>
    private async Task<ZoneSyncResult?> RemoveAsync(string zone, IReadOnlyList<Issue> issues, CancellationToken cancellationToken)
    {
        var open = issues.Where(IsOpen).ToList();
        if (open.Count == 0)
        {
            return null;
        }

        if (!options.DryRun)
        {
            foreach (var issue in open)
            {
                await EnsureLastCommentAsync(issue.Number, IssueMarker.Removed,
                    $"Zone `{zone}` removed from the policy: nspolicy no longer checks it and closes this issue.", cancellationToken).ConfigureAwait(false);
                await client.EditIssueAsync(issue.Number, Close(issue, ItemStateReason.NotPlanned), cancellationToken).ConfigureAwait(false);
            }
        }

        return new ZoneSyncResult(zone, IssueSyncAction.Removed, open[0].Number, open.Skip(1).Select(i => i.Number).ToList());
    }

    /// <summary>Posts the comment unless the issue's last comment already carries the same marker (a repeated step).</summary>
    private async Task EnsureLastCommentAsync(int number, string marker, string text, CancellationToken cancellationToken)
    {
        var comments = await client.ListCommentsAsync(number, cancellationToken).ConfigureAwait(false);
        if (comments.Count > 0 && (comments[^1].Body ?? string.Empty).Contains(marker, StringComparison.Ordinal))
        {
            return;
        }

        await client.CreateOnceAsync(
            c => client.CreateCommentAsync(number, marker + "\n" + text, c),
            async c => (await client.ListCommentsAsync(number, c).ConfigureAwait(false)).LastOrDefault(x => (x.Body ?? string.Empty).Contains(marker, StringComparison.Ordinal)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Issues carrying the label and a zone marker, per zone, oldest (lowest number) first.</summary>
    private async Task<Dictionary<string, List<Issue>>> ListMarkedAsync(CancellationToken cancellationToken)
    {
        var all = await client.ListIssuesAsync(options.Label, cancellationToken).ConfigureAwait(false);
        var marked = new Dictionary<string, List<Issue>>(ZoneOrder);
        foreach (var issue in all.OrderBy(i => i.Number))
        {
            if (IssueMarker.TryReadZone(issue.Body ?? string.Empty, out var zone))
            {
                if (!marked.TryGetValue(zone, out var list))
                {
                    marked.Add(zone, list = []);
                }

                list.Add(issue);
            }
        }

        return marked;
    }

    private static bool IsCurrent(Issue issue, Desired desired) =>
        Normalize(issue.Title ?? string.Empty) == desired.Title && Normalize(issue.Body ?? string.Empty) == Normalize(desired.Body);

    private static bool IsOpen(Issue issue) => issue.State.StringValue == "open";

    /// <summary>Closes <paramref name="issue"/> with <paramref name="reason"/> (used for duplicates too: older GitHub Enterprise servers do not accept "duplicate").</summary>
    private static IssueUpdate Close(Issue issue, ItemStateReason reason)
    {
        var update = GitHubClient.UpdateFor(issue);
        (update.State, update.StateReason) = (ItemState.Closed, reason);
        return update;
    }

    // GitHub's web editor stores CRLF; trailing white space is not content.
    private static string Normalize(string text) => text.ReplaceLineEndings("\n").TrimEnd();

    private static string Cut(string body)
    {
        if (body.Length <= MaxBodyLength)
        {
            return body;
        }

        var end = body.LastIndexOf('\n', MaxBodyLength - 1);
        return body[..(end > 0 ? end : MaxBodyLength)] +
            "\n\n_The list is cut here: GitHub limits the size of an issue. The job's own report has every finding._\n";
    }

    private sealed record Desired(string Title, string Body);
}
