using NsPolicy.Core.Changes;
using NsPolicy.Core.Checks;
using NsPolicy.Core.Checking;
using NsPolicy.Core.Findings;
using NsPolicy.Core.GitHub;
using NsPolicy.Core.Init;
using NsPolicy.Core.Reporting;
using NsPolicy.Core.Secrets;
using NsPolicy.Core.Validation;

namespace NsPolicy.Cli;

/// <summary>
/// Carries out a <see cref="GitHubPlan"/> after the checks: issue sync per zone, then the sticky
/// pull-request comment. Says on stderr what it did (or would do), one line per zone, plus the
/// client's retry notices; stdout stays the report's.
/// </summary>
internal sealed class GitHubPublisher(TextWriter stderr, TimeProvider time)
{
    /// <summary>Hides secrets in issue and comment bodies before they are sent.</summary>
    public SecretMasker Masker { get; init; } = SecretMasker.None;

    /// <summary>For --open-pr: the policy's path in the repository and the live delegations this run captured; or why no pull request can be proposed.</summary>
    public AcceptRequest? Accept { get; init; }

    /// <summary>Attempts per GitHub request before the run fails.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>How to wait between attempts; null waits on <c>time</c>. Tests pass one that returns at once.</summary>
    public Func<TimeSpan, CancellationToken, Task>? Delay { get; init; }

    /// <summary>The run's base revisions, extracted once for the delegation diff and the new-vs-base marks (and by the check before them); the caller disposes them.</summary>
    public required BaseCheckouts Checkouts { get; init; }

