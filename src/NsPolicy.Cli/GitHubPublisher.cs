using Microsoft.Extensions.Logging;
using NsPolicy.Core.Findings;
using NsPolicy.Core.GitHub;

namespace NsPolicy.Cli;

/// <summary>
/// Carries out a <see cref="GitHubPlan"/> after the checks: issue sync per zone, then the sticky
/// pull-request comment. Says what it did (or would do) on stderr, one line per zone; stdout stays
/// the report's.
/// </summary>
internal sealed class GitHubPublisher(TextWriter stderr, ILogger logger, TimeProvider time)
{
    /// <summary>Attempts per GitHub request before the run fails.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>How to wait between attempts; null waits on <c>time</c>. Tests pass one that returns at once.</summary>
    public Func<TimeSpan, CancellationToken, Task>? Delay { get; init; }

    /// <summary>
    /// Null when everything went through; otherwise the exit code (3: the GitHub API failed after its retries).
    /// </summary>
    /// <param name="zones">Every zone this run checked (another shard's zones are left alone).</param>
    /// <param name="issueBody">Renders a zone's issue body; null: <see cref="IssueBody.Render"/>.</param>
    /// <param name="commentBody">Renders the PR comment; null: <see cref="IssueBody.RenderPullRequest"/>.</param>
    public async Task<int?> PublishAsync(
        GitHubPlan plan,
        IReadOnlyList<string> zones,
        IReadOnlyList<RatedFinding> findings,
        IssueBodyRenderer? issueBody,
        Func<IReadOnlyList<RatedFinding>, string>? commentBody,
        bool quiet,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var options = new GitHubClientOptions(plan.Client.Repository, plan.Client.Token)
        {
            BaseUri = plan.Client.BaseUri,
            UserAgent = plan.Client.UserAgent,
            Time = time,
            MaxAttempts = MaxAttempts,
            Delay = Delay,
            Log = line => logger.LogWarning("{Line}", line),
        };
        var prefix = plan.DryRun ? "nspolicy: github (dry run): " : "nspolicy: github: ";
        using var client = new GitHubClient(options);
        try
        {
            if (plan.OpenIssues)
            {
                var sync = new IssueSync(client, new IssueSyncOptions { DryRun = plan.DryRun, Renderer = issueBody ?? IssueBody.Render });
                var result = await sync.SyncAsync(zones, findings, cancellationToken).ConfigureAwait(false);
                if (result.FindingsWithoutZone > 0)
                {
                    logger.LogInformation("{Count} finding(s) about the policy as a whole have no zone and open no issue", result.FindingsWithoutZone);
                }

                foreach (var line in result.Describe())
                {
                    await WriteAsync(prefix + line, quiet && !plan.DryRun).ConfigureAwait(false);
                }
            }

            if (plan.PullRequest is { } number)
            {
                var body = (commentBody ?? IssueBody.RenderPullRequest)(findings);
                var result = await new StickyComment(client).UpsertAsync(number, "check", body, plan.DryRun, cancellationToken).ConfigureAwait(false);
                await WriteAsync(prefix + result.Describe(), quiet && !plan.DryRun).ConfigureAwait(false);
            }
        }
        catch (GitHubApiException e)
        {
            logger.LogError("{Message}", e.Message);
            return ExitCodes.Internal;
        }

        return null;
    }

    private async Task WriteAsync(string line, bool suppressed)
    {
        if (!suppressed)
        {
            await stderr.WriteLineAsync(line).ConfigureAwait(false);
        }
    }
}
