using System.Globalization;
using System.Text;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Reporting;

/// <summary>How a Markdown report is laid out and how long it may get.</summary>
public sealed record MarkdownOptions
{
    /// <summary>GitHub holds at most 65,536 characters in an issue body or comment; this leaves room for markers.</summary>
    public const int IssueBodyLimit = 60_000;

    /// <summary>A job summary may hold 1 MiB per step.</summary>
    public const int JobSummaryLimit = 1_000_000;

    /// <summary>The level of the report's own heading (1-5); zone headings are one deeper.</summary>
    public int HeadingLevel { get; init; } = 2;

    public string Title { get; init; } = "nspolicy report";

    /// <summary>Sections and rows that would pass this length are left out, with a note saying how many.</summary>
    public int MaxCharacters { get; init; } = IssueBodyLimit;

    /// <summary>Whether each zone with findings gets a Mermaid diagram of its delegation.</summary>
    public bool Diagrams { get; init; } = true;

    /// <summary>
    /// Where the repository's files are on the web at the commit checked, ending in '/'
    /// (<c>https://github.com/OWNER/REPO/blob/SHA/</c>): each location links to its line there.
    /// Null: locations are plain text.
    /// </summary>
    public string? LinkBase { get; init; }

    /// <summary>
    /// The fingerprints (<see cref="FindingFingerprints"/>) of the findings on the base of a pull
    /// request: each finding is marked new, or already there. Null: no marks.
    /// </summary>
    public IReadOnlySet<string>? BaseFingerprints { get; init; }
}

/// <summary>
/// Markdown for issue bodies, pull-request comments and job summaries: a summary line, then per
/// zone a Mermaid diagram of its delegation and a table of its findings. A pure function of the
/// report: the same input gives the same text, so a comment or issue is edited only when the
/// findings change.
/// </summary>
public static class MarkdownReporter
{
    private const int FooterReserve = 400;

    public static string Render(ReportInput input) => Render(input, new MarkdownOptions());

    /// <summary>
    /// Issue bodies for issue sync: each zone's findings drawn with this report's policy (its
    /// delegation diagram and its table), within GitHub's issue-body limit.
    /// </summary>
    public static GitHub.IssueBodyRenderer IssueBodies(ReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return (zone, findings) => Render(input with { Findings = findings }, new MarkdownOptions { Title = $"nspolicy: zone {zone}" });
    }

    public static string Render(ReportInput input, MarkdownOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.HeadingLevel, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.HeadingLevel, 5);
        var h = new string('#', options.HeadingLevel);
        var sb = new StringBuilder();
        sb.Append(h).Append(' ').Append(MarkdownText.Escape(options.Title)).Append("\n\n");
        var summary = FindingSummary.Of(input.Findings);
        sb.Append("**").Append(TextReporter.Summary(summary)).Append("** in ").Append(MarkdownText.Code(input.PolicyFile)).Append('\n');
        if (input.Findings.Count == 0)
        {
            sb.Append("\nNo findings.\n");
            return sb.ToString();
        }

