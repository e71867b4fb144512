using System.Globalization;
using System.Text;

namespace NsPolicy.Core.Changes;

/// <summary>How <c>nspolicy diff</c> prints the delegation changes: plain text, or Markdown for a pull-request comment.</summary>
public static class DiffRenderer
{
    public static string Text(IReadOnlyList<ZoneDiff> diffs, string baseRevision)
    {
        ArgumentNullException.ThrowIfNull(diffs);
        var text = new StringBuilder();
        foreach (var zone in diffs)
        {
            text.Append(zone.Zone).Append('\n');
            foreach (var change in zone.Changes)
            {
                var sign = change.Kind switch { ChangeKind.Added => '+', ChangeKind.Removed => '-', _ => '~' };
                text.Append("  ").Append(sign).Append(' ').Append(change.What).Append(' ').Append(change.Subject);
                if (change.Kind == ChangeKind.Changed || change.What == "glue")
                {
                    text.Append(": ").Append(change.Before ?? "none").Append(" -> ").Append(change.After ?? "none");
                }

                text.Append(" (").Append(change.Source).Append(")\n");
            }

            foreach (var finding in zone.SerialFindings)
            {
                text.Append("  ! ").Append(finding.Location).Append(": error: ").Append(finding.Message).Append(" [").Append(finding.Code).Append("]\n");
            }
        }

        text.Append(Summary(diffs, baseRevision, code: false)).Append('\n');
        return text.ToString();
    }

    public static string Markdown(IReadOnlyList<ZoneDiff> diffs, string baseRevision)
    {
        ArgumentNullException.ThrowIfNull(diffs);
        var md = new StringBuilder();
        md.Append("### Delegation changes since `").Append(Code(baseRevision)).Append("`\n\n");
        md.Append(Summary(diffs, baseRevision, code: true)).Append('\n');
        foreach (var zone in diffs)
        {
            md.Append("\n#### `").Append(zone.Zone).Append("`\n\n");
            foreach (var finding in zone.SerialFindings)
            {
                md.Append(":x: **error** `").Append(Code(finding.Location.ToString())).Append("`: `").Append(Code(finding.Message)).Append('`')
                    .Append(" (`").Append(finding.Code).Append("`)\n\n");
            }

            if (zone.Changes.Count == 0)
            {
                continue;
            }

            md.Append("| change | record | before | after | source |\n|---|---|---|---|---|\n");
            foreach (var change in zone.Changes)
            {
                md.Append("| ").Append(change.Kind.ToString().ToLowerInvariant())
                    .Append(" | ").Append(change.What).Append(" `").Append(Code(change.Subject)).Append('`')
                    .Append(" | ").Append(Cell(change.Before))
                    .Append(" | ").Append(Cell(change.After))
                    .Append(" | ").Append(change.Source).Append(" |\n");
            }
        }

        return md.ToString();
    }

    private static string Summary(IReadOnlyList<ZoneDiff> diffs, string baseRevision, bool code)
    {
        var revision = code ? $"`{Code(baseRevision)}`" : baseRevision;
        var changes = diffs.Sum(d => d.Changes.Count);
        var zones = diffs.Count(d => d.Changes.Count > 0);
        var serials = diffs.Sum(d => d.SerialFindings.Count);
        var summary = changes == 0
            ? $"No delegation changes since {revision}."
            : string.Create(CultureInfo.InvariantCulture,
                $"{changes} delegation change{(changes == 1 ? string.Empty : "s")} in {zones} zone{(zones == 1 ? string.Empty : "s")} since {revision}.");
        return serials == 0
            ? summary
            : summary + string.Create(CultureInfo.InvariantCulture, $" {serials} SOA serial error{(serials == 1 ? string.Empty : "s")}: changed zone data that secondaries will not transfer.");
    }

    private static string Cell(string? value) => value is null ? string.Empty : "`" + Code(value) + "`";

    // Inside a code span: no backticks, no pipes (they would end the table cell), no line breaks.
    private static string Code(string value) =>
        value.Replace('`', '\'').Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');
}
