// The owner and data templates of BIND's $GENERATE (BIND 9 ARM, "The $GENERATE Directive"): '$'
// stands for the iterator; '${offset[,width[,base]]}' adds offset, pads to width and writes it in
// base d (decimal), o (octal), x/X (hexadecimal) or n/N (nibbles, least significant first, each
// followed by a dot, as for ip6.arpa; width counts the characters written, dots included). '$$'
// writes a '$'; a backslash keeps the next character as it is ('\$' stays an escaped '$' for the
// name or data reader). Checked against named-checkzone -D in the tests.
using System.Globalization;
using System.Text;

namespace NsPolicy.Dns.ZoneFiles;

/// <summary>A parsed $GENERATE template: literal text and value slots.</summary>
internal sealed class GenerateTemplate
{
    /// <summary>BIND writes no more than a name's worth into one slot.</summary>
    private const int MaxWidth = 255;

    private readonly List<Part> _parts;

    private GenerateTemplate(List<Part> parts) => _parts = parts;

    /// <summary>Reads <c>start-stop[/step]</c>: decimal numbers up to 2^31-1, stop not below start, step at least 1.</summary>
    public static bool TryParseRange(string text, out long start, out long stop, out long step, out string? error)
    {
        start = stop = 0;
        step = 1;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var range = slash < 0 ? text : text[..slash];
        var dash = range.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0 || !Number(range[..dash], out start) || !Number(range[(dash + 1)..], out stop)
            || (slash >= 0 && !Number(text[(slash + 1)..], out step)))
        {
            error = $"'{Excerpt.Of(text)}' is not start-stop or start-stop/step with decimal numbers";
            return false;
        }

        error = stop < start ? $"'{Excerpt.Of(text)}' ends before it starts"
            : step == 0 ? $"'{Excerpt.Of(text)}' has step 0"
            : null;
        return error is null;

        static bool Number(string s, out long value)
        {
            value = 0;
            return s.Length is > 0 and <= 10 && s.All(char.IsAsciiDigit)
                && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= int.MaxValue;
        }
    }

    public static bool TryParse(string text, out GenerateTemplate template, out string? error)
    {
        var parts = new List<Part>();
        var literal = new StringBuilder();
        template = new GenerateTemplate(parts);
        error = null;
        for (var k = 0; k < text.Length; k++)
        {
            var c = text[k];
            if (c == '\\')
            {
                literal.Append(c);
                if (k + 1 < text.Length)
                {
                    literal.Append(text[++k]);
                }

                continue;
            }

            if (c != '$')
            {
                literal.Append(c);
                continue;
            }

            if (k + 1 < text.Length && text[k + 1] == '$')
            {
                literal.Append('$');
                k++;
                continue;
            }

            Flush();
            if (k + 1 >= text.Length || text[k + 1] != '{')
            {
                parts.Add(new Part(null, 0, 0, 'd'));
                continue;
            }

            var close = text.IndexOf('}', k + 2);
            if (close < 0)
            {
                error = $"'{Excerpt.Of(text)}' has '${{' without its '}}'";
                return false;
            }

            if (!TryModifier(text[(k + 2)..close], out var slot, out error))
            {
                error = $"'{Excerpt.Of(text)}': {error}";
                return false;
            }

            parts.Add(slot);
            k = close;
        }

        Flush();
        return true;

        void Flush()
        {
            if (literal.Length > 0)
            {
                parts.Add(new Part(literal.ToString(), 0, 0, 'd'));
                literal.Clear();
            }
        }
    }

    /// <summary>The template with <paramref name="value"/> in its slots.</summary>
    public bool TryExpand(long value, out string text, out string? error)
    {
        var sb = new StringBuilder();
        error = null;
        foreach (var part in _parts)
        {
            if (part.Literal is { } literal)
            {
                sb.Append(literal);
                continue;
            }

            var v = value + part.Offset;
            if (v < 0 && part.Base != 'd')
            {
                error = string.Create(CultureInfo.InvariantCulture, $"value {v} is negative, which base {part.Base} cannot write");
                text = string.Empty;
                return false;
            }

            switch (part.Base)
            {
                case 'd':
                    sb.Append(v < 0
                        ? "-" + (-v).ToString(CultureInfo.InvariantCulture).PadLeft(Math.Max(0, part.Width - 1), '0')
                        : v.ToString(CultureInfo.InvariantCulture).PadLeft(part.Width, '0'));
                    break;
                case 'o':
                    sb.Append(Convert.ToString(v, 8).PadLeft(part.Width, '0'));
                    break;
                case 'x':
                case 'X':
                    sb.Append(v.ToString(part.Base == 'x' ? "x" : "X", CultureInfo.InvariantCulture).PadLeft(part.Width, '0'));
                    break;
                default:
                    Nibbles(sb, v, part.Width, upper: part.Base == 'N');
                    break;
            }
        }

        text = sb.ToString();
        return true;
    }

    // Least significant nibble first, each followed by a dot while width is left or more nibbles
    // follow; width counts characters, dots included, so it may end on a dot.
    private static void Nibbles(StringBuilder sb, long value, int width, bool upper)
    {
        var digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
        do
        {
            sb.Append(digits[(int)(value & 0xf)]);
            value >>= 4;
            width = Math.Max(0, width - 1);
            if (width > 0 || value != 0)
            {
                sb.Append('.');
                width = Math.Max(0, width - 1);
            }
        }
        while (value != 0 || width > 0);
    }

    private static bool TryModifier(string text, out Part slot, out string? error)
    {
        slot = default;
        var fields = text.Split(',');
        if (fields.Length > 3)
        {
            error = $"'${{{Excerpt.Of(text)}}}' has more than offset, width and base";
            return false;
        }

        if (!int.TryParse(fields[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var offset))
        {
            error = $"offset '{Excerpt.Of(fields[0])}' is not a whole number";
            return false;
        }

        var width = 0;
        if (fields.Length > 1 && (!int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out width) || width > MaxWidth))
        {
            error = $"width '{Excerpt.Of(fields[1])}' is not a number from 0 to {MaxWidth}";
            return false;
        }

        var @base = 'd';
        if (fields.Length > 2)
        {
            if (fields[2].Length != 1 || "doxXnN".IndexOf(fields[2][0], StringComparison.Ordinal) < 0)
            {
                error = $"base '{Excerpt.Of(fields[2])}' is not one of d, o, x, X, n, N";
                return false;
            }

            @base = fields[2][0];
        }

        slot = new Part(null, offset, width, @base);
        error = null;
        return true;
    }

    private readonly record struct Part(string? Literal, int Offset, int Width, char Base);
}
