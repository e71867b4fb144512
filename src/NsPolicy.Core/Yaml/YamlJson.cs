using System.Globalization;
using System.Text;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Yaml;

/// <summary>
/// Writes a YAML tree as JSON text with every token on a line of its own, and remembers for each
/// JSON line the YAML position and a readable path, so that schema errors (which carry JSON line
/// numbers) can be reported at the YAML line and column where they occur.
/// </summary>
internal sealed class YamlJson
{
    private readonly StringBuilder text = new();
    private readonly List<(SourcePosition Position, string Path)> lines = [default];

    private YamlJson()
    {
    }

    public string Json => text.ToString();

    public static YamlJson From(YamlNode root)
    {
        var json = new YamlJson();
        json.Write(root, root.Start, string.Empty);
        return json;
    }

    /// <summary>The YAML position and path for a 1-based JSON line, or the nearest line before it.</summary>
    public (SourcePosition Position, string Path) At(int jsonLine)
    {
        var line = Math.Clamp(jsonLine, 1, lines.Count - 1);
        return lines[line];
    }

    private void Line(string content, SourcePosition position, string path)
    {
        text.Append(content).Append('\n');
        lines.Add((position, path));
    }

    private void Write(YamlNode node, SourcePosition at, string path)
    {
        switch (node)
        {
            case YamlMapping mapping:
                Line("{", mapping.Start, path);
                for (var i = 0; i < mapping.Entries.Count; i++)
                {
                    var (key, value) = mapping.Entries[i];
                    var keyPath = Child(path, key.Value);
                    Line((i > 0 ? "," : string.Empty) + Quote(key.Value) + ":", key.Start, keyPath);
                    Write(value, value.Start, keyPath);
                }

                Line("}", mapping.Start, path);
                break;
            case YamlSequence sequence:
                Line("[", sequence.Start, path);
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    if (i > 0)
                    {
                        Line(",", sequence.Items[i].Start, path);
                    }

                    var item = sequence.Items[i];
                    Write(item, item.Start, path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]");
                }

                Line("]", sequence.Start, path);
                break;
            case YamlScalar scalar:
                Line(Literal(scalar), at, path);
                break;
        }
    }

    private static string Child(string path, string key)
    {
        var simple = key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
        if (simple)
        {
            return path.Length == 0 ? key : path + "." + key;
        }

        return path + "[" + Quote(key) + "]";
    }

    private static string Literal(YamlScalar scalar)
    {
        switch (scalar.Kind)
        {
            case ScalarKind.Null:
                return "null";
            case ScalarKind.Boolean:
                return scalar.Value.ToLowerInvariant();
            case ScalarKind.Integer:
                // Beyond 64 bits (e.g. a hex DS digest that happens to be all digits): the schema
                // validator cannot take such a number, and the text is what the author meant.
                return TryParseInteger(scalar.Value, out var integer)
                    ? integer.ToString(CultureInfo.InvariantCulture)
                    : Quote(scalar.Value);
            case ScalarKind.Float:
                // Always with a fraction or exponent, so that 2.0 and 1e0 stay floats (YAML 1.2
                // core schema) and the schema rejects them where it wants an integer.
                if (!double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
                {
                    return Quote(scalar.Value);
                }

                var r = d.ToString("R", CultureInfo.InvariantCulture);
                return r.AsSpan().IndexOfAny('.', 'E', 'e') >= 0 ? r : r + ".0";
            default:
                return Quote(scalar.Value);
        }
    }

    /// <summary>
    /// The value of a YAML 1.2 core-schema integer (<c>-12</c>, <c>+7</c>, <c>0o17</c>,
    /// <c>0x1F</c>); false when the text is not one or does not fit in 64 bits.
    /// </summary>
    internal static bool TryParseInteger(string text, out long value)
    {
        value = 0;
        if (text.StartsWith("0x", StringComparison.Ordinal))
        {
            return text.Length > 2 && text.Length <= 17 && text.AsSpan(2).IndexOfAnyExcept("0123456789abcdefABCDEF") < 0
                && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && value >= 0;
        }

        if (text.StartsWith("0o", StringComparison.Ordinal))
        {
            var digits = text.AsSpan(2).TrimStart('0');
            if (text.Length == 2 || text.AsSpan(2).IndexOfAnyExcept("01234567") >= 0 || digits.Length > 21)
            {
                return false;
            }

            ulong v = 0;
            foreach (var c in digits)
            {
                v = (v * 8) + (ulong)(c - '0');
            }

            value = (long)v;
            return v <= long.MaxValue;
        }

        var body = text.AsSpan();
        var negative = false;
        if (body.Length > 0 && body[0] is '+' or '-')
        {
            negative = body[0] == '-';
            body = body[1..];
        }

        if (body.Length == 0 || body.IndexOfAnyExceptInRange('0', '9') >= 0)
        {
            return false;
        }

        body = body.TrimStart('0');
        if (body.Length == 0)
        {
            return true;
        }

        if (!long.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            return false;
        }

        value = negative ? -value : value;
        return true;
    }

    internal static string Quote(string s)
    {
        var b = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': b.Append("\\\""); break;
                case '\\': b.Append("\\\\"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        b.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        b.Append(c);
                    }

                    break;
            }
        }

        return b.Append('"').ToString();
    }
}