        var shown = 0;
        var full = false;
        var sorted = input.Sorted;
        var fingerprints = FindingFingerprints.Of(sorted);
        var fingerprintOf = new Dictionary<RatedFinding, string>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < sorted.Count; i++)
        {
            fingerprintOf[sorted[i]] = fingerprints[i];
        }

        if (options.BaseFingerprints is { } onBase)
        {
            var fresh = fingerprints.Count(f => !onBase.Contains(f));
            sb.Append(CultureInfo.InvariantCulture, $"\n{fresh} new in this pull request, {sorted.Count - fresh} already on its base.\n");
        }

        foreach (var group in ZoneGroup.Of(sorted))
        {
            var heading = group.Zone is null
                ? $"\n{h}# Policy\n\n"
                : $"\n{h}# Zone {MarkdownText.Code(group.Zone.ToString())} — {Counts(group.Findings)}\n\n";
            var zone = group.Zone is null ? null : input.Policy?.Zones.FirstOrDefault(z => z.Zone == group.Zone);
            var diagram = options.Diagrams && zone is not null ? DelegationDiagram.Render(zone, group.Findings, input.Evidence?.Find(zone.Zone)) + "\n" : string.Empty;
            var header = options.BaseFingerprints is null
                ? "| severity | code | where | finding |\n| --- | --- | --- | --- |\n"
                : "| | severity | code | where | finding |\n| --- | --- | --- | --- | --- |\n";
            if (!Fits(sb, heading.Length + diagram.Length + header.Length, options))
            {
                // Without room for the diagram, the table alone may still fit.
                diagram = string.Empty;
                if (!Fits(sb, heading.Length + header.Length, options))
                {
                    full = true;
                    break;
                }
            }

            sb.Append(heading).Append(diagram).Append(header);
            foreach (var f in group.Findings)
            {
                var row = Row(input, f, options, fingerprintOf.GetValueOrDefault(f));
                if (!Fits(sb, row.Length, options))
                {
                    full = true;
                    break;
                }

                sb.Append(row);
                shown++;
            }

            if (full)
            {
                break;
            }
        }

        if (shown < input.Findings.Count)
        {
            var left = input.Findings.Count - shown;
            sb.Append(CultureInfo.InvariantCulture,
                $"\n_{left} more finding{(left == 1 ? string.Empty : "s")} not shown here, to keep within GitHub's size limit; the text, JSON or SARIF report has every finding._\n");
        }

        return sb.ToString();
    }

    private static bool Fits(StringBuilder sb, int more, MarkdownOptions options) =>
        sb.Length + more + FooterReserve <= options.MaxCharacters;

    private static string Row(ReportInput input, RatedFinding f, MarkdownOptions options, string? fingerprint)
    {
        var severity = f.Acknowledgement is { } ack
            ? string.Create(CultureInfo.InvariantCulture, $"{f.Severity.ToName()} (acknowledged until {ack.Until:yyyy-MM-dd})")
            : "**" + f.Severity.ToName() + "**";
        var text = new StringBuilder(MarkdownText.Escape(f.Finding.Message));
        if (f.Finding.Expected is not null || f.Finding.Found is not null)
        {
            text.Append("<br>expected ").Append(MarkdownText.Code(f.Finding.Expected ?? "-"))
                .Append(", found ").Append(MarkdownText.Code(f.Finding.Found ?? "-"));
        }

        if (f.Acknowledgement is { } a)
        {
            text.Append("<br>acknowledged: ").Append(MarkdownText.Escape(a.Reason));
        }

        var where = MarkdownText.Code(f.Location.ToString());
        if (options.LinkBase is { } link && f.Location.Line >= 1)
        {
            var path = string.Join('/', input.RepositoryPath(f.Location.File).Split('/').Select(Uri.EscapeDataString));
            // A path that climbs out of the repository has no line on the web to link to.
            if (!path.StartsWith("..", StringComparison.Ordinal))
            {
                where = $"[{where}]({link}{path}#L{f.Location.Line.ToString(CultureInfo.InvariantCulture)})";
            }
        }

        var mark = options.BaseFingerprints is not { } onBase ? string.Empty
            : fingerprint is not null && onBase.Contains(fingerprint) ? "| already on the base " : "| **new** ";
        return $"{mark}| {severity} | {MarkdownText.Code(f.Code)} | {where} | {text} |\n";
    }

    private static string Counts(IReadOnlyList<RatedFinding> findings)
    {
        var s = FindingSummary.Of(findings);
        var parts = new List<string>();
        Add(parts, s.Errors, "error");
        Add(parts, s.Warnings, "warning");
        Add(parts, s.Notices, "notice");
        Add(parts, s.Acknowledged, "acknowledged");
        return string.Join(", ", parts);

        static void Add(List<string> parts, int n, string word)
        {
            if (n > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{n} {word}{(n == 1 || word == "acknowledged" ? string.Empty : "s")}"));
            }
        }
    }
}
