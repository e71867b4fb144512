using System.Globalization;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Reporting;

/// <summary>gcc-style lines, <c>path:line:col: severity: message [CODE]</c>, and a summary line.</summary>
public static class TextReporter
{
    public static void Write(TextWriter writer, IReadOnlyList<RatedFinding> findings, bool color)
    {
        foreach (var f in findings)
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
                ? string.Create(CultureInfo.InvariantCulture, $" (acknowledged until {a.Until:yyyy-MM-dd}: {a.Reason})")
                : string.Empty;
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{f.Location}: {severity}: {f.Finding.Message}{ack} [{f.Code}]\n"));
        }

        var s = FindingSummary.Of(findings);
        var acknowledged = s.Acknowledged > 0 ? string.Create(CultureInfo.InvariantCulture, $", {s.Acknowledged} acknowledged") : string.Empty;
        writer.Write(string.Create(CultureInfo.InvariantCulture,
            $"{Plural(s.Errors, "error")}, {Plural(s.Warnings, "warning")}, {Plural(s.Notices, "notice")}{acknowledged}\n"));
    }

    private static string Plural(int n, string word) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {word}{(n == 1 ? string.Empty : "s")}");
}
