// Every message that quotes what it read (a zone-file token, a policy value, a server's answer, an
// API's error text) quotes it through this one helper, so no input reaches a report raw: at most a
// short excerpt, and nothing in it can move a terminal's cursor, break a line or hide text.
using System.Globalization;
using System.Text;

namespace NsPolicy.Dns;

/// <summary>
/// A short, printable excerpt of untrusted text: at most <see cref="MaxChars"/> characters of
/// output, cut with "…"; control characters, format characters (bidirectional overrides, zero-width
/// characters, the byte-order mark), separators other than the ASCII space, unassigned, private-use
/// and lone surrogate code points are written as the <c>\DDD</c> decimal escapes of their UTF-8
/// octets, as DNS presentation format writes octets (RFC 1035 §5.1). Other text, backslashes
/// included, is kept as written. Applying it to its own result changes nothing.
/// </summary>
public static class Excerpt
{
    /// <summary>The most characters an excerpt holds, its escapes counted, the "…" not.</summary>
    public const int MaxChars = 40;

    private const char Cut = '…';

    public static string Of(string? text) => text is null ? string.Empty : Of(text.AsSpan(), MaxChars);

    public static string Of(string? text, int max) => text is null ? string.Empty : Of(text.AsSpan(), max);

    public static string Of(ReadOnlySpan<char> text) => Of(text, MaxChars);

    /// <summary>An excerpt of at most <paramref name="max"/> characters (plus "…" when cut).</summary>
    public static string Of(ReadOnlySpan<char> text, int max)
    {
        // An excerpt already: printable, and at most max characters before a closing "…".
        var body = text.Length > 0 && text[^1] == Cut ? text[..^1] : text;
        if (body.Length <= max && IsPrintable(body))
        {
            return new string(text);
        }

        var sb = new StringBuilder(Math.Min(text.Length, max) + 8);
        var octets = new byte[4];
        for (var i = 0; i < text.Length;)
        {
            var width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            var unit = text.Slice(i, width);
            string piece;
            if (Printable(unit))
            {
                piece = new string(unit);
            }
            else
            {
                // A lone surrogate has no UTF-8 form: it is shown as the replacement character's octets.
                var count = Rune.TryGetRuneAt(new string(unit), 0, out var rune) ? rune.EncodeToUtf8(octets) : Rune.ReplacementChar.EncodeToUtf8(octets);
                var escaped = new StringBuilder(count * 4);
                for (var k = 0; k < count; k++)
                {
                    escaped.Append('\\').Append(octets[k].ToString("D3", CultureInfo.InvariantCulture));
                }

                piece = escaped.ToString();
            }

            if (sb.Length + piece.Length > max)
            {
                return sb.Append(Cut).ToString();
            }

            sb.Append(piece);
            i += width;
        }

        return sb.ToString();
    }

    /// <summary>Whether every character of the text would be kept as written.</summary>
    public static bool IsPrintable(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= ' ' and < '\u007f')
            {
                continue;
            }

            var width = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            if (!Printable(text.Slice(i, width)))
            {
                return false;
            }

            i += width - 1;
        }

        return true;
    }

    private static bool Printable(ReadOnlySpan<char> unit)
    {
        var c = unit[0];
        if (c is >= ' ' and < '\u007f')
        {
            return true;
        }

        if (unit.Length == 1 && char.IsSurrogate(c))
        {
            return false;
        }

        var category = unit.Length == 2
            ? CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(unit[0], unit[1]))
            : CharUnicodeInfo.GetUnicodeCategory(c);
        return category is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator or UnicodeCategory.SpaceSeparator);
    }
}
