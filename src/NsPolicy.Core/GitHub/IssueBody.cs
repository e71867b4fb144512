using System.Globalization;
using System.Text;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.GitHub;

/// <summary>Renders the Markdown body of a zone's issue from that zone's findings (sorted).</summary>
public delegate string IssueBodyRenderer(string zone, IReadOnlyList<RatedFinding> findings);

/// <summary>
/// The plain Markdown body nspolicy writes when no richer renderer is given: a sentence, a table of
/// the findings that count, and a list of acknowledged ones. Deterministic: no times, no run ids,
/// so an unchanged set of findings gives an unchanged body.
/// </summary>
public static class IssueBody
{
    public static string Render(string zone, IReadOnlyList<RatedFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var counting = findings.Where(f => f.Counts).ToList();
        var acknowledged = findings.Where(f => f.Acknowledgement is not null).ToList();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"nspolicy found {Plural(counting.Count, "problem")} with zone `{zone}`.\n\n");
        if (counting.Count > 0)
        {
            text.Append("| severity | code | where | what |\n|---|---|---|---|\n");
            foreach (var f in counting.OrderByDescending(f => f.Severity).ThenBy(f => f.Code, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"| {f.Severity.ToName()} | `{f.Code}` | `{Cell(f.Location.ToString())}` | {Cell(f.Finding.Message)} |\n");
            }

            text.Append('\n');
        }

        if (acknowledged.Count > 0)
        {
            text.Append("Acknowledged in the policy (not counted):\n\n");
            foreach (var f in acknowledged)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"- `{f.Code}` until {f.Acknowledgement!.Until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}: {Line(f.Acknowledgement.Reason)}\n");
            }

            text.Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $"Run `nspolicy explain CODE` for why each finding matters and how to fix it.\n");
        return text.ToString();
    }

    /// <summary>The plain pull-request comment: one section per zone (policy-wide findings first), or a clean bill.</summary>
    public static string RenderPullRequest(IReadOnlyList<RatedFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var text = new StringBuilder("### nspolicy\n\n");
        var counting = findings.Count(f => f.Counts);
        if (findings.Count == 0)
        {
            return text.Append("No findings: the delegations match the policy.\n").ToString();
        }

        text.Append(CultureInfo.InvariantCulture, $"{Plural(counting, "problem")} found.\n");
        foreach (var zone in findings.GroupBy(f => f.Finding.Zone?.ToString()).OrderBy(g => g.Key ?? string.Empty, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n#### {(zone.Key is null ? "Policy" : $"Zone `{zone.Key}`")}\n\n");
            text.Append(Render(zone.Key ?? "(policy)", zone.ToList()));
        }

        return text.ToString();
    }

    private static string Plural(int n, string word) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {word}{(n == 1 ? string.Empty : "s")}");

    // A table cell ends at a newline or an unescaped '|'.
    private static string Cell(string text) => Line(text).Replace("|", "\\|", StringComparison.Ordinal);

    private static string Line(string text) => text.ReplaceLineEndings(" ");
}
