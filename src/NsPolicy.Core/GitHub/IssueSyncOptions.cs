using NsPolicy.Core.Findings;

namespace NsPolicy.Core.GitHub;

/// <summary>How issue sync names, labels and renders the issues it keeps.</summary>
public sealed record IssueSyncOptions
{
    /// <summary>The label every nspolicy issue carries; issues are found again by it and by their marker.</summary>
    public string Label { get; init; } = "nspolicy";

    /// <summary>More labels given to new issues (never removed or forced on existing ones).</summary>
    public IReadOnlyList<string> ExtraLabels { get; init; } = [];

    /// <summary>Findings below this severity do not open or keep an issue open (they still appear in its body).</summary>
    public Severity MinimumSeverity { get; init; } = Severity.Notice;

    /// <summary>Renders the body below the hidden marker; the plain default is <see cref="IssueBody.Render"/>.</summary>
    public IssueBodyRenderer Renderer { get; init; } = IssueBody.Render;

    /// <summary>The title of a zone's issue.</summary>
    public Func<string, string> Title { get; init; } = zone => $"nspolicy: zone {zone} does not match its policy";

    /// <summary>Plan only: list issues, change nothing.</summary>
    public bool DryRun { get; init; }
}
