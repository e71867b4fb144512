using System.Globalization;
using System.Text;
using NsPolicy.Core.Checks;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Reporting;

/// <summary>
/// For a GitHub Actions step: workflow-command annotations on standard output and a Markdown job
/// summary. GitHub keeps at most 10 error, 10 warning and 10 notice annotations per step, so the
/// most severe findings are annotated first, within a severity the findings that kept a file from
/// being checked (<see cref="Blocking"/>) before the others, and, when some are left out, the last
/// notice slot says how many. Acknowledged findings are not annotated; the summary lists them.
/// </summary>
public static class GitHubReporter
{
    /// <summary>Annotations GitHub keeps per severity in one step.</summary>
    public const int MaxPerSeverity = 10;

    /// <summary>
    /// Codes that say a file could not be read or parsed, so the checks of what it holds did not
    /// run: the one annotation to keep when there are more than GitHub shows.
    /// </summary>
    public static IReadOnlySet<string> Blocking { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "ZONE_SYNTAX", "POLICY_ZONE_FILE_MISSING", "POLICY_FILE_REFUSED", "POLICY_ROOT_HINTS_MISSING",
    };

    public static string Annotations(ReportInput input)
    {
        // OrderBy is stable: report order stays within each group.
        var counted = input.Sorted.Where(f => f.Counts).OrderBy(f => Blocking.Contains(f.Code) ? 0 : 1).ToList();
        var bySeverity = counted.GroupBy(f => f.Severity).ToDictionary(g => g.Key, g => g.ToList());
        var errors = Take(bySeverity, Severity.Error, MaxPerSeverity);
        var warnings = Take(bySeverity, Severity.Warning, MaxPerSeverity);
        var notices = Take(bySeverity, Severity.Notice, MaxPerSeverity);
        var left = counted.Count - errors.Count - warnings.Count - notices.Count;
        if (left > 0 && notices.Count == MaxPerSeverity)
        {
            // Keep the last notice slot for the note.
            notices.RemoveAt(notices.Count - 1);
            left++;
        }

        var sb = new StringBuilder();
        foreach (var f in errors.Concat(warnings).Concat(notices))
        {
            sb.Append(Annotation(input, f));
        }

        if (left > 0)
        {
            sb.Append("::notice title=nspolicy::")
                .Append(EscapeData(string.Create(CultureInfo.InvariantCulture,
                    $"{left} more finding{(left == 1 ? " was" : "s were")} not annotated: GitHub shows at most {MaxPerSeverity} errors, {MaxPerSeverity} warnings and {MaxPerSeverity} notices per step. The job summary and the other reports list every finding.")))
                .Append('\n');
        }

        sb.Append(TextReporter.Summary(FindingSummary.Of(input.Findings))).Append('\n');
        return sb.ToString();
    }

    /// <summary>The job summary: the Markdown report within the job summary's size limit.</summary>
    public static string Summary(ReportInput input) =>
        MarkdownReporter.Render(input, new MarkdownOptions { MaxCharacters = MarkdownOptions.JobSummaryLimit });

    /// <summary>
    /// Escapes a workflow command's message: %, CR and LF as the runner expects; other control
    /// characters (a terminal escape from the policy, say) shown as <c>\xNN</c>.
    /// </summary>
    public static string EscapeData(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '%' => "%25",
                '\r' => "%0D",
                '\n' => "%0A",
                _ when char.IsControl(c) => string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    /// <summary>Escapes a workflow command's property value: as data, plus : and ,.</summary>
    public static string EscapeProperty(string text) =>
        EscapeData(text)
            .Replace(":", "%3A", StringComparison.Ordinal)
            .Replace(",", "%2C", StringComparison.Ordinal);

    private static List<RatedFinding> Take(Dictionary<Severity, List<RatedFinding>> bySeverity, Severity severity, int max) =>
        bySeverity.TryGetValue(severity, out var list) ? list.Take(max).ToList() : [];

    private static string Annotation(ReportInput input, RatedFinding f)
    {
        var command = f.Severity switch
        {
            Severity.Error => "error",
            Severity.Warning => "warning",
            _ => "notice",
        };
        var title = CheckCatalogue.Find(f.Code) is { } rule ? $"{f.Code}: {rule.Title}" : f.Code;
        var sb = new StringBuilder("::").Append(command).Append(" file=").Append(EscapeProperty(input.RepositoryPath(f.Location.File)));
        if (f.Location.Line >= 1)
        {
            sb.Append(",line=").Append(f.Location.Line.ToString(CultureInfo.InvariantCulture));
            if (f.Location.Column >= 1)
            {
                sb.Append(",col=").Append(f.Location.Column.ToString(CultureInfo.InvariantCulture));
            }
        }

        sb.Append(",title=").Append(EscapeProperty(title)).Append("::").Append(EscapeData(input.RepositoryMessage(f.Finding))).Append('\n');
        return sb.ToString();
    }
}
