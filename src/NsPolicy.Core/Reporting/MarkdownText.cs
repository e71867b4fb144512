using System.Text;

namespace NsPolicy.Core.Reporting;

/// <summary>Escaping for GitHub-flavoured Markdown built from untrusted text (names, paths, reasons).</summary>
internal static class MarkdownText
{
    /// <summary>Text for a table cell or paragraph: Markdown and HTML specials escaped, line breaks flattened.</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '#' or '~' or '!':
                    sb.Append('\\').Append(c);
                    break;
                case '<':
                    sb.Append("&lt;");
                    break;
                case '>':
                    sb.Append("&gt;");
                    break;
                case '&':
                    sb.Append("&amp;");
                    break;
                case var control when char.IsControl(control):
                    sb.Append(' ');
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>A code span that survives backticks and pipes inside it (the latter for tables).</summary>
    public static string Code(string text)
    {
        var flat = new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Replace("|", "\\|", StringComparison.Ordinal);
        var fence = flat.Contains('`', StringComparison.Ordinal) ? "``" : "`";
        var pad = flat.StartsWith('`') || flat.EndsWith('`') ? " " : string.Empty;
        return fence + pad + flat + pad + fence;
    }
}
