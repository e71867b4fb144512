using System.Text.Json;

namespace NsPolicy.Cli;

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

    public string? Token { get; init; }

    public string? ApiUrl { get; init; }

    public string? Repository { get; init; }

    public string? EventPath { get; init; }

    public static GitHubSettings FromEnvironment(Func<string, string?> variable) => new()
    {
        Token = NonEmpty(variable(TokenVariable)),
        ApiUrl = NonEmpty(variable(ApiUrlVariable)),
        Repository = NonEmpty(variable(RepositoryVariable)),
        EventPath = NonEmpty(variable(EventPathVariable)),
    };

    /// <summary>
    /// The pull request the workflow runs for, from the event payload: <c>pull_request.number</c>
    /// (pull_request and pull_request_target events) or <c>issue.number</c> when that issue is a pull
    /// request (issue_comment events). Null for other events; an error when the file cannot be read.
    /// </summary>
    public static int? PullRequestNumber(string eventPath)
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
            return n;
        }

        if (root.TryGetProperty("issue", out var issue) && issue.ValueKind == JsonValueKind.Object &&
            issue.TryGetProperty("pull_request", out var link) && link.ValueKind == JsonValueKind.Object &&
            issue.TryGetProperty("number", out var issueNumber) && issueNumber.TryGetInt32(out var i))
        {
            return i;
        }

        return null;
    }

    public override string ToString() =>
        $"GitHubSettings {{ ApiUrl = {ApiUrl ?? "(default)"}, Repository = {Repository ?? "(unset)"}, EventPath = {EventPath ?? "(unset)"}, Token = {(Token is null ? "(unset)" : "(hidden)")} }}";

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