    /// <summary>
    /// Publishes the findings of <c>nspolicy check</c>, rendered by the Markdown reporter. The scope
    /// of issue sync is the zones the run checked: those named with <c>--zone</c> (or else every zone
    /// of the policy) that fall in its <c>--shard</c> and, with <c>--changed-since</c>, changed; when
    /// that is every zone of the policy, open issues of zones no longer in it are closed too. When the
    /// policy did not load, issues are left alone: its findings say nothing about any zone.
    /// </summary>
    public async Task<int?> PublishAsync(GitHubPlan plan, CheckReport report, CheckRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(request);
        if (report.Policy is null && plan.OpenIssues)
        {
            await stderr.WriteLineAsync("nspolicy: warning: the policy did not load, so GitHub issues are left as they are").ConfigureAwait(false);
            plan = plan with { OpenIssues = false };
        }

        // The runner says which zones it checked (after --zone, --changed-since and --shard).
        var zones = (report.CheckedZones ?? (request.Zones.Count > 0 ? request.Zones : (report.Policy?.Zones ?? []).Select(z => z.Zone)))
            .Where(z => request.Shard?.Contains(z) ?? true)
            .Select(z => z.ToString())
            .ToList();

        // A full run (no --zone, --shard or --changed-since left any zone out) may close the issues of zones removed from the policy.
        var diff = plan.PullRequest is null ? null : await DiffSectionAsync(plan, request, cancellationToken).ConfigureAwait(false);
        var onBase = plan.PullRequest is null ? null : await BaseFingerprintsAsync(plan, request, cancellationToken).ConfigureAwait(false);
        var scope = zones.ToHashSet(StringComparer.Ordinal);
        var fullRun = report.Policy is { } loaded && loaded.Zones.All(z => scope.Contains(z.Zone.ToString()));
        return await PublishAsync(
            plan,
            zones,
            fullRun,
            report.Findings.Masked(Masker),
            (zone, findings) => Masker.Apply(MarkdownReporter.Render(
                new ReportInput(NsPolicyApp.Version, report.PolicyFile, report.Policy, findings),
                new MarkdownOptions { Title = $"nspolicy: zone {zone}" })),
            findings => Masker.Apply(MarkdownReporter.Render(
                new ReportInput(NsPolicyApp.Version, report.PolicyFile, report.Policy, findings) { Paths = plan.Paths },
                new MarkdownOptions { Title = "nspolicy", LinkBase = plan.BlobRoot, BaseFingerprints = onBase }) + (diff is null ? string.Empty : "\n" + diff)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The fingerprints of the findings the pull request's base already had, for the comment to mark
    /// each finding new or not: the base's policy and zone files are checked offline, with the same
    /// zones and shard. Null (no marks) for a run that asked live DNS, whose live findings the base
    /// check cannot have, or when the base cannot be checked (a warning says why).
    /// </summary>
    private async Task<IReadOnlySet<string>?> BaseFingerprintsAsync(GitHubPlan plan, CheckRequest request, CancellationToken cancellationToken)
    {
        if (!request.Offline || plan.PullRequestBase is not { } revision)
        {
            return null;
        }

        try
        {
            var checkout = await Checkouts.ExtractAsync(request.PolicyPath, revision, cancellationToken).ConfigureAwait(false);
            if (checkout.PolicyPath is not { } basePolicy)
            {
                // No policy on the base: every finding is new.
                return new HashSet<string>(StringComparer.Ordinal);
            }

            var baseRequest = new CheckRequest(basePolicy, request.DisplayPath)
            {
                Offline = true,
                Zones = request.Zones,
                Shard = request.Shard,
                AllowIncludeOutsideRoot = request.AllowIncludeOutsideRoot,
            };
            var baseReport = await new CheckRunner(time, null).RunAsync(baseRequest, cancellationToken).ConfigureAwait(false);
            return FindingFingerprints.Of(FindingRater.Sort(baseReport.Findings)).ToHashSet(StringComparer.Ordinal);
        }
        catch (GitException)
        {
            // The delegation diff has already said that git cannot show the base.
            return null;
        }
        catch (Exception e) when (e is PolicyUnreadableException or CheckRequestException or IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"nspolicy: warning: --pr-comment: the findings cannot be compared with the base {revision[..Math.Min(12, revision.Length)]}: {e.Message}").ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>A 403 that says the token lacks a permission (not a rate limit, which is retried before it gets here).</summary>
    private static bool IsReadOnly(GitHubApiException e) =>
        e.StatusCode == 403 && e.Message.Contains("Resource not accessible by", StringComparison.OrdinalIgnoreCase);

    /// <summary>Writes the pull-request comment to the job summary instead, with a warning naming why.</summary>
    private async Task ToSummaryAsync(GitHubPlan plan, string body, string why)
    {
        if (plan.StepSummary is not { } summary)
        {
            await stderr.WriteLineAsync($"nspolicy: warning: {why}; GITHUB_STEP_SUMMARY is not set either, so the comment is not written").ConfigureAwait(false);
            return;
        }

        if (plan.DryRun)
        {
            await stderr.WriteLineAsync($"nspolicy: warning: {why}; would write the comment to the job summary instead").ConfigureAwait(false);
            return;
        }

        try
        {
            await File.AppendAllTextAsync(summary, body.ReplaceLineEndings("\n").TrimEnd() + "\n\n").ConfigureAwait(false);
            await stderr.WriteLineAsync($"nspolicy: warning: {why}; the comment is in the job summary instead").ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"nspolicy: warning: {why}; the job summary {summary} cannot be written either: {e.Message}").ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The Markdown of <c>nspolicy diff</c> for the pull-request comment: against <c>--changed-since</c>
    /// when given, else the pull request's base commit from the event. Null when there is no base;
    /// a short note (and a warning on stderr) when git cannot show it, e.g. a shallow checkout.
    /// </summary>
    private async Task<string?> DiffSectionAsync(GitHubPlan plan, CheckRequest request, CancellationToken cancellationToken)
    {
        var revision = request.ChangedSince ?? plan.PullRequestBase;
        if (revision is null)
        {
            return null;
        }

        var label = request.ChangedSince ?? revision[..Math.Min(12, revision.Length)];
        try
        {
            var checkout = await Checkouts.ExtractAsync(request.PolicyPath, revision, cancellationToken).ConfigureAwait(false);
            var diffs = await RevisionDiff.CompareAsync(checkout, request.PolicyPath, request.DisplayPath, revision, request.AllowIncludeOutsideRoot, time, cancellationToken).ConfigureAwait(false);
            return DiffRenderer.Markdown(diffs, label);
        }
        catch (Exception e) when (e is GitException or PolicyUnreadableException)
        {
            await stderr.WriteLineAsync($"nspolicy: warning: --pr-comment: no delegation diff since {label}: {e.Message}").ConfigureAwait(false);
            return $"_No delegation diff since `{label}`: git could not show that revision here (a shallow checkout? use `fetch-depth: 0`), or a policy did not load._\n";
        }
    }

    /// <summary>
    /// Null when everything went through, or when the token could not write (a warning says which
    /// permission is missing, and the comment goes to the job summary): the run then exits by its
    /// findings alone. Otherwise the exit code: 2, the GitHub API still failing after the retries.
    /// </summary>
    /// <param name="zones">Every zone this run checked (another shard's zones are left alone).</param>
    /// <param name="fullRun">The run checked every zone of the policy: open issues of other zones are closed as removed.</param>
    /// <param name="issueBody">Renders a zone's issue body; null: <see cref="IssueBody.Render"/>.</param>
    /// <param name="commentBody">Renders the PR comment; null: <see cref="IssueBody.RenderPullRequest"/>.</param>
    public async Task<int?> PublishAsync(
        GitHubPlan plan,
        IReadOnlyList<string> zones,
        bool fullRun,
        IReadOnlyList<RatedFinding> findings,
        IssueBodyRenderer? issueBody,
        Func<IReadOnlyList<RatedFinding>, string>? commentBody,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Warning is { } warning)
        {
            await stderr.WriteLineAsync($"nspolicy: warning: {warning}").ConfigureAwait(false);
        }

        var options = new GitHubClientOptions(plan.Client.Repository, plan.Client.Token)
        {
            BaseUri = plan.Client.BaseUri,
            UserAgent = plan.Client.UserAgent,
            Time = time,
            MaxAttempts = MaxAttempts,
            Delay = Delay,
            Log = line => stderr.WriteLine($"nspolicy: warning: {line}"),
        };
        var prefix = plan.DryRun ? "nspolicy: github (dry run): " : "nspolicy: github: ";
        using var client = new GitHubClient(options);
        try
        {
            if (plan.OpenIssues)
            {
                var sync = new IssueSync(client, new IssueSyncOptions { DryRun = plan.DryRun, Renderer = issueBody ?? IssueBody.Render });
                try
                {
                    var result = await sync.SyncAsync(zones, findings, fullRun, cancellationToken).ConfigureAwait(false);
                    foreach (var line in result.Describe())
                    {
                        await stderr.WriteLineAsync(prefix + line).ConfigureAwait(false);
                    }
                }
                catch (GitHubApiException e) when (IsReadOnly(e))
                {
                    await stderr.WriteLineAsync(
                        $"nspolicy: warning: --open-issues: the token may not write issues ({e.Message}); give the job `permissions: issues: write`. Issues are left as they are.").ConfigureAwait(false);
                }
            }

            if (plan.PullRequest is { } number)
            {
                var body = (commentBody ?? IssueBody.RenderPullRequest)(findings);
                if (plan.ReadOnlyToken)
                {
                    await ToSummaryAsync(plan, body,
                        $"--pr-comment: pull request #{number} comes from a fork, and GitHub gives such a run a read-only token (no pull-requests: write)").ConfigureAwait(false);
                }
                else
                {
                    try
                    {
                        var result = await new StickyComment(client).UpsertAsync(number, "check", body, plan.DryRun, cancellationToken).ConfigureAwait(false);
                        await stderr.WriteLineAsync(prefix + result.Describe()).ConfigureAwait(false);
                    }
                    catch (GitHubApiException e) when (IsReadOnly(e))
                    {
                        await ToSummaryAsync(plan, body,
                            $"--pr-comment: the token may not comment on pull request #{number} ({e.Message}); give the job `permissions: pull-requests: write`").ConfigureAwait(false);
                    }
                }
            }

            if (plan.OpenPullRequests)
            {
                await OpenPullRequestsAsync(client, plan, prefix, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (GitHubApiException e)
        {
            // Not a bug in nspolicy: GitHub (or the way to it) kept failing after the retries.
            await stderr.WriteLineAsync($"nspolicy: error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return null;
    }

    private async Task OpenPullRequestsAsync(GitHubClient client, GitHubPlan plan, string prefix, CancellationToken cancellationToken)
    {
        if (Accept is not { PolicyPath: { } path } accept || accept.Warning is not null)
        {
            await stderr.WriteLineAsync($"nspolicy: warning: --open-pr: {Accept?.Warning ?? "nothing to compare"}; no pull request is opened or changed").ConfigureAwait(false);
            return;
        }

        var sync = new PullRequestSync(client, new PullRequestSyncOptions { PolicyPath = path, DryRun = plan.DryRun, Masker = Masker });
        var result = await sync.SyncAsync(accept.Live, cancellationToken).ConfigureAwait(false);
        foreach (var line in result.Describe())
        {
            await stderr.WriteLineAsync(prefix + line).ConfigureAwait(false);
        }

        if (result.Warning is { } warning)
        {
            await stderr.WriteLineAsync($"nspolicy: warning: {warning}").ConfigureAwait(false);
        }
    }
}

/// <summary>What --open-pr works from: the policy's path in the repository ('/'-separated) and each checked zone's live delegation; <see cref="Warning"/> when there is none.</summary>
internal sealed record AcceptRequest(string? PolicyPath, IReadOnlyList<ZoneBaseline> Live, string? Warning = null);
