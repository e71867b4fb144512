namespace NsPolicy.Core.GitHub;

/// <summary>Whether an issue is open or closed.</summary>
public enum GitHubIssueState
{
    Open,
    Closed,
}

/// <summary>Why an issue was closed or reopened, as GitHub's <c>state_reason</c> names it.</summary>
public static class GitHubStateReason
{
    public const string Completed = "completed";

    /// <summary>Used for duplicates too: older GitHub Enterprise servers do not accept "duplicate".</summary>
    public const string NotPlanned = "not_planned";

    public const string Reopened = "reopened";
}

/// <summary>An issue as the issues API returns it (pull requests appear in that list too).</summary>
public sealed record GitHubIssue(
    int Number,
    string Title,
    string Body,
    GitHubIssueState State,
    string? StateReason,
    IReadOnlyList<string> Labels,
    DateTimeOffset CreatedAt,
    string? HtmlUrl,
    bool IsPullRequest);

/// <summary>A comment on an issue or pull request.</summary>
public sealed record GitHubComment(long Id, string Body, DateTimeOffset CreatedAt, string? HtmlUrl);

/// <summary>What a new issue holds.</summary>
public sealed record NewIssue(string Title, string Body, IReadOnlyList<string> Labels);

/// <summary>A change to an issue: only the members that are set are sent.</summary>
public sealed record IssueEdit
{
    public string? Title { get; init; }

    public string? Body { get; init; }

    public GitHubIssueState? State { get; init; }

    /// <summary>Sent only with <see cref="State"/>; GitHub ignores a reason without a state change.</summary>
    public string? StateReason { get; init; }

    public IReadOnlyList<string>? Labels { get; init; }
}
