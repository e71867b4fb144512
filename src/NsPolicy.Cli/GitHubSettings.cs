using System.Text.Json;

namespace NsPolicy.Cli;

/// <summary>
/// The pull request of a workflow event, the base commit its changes are shown against (null when
/// the payload has none), the head commit its lines are linked at, and whether its branch lives in
/// a fork (another repository than the base, or a deleted one).
/// </summary>
internal sealed record PullRequestEvent(int Number, string? BaseSha, string? HeadSha = null, bool FromFork = false);

/// <summary>
/// What the GitHub integration reads from its surroundings, read once by the CLI: the token, the API
/// root (GitHub Enterprise sets <c>GITHUB_API_URL</c>), the repository and the event payload file.
/// <see cref="ToString"/> never shows the token.
/// </summary>
internal sealed class GitHubSettings
{
    public const string TokenVariable = "GITHUB_TOKEN";
    public const string ApiUrlVariable = "GITHUB_API_URL";
    public const string RepositoryVariable = "GITHUB_REPOSITORY";
    public const string EventPathVariable = "GITHUB_EVENT_PATH";
    public const string EventNameVariable = "GITHUB_EVENT_NAME";

    public string? Token { get; init; }

    public string? ApiUrl { get; init; }

    public string? Repository { get; init; }

    public string? EventPath { get; init; }

    /// <summary>GITHUB_EVENT_NAME: <c>pull_request_target</c> runs with the base's token even for a fork.</summary>
    public string? EventName { get; init; }

    public static GitHubSettings FromEnvironment(Func<string, string?> variable) => new()
    {
        Token = NonEmpty(variable(TokenVariable)),
        ApiUrl = NonEmpty(variable(ApiUrlVariable)),
        Repository = NonEmpty(variable(RepositoryVariable)),
        EventPath = NonEmpty(variable(EventPathVariable)),
        EventName = NonEmpty(variable(EventNameVariable)),
    };

    /// <summary>
    /// The pull request the workflow runs for, from the event payload: <c>pull_request.number</c>
    /// (pull_request and pull_request_target events) or <c>issue.number</c> when that issue is a pull
    /// request (issue_comment events). Null for other events; an error when the file cannot be read.
    /// </summary>
    public static int? PullRequestNumber(string eventPath) => ReadPullRequest(eventPath)?.Number;

    /// <summary>
    /// The pull request the workflow runs for, as <see cref="PullRequestNumber"/> finds it, with the
    /// commit its branch is compared with (<c>pull_request.base.sha</c>, when the payload has one that
    /// looks like a commit id; issue_comment payloads do not).
    /// </summary>
    public static PullRequestEvent? ReadPullRequest(string eventPath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(eventPath));
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (root.TryGetProperty("pull_request", out var pr) && pr.ValueKind == JsonValueKind.Object &&
            pr.TryGetProperty("number", out var number) && number.TryGetInt32(out var n))
        {
            var (baseSha, baseRepo) = Side(pr, "base");
            var (headSha, headRepo) = Side(pr, "head");
            // A fork's branch is in another repository; a deleted fork leaves head.repo null.
            var deletedFork = pr.TryGetProperty("head", out var head) && head.ValueKind == JsonValueKind.Object &&
                head.TryGetProperty("repo", out var headRepoValue) && headRepoValue.ValueKind == JsonValueKind.Null;
            var fromFork = deletedFork || (headRepo is not null && baseRepo is not null && !string.Equals(headRepo, baseRepo, StringComparison.OrdinalIgnoreCase));
            return new PullRequestEvent(n, baseSha, headSha, fromFork);
        }

        if (root.TryGetProperty("issue", out var issue) && issue.ValueKind == JsonValueKind.Object &&
            issue.TryGetProperty("pull_request", out var link) && link.ValueKind == JsonValueKind.Object &&
            issue.TryGetProperty("number", out var issueNumber) && issueNumber.TryGetInt32(out var i))
        {
            return new PullRequestEvent(i, null);
        }

        return null;
    }

    /// <summary>The commit (when it looks like one) and the repository's full name of a pull request's base or head.</summary>
    private static (string? Sha, string? Repository) Side(JsonElement pr, string name)
    {
        if (!pr.TryGetProperty(name, out var side) || side.ValueKind != JsonValueKind.Object)
        {
            return (null, null);
        }

        string? sha = null;
        if (side.TryGetProperty("sha", out var s) && s.ValueKind == JsonValueKind.String &&
            s.GetString() is { Length: >= 7 and <= 64 } text && text.All(char.IsAsciiHexDigit))
        {
            sha = text;
        }

        string? repository = null;
        if (side.TryGetProperty("repo", out var repo) && repo.ValueKind == JsonValueKind.Object &&
            repo.TryGetProperty("full_name", out var fullName) && fullName.ValueKind == JsonValueKind.String)
        {
            repository = fullName.GetString();
        }

        return (sha, repository);
    }

    public override string ToString() =>
        $"GitHubSettings {{ ApiUrl = {ApiUrl ?? "(default)"}, Repository = {Repository ?? "(unset)"}, EventPath = {EventPath ?? "(unset)"}, Token = {(Token is null ? "(unset)" : "(hidden)")} }}";

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
