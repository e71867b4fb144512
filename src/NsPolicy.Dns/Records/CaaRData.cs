// CAA: RFC 8659 §4.1 — flags, tag (1–15 ASCII letters and digits), value. Presentation (§4.1.1):
// flags as a number, the tag, the value as a quoted character-string.
using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace NsPolicy.Dns.Records;

public sealed class CaaRData : RData
{
    public CaaRData(byte flags, string tag, ImmutableArray<byte> value)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (!IsValidTag(tag))
        {
            throw new ArgumentException($"CAA tag '{Excerpt.Of(tag)}' must be 1–15 ASCII letters and digits", nameof(tag));
        }

        Flags = flags;
        Tag = tag;
        Value = value.IsDefault ? [] : value;
    }

    public byte Flags { get; }

    /// <summary>The issuer-critical flag (bit 0, value 128).</summary>
    public bool IsCritical => (Flags & 0x80) != 0;

    public string Tag { get; }

    public ImmutableArray<byte> Value { get; }

    public override RecordType Type => RecordType.CAA;

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(Flags.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Tag).Append(' ');
        Presentation.AppendCharacterString(sb, Value.AsSpan());
        return sb.ToString();
    }

    internal override void WriteTo(WireWriter writer)
    {
        writer.WriteByte(Flags);
        writer.WriteCharacterString(Encoding.ASCII.GetBytes(Tag));
        writer.WriteBytes(Value.AsSpan());
    }

    internal static CaaRData Read(WireReader r)
    {
        var flags = r.ReadByte("CAA flags");
        var at = r.Position;
        var tag = Encoding.ASCII.GetString(r.ReadCharacterString("CAA tag"));
        if (!IsValidTag(tag))
        {
            throw WireReader.Error(at, "CAA tag must be 1–15 ASCII letters and digits");
        }

        return new CaaRData(flags, tag, [.. r.ReadRest()]);
    }

    internal static CaaRData Parse(TokenReader t)
    {
        var flags = t.NextByte("flags");
        var tag = t.Next("tag");
        if (!IsValidTag(tag))
        {
            throw new FormatException($"CAA tag '{Excerpt.Of(tag)}' must be 1–15 ASCII letters and digits");
        }

        var token = t.Next("value");
        var value = token.Length > 255 + 2 && !token.StartsWith('"')
            ? throw new FormatException("CAA value is longer than 255 octets; quote it")
            : Presentation.DecodeCharacterString(token, "CAA value");
        return new CaaRData(flags, tag, [.. value]);
    }

    private static bool IsValidTag(string tag) =>
        tag.Length is >= 1 and <= 15 && !tag.AsSpan().ContainsAnyExcept("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
}
