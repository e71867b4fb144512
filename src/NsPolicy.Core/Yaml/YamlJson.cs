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
                var v = scalar.Value;
                if (v.StartsWith("0x", StringComparison.Ordinal) &&
                    long.TryParse(v.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
                {
                    return hex.ToString(CultureInfo.InvariantCulture);
                }

                if (v.StartsWith("0o", StringComparison.Ordinal))
                {
                    try
                    {
                        return Convert.ToInt64(v[2..], 8).ToString(CultureInfo.InvariantCulture);
                    }
                    catch (OverflowException)
                    {
                        return Quote(v);
                    }
                }

                v = v.TrimStart('+');
                var negative = v.StartsWith('-');
                var digits = (negative ? v[1..] : v).TrimStart('0');
                if (!long.TryParse(digits.Length == 0 ? "0" : digits, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    // Beyond 64 bits (e.g. a hex DS digest that happens to be all digits): the schema
                    // validator cannot take such a number, and the text is what the author meant.
                    return Quote(scalar.Value);
                }

                return (negative && digits.Length > 0 ? "-" : string.Empty) + (digits.Length == 0 ? "0" : digits);
            case ScalarKind.Float:
                return double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                    ? d.ToString("R", CultureInfo.InvariantCulture)
                    : Quote(scalar.Value);
            default:
                return Quote(scalar.Value);
        }
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
