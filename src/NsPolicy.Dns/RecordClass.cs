// Resource record CLASS values: RFC 1035 §3.2.4, RFC 2136 §2.4 (NONE); unknown classes print and
// parse as CLASSnnn (RFC 3597 §5).
using System.Globalization;

namespace NsPolicy.Dns;

/// <summary>A record class: any 16-bit value, with mnemonics for the known ones.</summary>
public readonly record struct RecordClass(ushort Value)
{
    public static RecordClass IN => new(1);
    public static RecordClass CH => new(3);
    public static RecordClass HS => new(4);
    public static RecordClass NONE => new(254);
    public static RecordClass ANY => new(255);

    public override string ToString() => Value switch
    {
        1 => "IN",
        3 => "CH",
        4 => "HS",
        254 => "NONE",
        255 => "ANY",
        _ => "CLASS" + Value.ToString(CultureInfo.InvariantCulture),
    };

    public static RecordClass Parse(string text) =>
        TryParse(text, out var c) ? c : throw new FormatException($"'{Excerpt.Of(text)}' is not a record class");

    public static bool TryParse(string? text, out RecordClass recordClass)
    {
        recordClass = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        foreach (var known in (ReadOnlySpan<RecordClass>)[IN, CH, HS, NONE, ANY])
        {
            if (string.Equals(known.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                recordClass = known;
                return true;
            }
        }

        if (text.Length > 5 && text.StartsWith("CLASS", StringComparison.OrdinalIgnoreCase)
            && text.AsSpan(5).IndexOfAnyExceptInRange('0', '9') < 0
            && ushort.TryParse(text.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            recordClass = new RecordClass(value);
            return true;
        }

        return false;
    }
}
