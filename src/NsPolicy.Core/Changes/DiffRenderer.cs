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
        if (diffs.Count == 0)
        {
            return $"No delegation changes since {revision}.";
        }

        var changes = diffs.Sum(d => d.Changes.Count);
        return string.Create(CultureInfo.InvariantCulture,
            $"{changes} delegation change{(changes == 1 ? string.Empty : "s")} in {diffs.Count} zone{(diffs.Count == 1 ? string.Empty : "s")} since {revision}.");
    }

    private static string Cell(string? value) => value is null ? string.Empty : "`" + Code(value) + "`";

    // Inside a code span: no backticks, no pipes (they would end the table cell), no line breaks.
    private static string Code(string value) =>
        value.Replace('`', '\'').Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');
}
