using System.Globalization;
using NsPolicy.Core.Checks;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Reporting;

/// <summary>
/// gcc-style lines, <c>path:line:col: severity: message [CODE]</c>, grouped per zone, and a
/// one-line summary. When findings span more than one group, each group opens with a line
/// <c>zone NAME:</c> (or <c>policy:</c> for findings of no zone), which problem matchers skip.
/// Control characters from the policy are escaped, so every finding is one line.
/// </summary>
public static class TextReporter
{
    public static string Render(ReportInput input, bool color)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(writer, input.Findings, color);
        return writer.ToString();
    }

    public static void Write(TextWriter writer, IReadOnlyList<RatedFinding> findings, bool color)
    {
        var groups = ZoneGroup.Of(FindingRater.Sort(findings));
        foreach (var group in groups)
        {
            if (groups.Count > 1)
            {
                writer.Write(group.Zone is null ? "policy:\n" : $"zone {Printable(group.Zone.ToString())}:\n");
            }

            foreach (var f in group.Findings)
            {
                writer.Write(Line(f, color));
            }
        }

        writer.Write(Summary(FindingSummary.Of(findings)) + "\n");
    }

    /// <summary>The summary line without its line end, e.g. <c>1 error, 0 warnings, 2 notices</c>.</summary>
    public static string Summary(FindingSummary s)
    {
        var acknowledged = s.Acknowledged > 0 ? string.Create(CultureInfo.InvariantCulture, $", {s.Acknowledged} acknowledged") : string.Empty;
        return $"{Plural(s.Errors, "error")}, {Plural(s.Warnings, "warning")}, {Plural(s.Notices, "notice")}{acknowledged}";
    }

    private static string Line(RatedFinding f, bool color)
    {
        var severity = f.Severity.ToName();
        if (color)
        {
            severity = (f.Severity switch
            {
                Severity.Error => "\u001b[31m",
                Severity.Warning => "\u001b[33m",
                _ => "\u001b[36m",
            }) + severity + "\u001b[0m";
        }

        var ack = f.Acknowledgement is { } a
            ? string.Create(CultureInfo.InvariantCulture, $" (acknowledged until {a.Until:yyyy-MM-dd}: {Printable(a.Reason)})")
            : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{Printable(f.Location.ToString())}: {severity}: {Printable(f.Finding.Message)}{ack} [{f.Code}]\n");
    }

    /// <summary>
    /// One finding stays on one line, and text from the policy cannot drive the terminal:
    /// control characters are shown as escapes (\n, \r, \t, \x1b).
    /// </summary>
    public static string Printable(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var sb = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    private static string Plural(int n, string word) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {word}{(n == 1 ? string.Empty : "s")}");
}
