// The title and Markdown body of the pull request that proposes accepting a zone's live
// delegation: what the policy expected, what is live, since when the drift has been seen (from the
// zone's issue), the risk in one sentence, and what merging or closing means.
using System.Globalization;
using System.Text;
using NsPolicy.Core.Reporting;

namespace NsPolicy.Core.Accept;

/// <summary>The zone's drift issue, when issue sync keeps one: its number and when it was opened.</summary>
public sealed record DriftIssue(int Number, DateTimeOffset OpenedAt);

public static class AcceptanceBody
{
    /// <summary>The line that says what to do with the pull request.</summary>
    public const string DecisionLine = "Merge to accept this delegation; close if it is not yours and follow the issue.";

    public static string Title(DelegationDrift drift)
    {
        ArgumentNullException.ThrowIfNull(drift);
        return $"nspolicy: accept the live delegation of zone {Name(drift.Zone.ToString())}";
    }

    /// <summary>The body below the hidden marker (the caller adds the marker).</summary>
    public static string Render(DelegationDrift drift, string policyFile, DriftIssue? issue)
    {
        ArgumentNullException.ThrowIfNull(drift);
        ArgumentNullException.ThrowIfNull(policyFile);
        var zone = MarkdownText.Code(drift.Zone.ToString());
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"## Accept the live delegation of zone {zone}\n\n");
        text.Append(CultureInfo.InvariantCulture,
            $"The parent publishes a delegation for {zone} that differs from what {MarkdownText.Code(policyFile)} states. ");
        text.Append("This pull request rewrites only that zone's entry, so that the policy states the delegation as the parent publishes it; ");
        text.Append("every other line of the file stays as it is.\n\n");
        text.Append("| | the policy expects | live, at the parent |\n|---|---|---|\n");
        foreach (var item in drift.Differences)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"| {MarkdownText.Escape(item.What)} | {MarkdownText.Escape(item.Expected)} | {MarkdownText.Escape(item.Live)} |\n");
        }

        text.Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"**Risk:** {MarkdownText.Escape(drift.Risk)}\n\n");
        text.Append(issue is null
            ? "**First seen:** not known (no open nspolicy issue for this zone; `--open-issues` keeps one).\n\n"
            : string.Create(CultureInfo.InvariantCulture, $"**First seen:** {issue.OpenedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC, when issue #{issue.Number} was opened for this zone.\n\n"));
        text.Append(CultureInfo.InvariantCulture, $"**{DecisionLine}**");
        if (issue is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" The issue: #{issue.Number}.");
        }

        text.Append("\n\n_nspolicy updates this pull request when the live delegation changes again, and closes it when the policy matches what is live._\n");
        return text.ToString();
    }

    private static string Name(string zone) => zone.Length <= 1 ? zone : zone.TrimEnd('.');
}
