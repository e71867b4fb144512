using System.CommandLine;
using System.Net;
using System.Text.Json;
using NsPolicy.Core.GitHub;
using NsPolicy.Dns;

namespace NsPolicy.Cli;

/// <summary>What a run will do on GitHub, settled before any checking starts; <see cref="Warning"/> says why the PR comment is skipped.</summary>
internal sealed record GitHubPlan(GitHubClientOptions Client, bool OpenIssues, int? PullRequest, bool DryRun, string? Warning = null)
{
    /// <summary>The pull request's base commit from the event payload; the comment's delegation diff is against it unless --changed-since names another.</summary>
    public string? PullRequestBase { get; init; }

    /// <summary>The pull request's head commit from the event payload: the comment links finding locations to its lines.</summary>
    public string? PullRequestHead { get; init; }

    /// <summary>
    /// The pull request comes from a fork on a <c>pull_request</c> event: GitHub gives the run a
    /// read-only token, so the comment goes to the job summary instead.
    /// </summary>
    public bool ReadOnlyToken { get; init; }

    /// <summary>GITHUB_STEP_SUMMARY: where the comment goes when it cannot be posted.</summary>
    public string? StepSummary { get; init; }

    /// <summary>The web address of a file of the repository at the pull request's head commit (GITHUB_SERVER_URL), or null.</summary>
    public string? BlobRoot { get; init; }

    /// <summary>How finding paths become repository paths for the comment's links.</summary>
    public Core.Reporting.RepositoryPaths? Paths { get; init; }

    /// <summary>--open-pr: propose each drifted zone's live delegation as a pull request.</summary>
    public bool OpenPullRequests { get; init; }
}

/// <summary>
/// The GitHub options of <c>nspolicy check</c>: <c>--open-issues</c>, <c>--pr-comment</c>,
/// <c>--dry-run</c> and <c>--github-token</c>. <see cref="TryPrepare"/> turns them and the
/// environment into a <see cref="GitHubPlan"/> (or a usage error) before the checks run;
/// <see cref="GitHubPublisher"/> carries the plan out after them.
/// </summary>
internal sealed class GitHubOptions
{
    public Option<bool> OpenIssues { get; } = new("--open-issues")
    {
        Description = "Keep one GitHub issue per zone with findings: open, update in place, close when clear, reopen when back " +
            "(label 'nspolicy'; needs GITHUB_REPOSITORY and a token with issues: write).",
    };

    public Option<bool> PrComment { get; } = new("--pr-comment")
    {
        Description = "Keep one comment with the findings on the pull request the workflow runs for (from GITHUB_EVENT_PATH; token with pull-requests: write), " +
            "followed by the delegation diff since --changed-since REF or else the pull request's base commit (which the checkout must hold).",
    };

    public Option<bool> OpenPr { get; } = new("--open-pr")
    {
        Description = "For each zone whose live delegation differs from the policy, keep one pull request (branch nspolicy/accept/ZONE) that rewrites only " +
            "that zone's entry to the delegation the parent publishes; closed when the policy matches (needs GITHUB_REPOSITORY and a token with " +
            "contents: write and pull-requests: write; not with --offline or --target policy).",
    };

    public Option<bool> DryRun { get; } = new("--dry-run")
    {
        Description = "With --open-issues, --pr-comment or --open-pr: print what would change on GitHub and change nothing.",
    };

    public Option<string?> Token { get; } = new("--github-token")
    {
        Description = "GitHub token (default: $GITHUB_TOKEN, which is safer: command lines are visible to other processes). Never printed.",
        HelpName = "TOKEN",
    };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(OpenIssues);
        command.Options.Add(PrComment);
        command.Options.Add(OpenPr);
        command.Options.Add(DryRun);
        command.Options.Add(Token);
    }

    /// <summary>
    /// Reads the options and the GitHub settings. True with a null plan when no GitHub option was
    /// given; false with a message (exit code 2) when they do not fit together or the environment
    /// lacks what they need.
    /// </summary>
    public bool TryPrepare(ParseResult parse, CliEnvironment environment, out GitHubPlan? plan, out string? error)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(environment);
        plan = null;
        error = null;
        string? warning = null;
        var openIssues = parse.GetValue(OpenIssues);
        var prComment = parse.GetValue(PrComment);
        var openPr = parse.GetValue(OpenPr);
        var dryRun = parse.GetValue(DryRun);
        var settings = environment.GitHub;
        if (!openIssues && !prComment && !openPr)
        {
            error = dryRun ? "--dry-run applies to --open-issues, --pr-comment and --open-pr; give one of them" : null;
            return !dryRun;
        }

        var token = parse.GetValue(Token) is { Length: > 0 } flag ? flag : settings.Token;
        if (token is null)
        {
            error = $"--open-issues, --pr-comment and --open-pr need a GitHub token: set {GitHubSettings.TokenVariable} or pass --github-token";
            return false;
        }

        if (!GitHubRepository.TryParse(settings.Repository, out var repository))
        {
            error = settings.Repository is null
                ? $"--open-issues, --pr-comment and --open-pr need {GitHubSettings.RepositoryVariable} (owner/name)"
                : $"{GitHubSettings.RepositoryVariable} '{Excerpt.Of(settings.Repository)}' is not of the form owner/name";
            return false;
        }

        var api = GitHubClientOptions.DefaultBaseUri;
        if (settings.ApiUrl is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp))
            {
                error = $"{GitHubSettings.ApiUrlVariable} '{Excerpt.Of(url)}' is not an http(s) URL";
                return false;
            }

            api = parsed;
        }

        if (environment.Guard.LoopbackOnly && !IsLoopback(api))
        {
            error = $"the GitHub API at {api.Host} is not on loopback, and NSPOLICY_LOOPBACK_ONLY allows nothing else";
            return false;
        }

        int? pullRequest = null;
        string? pullRequestBase = null;
        string? pullRequestHead = null;
        var fromFork = false;
        if (prComment)
        {
            if (settings.EventPath is null)
            {
                warning = $"--pr-comment: {GitHubSettings.EventPathVariable} is not set (not running in GitHub Actions?); no comment is written";
            }
            else
            {
                try
                {
                    var pr = GitHubSettings.ReadPullRequest(settings.EventPath);
                    (pullRequest, pullRequestBase, pullRequestHead, fromFork) = (pr?.Number, pr?.BaseSha, pr?.HeadSha, pr?.FromFork ?? false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
                {
                    error = $"{settings.EventPath}: cannot read the GitHub event: {e.Message}";
                    return false;
                }

                if (pullRequest is null)
                {
                    warning = "--pr-comment: this workflow event is not a pull request; no comment is written";
                }
            }
        }

        plan = new GitHubPlan(new GitHubClientOptions(repository, token) { BaseUri = api, UserAgent = "nspolicy" }, openIssues, pullRequest, dryRun, warning)
        {
            PullRequestBase = pullRequestBase,
            PullRequestHead = pullRequestHead,
            // pull_request_target runs with the base repository's token, which can write.
            ReadOnlyToken = fromFork && settings.EventName != "pull_request_target",
            StepSummary = environment.GitHubStepSummary,
            Paths = new Core.Reporting.RepositoryPaths(environment.WorkingDirectory, environment.RepositoryRoot),
            BlobRoot = pullRequestHead is null || environment.GitHubServerUrl is not { } server ? null
                : $"{server.TrimEnd('/')}/{repository.Owner}/{repository.Name}/blob/{pullRequestHead}/",
            OpenPullRequests = openPr,
        };
        return true;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
