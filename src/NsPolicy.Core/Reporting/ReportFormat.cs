namespace NsPolicy.Core.Reporting;

/// <summary>The report formats nspolicy writes.</summary>
public enum ReportFormat
{
    /// <summary>gcc-style lines grouped per zone, and a summary line.</summary>
    Text,

    /// <summary>The versioned JSON report (schemas/nspolicy-report.schema.json).</summary>
    Json,

    /// <summary>SARIF 2.1.0 for GitHub code scanning.</summary>
    Sarif,

    /// <summary>GitHub Actions annotations (the job summary is written apart).</summary>
    GitHub,

    /// <summary>Markdown for issue bodies and pull-request comments.</summary>
    Markdown,
}

public static class ReportFormats
{
    /// <summary>The names accepted by <c>--format</c>, in the order help lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["text", "json", "sarif", "github", "markdown"];

    public static string ToName(this ReportFormat format) => format switch
    {
        ReportFormat.Text => "text",
        ReportFormat.Json => "json",
        ReportFormat.Sarif => "sarif",
        ReportFormat.GitHub => "github",
        ReportFormat.Markdown => "markdown",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static bool TryParse(string text, out ReportFormat format)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (Names[i] == text)
            {
                format = (ReportFormat)i;
                return true;
            }
        }

        format = ReportFormat.Text;
        return false;
    }

    /// <summary>Renders a report in a format. Text is never coloured here; colour is for terminals only.</summary>
    public static string Render(this ReportFormat format, ReportInput input) => format switch
    {
        ReportFormat.Text => TextReporter.Render(input, color: false),
        ReportFormat.Json => JsonReporter.Render(input),
        ReportFormat.Sarif => SarifReporter.Render(input),
        ReportFormat.GitHub => GitHubReporter.Annotations(input),
        ReportFormat.Markdown => MarkdownReporter.Render(input),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}
