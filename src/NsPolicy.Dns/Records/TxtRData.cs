// TXT: RFC 1035 §3.3.14 — one or more character-strings (§3.3), each at most 255 octets.
// Presentation: each string quoted, '"' and '\' escaped, other non-printable octets as \DDD.
using System.Collections.Immutable;
using System.Text;

namespace NsPolicy.Dns.Records;

public sealed class TxtRData : RData
{
    public TxtRData(IEnumerable<ImmutableArray<byte>> strings)
    {
        ArgumentNullException.ThrowIfNull(strings);
        Strings = [.. strings];
        if (Strings.IsEmpty)
        {
            throw new ArgumentException("TXT record needs at least one character-string", nameof(strings));
        }

        foreach (var s in Strings)
        {
            if (s.Length > 255)
            {
                throw new ArgumentException("a TXT character-string is at most 255 octets", nameof(strings));
            }
        }
    }

    /// <summary>Text as UTF-8, split into character-strings of at most 255 octets.</summary>
    public TxtRData(string text)
        : this(Split(Encoding.UTF8.GetBytes(text ?? throw new ArgumentNullException(nameof(text)))))
    {
    }

    public ImmutableArray<ImmutableArray<byte>> Strings { get; }

    /// <summary>All strings joined and decoded as UTF-8 (invalid sequences replaced).</summary>
    public string JoinedText
    {
        get
        {
            var all = new List<byte>();
            foreach (var s in Strings)
            {
                all.AddRange(s);
            }

            return Encoding.UTF8.GetString([.. all]);
        }
    }

    public override RecordType Type => RecordType.TXT;

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var s in Strings)
        {
            if (sb.Length > 0)
            {
                sb.Append(' ');
            }

            Presentation.AppendCharacterString(sb, s.AsSpan());
        }

        return sb.ToString();
    }

    internal override void WriteTo(WireWriter writer)
    {
        foreach (var s in Strings)
        {
            writer.WriteCharacterString(s.AsSpan());
        }
    }

    internal static TxtRData Read(WireReader r, int length)
    {
        if (length == 0)
        {
            throw WireReader.Error(r.Position, "TXT RDATA is empty; it needs at least one character-string");
        }

        var strings = new List<ImmutableArray<byte>>();
        while (r.Remaining > 0)
        {
            strings.Add([.. r.ReadCharacterString("TXT character-string")]);
        }

        return new TxtRData(strings);
    }

    internal static TxtRData Parse(TokenReader t)
    {
        var strings = new List<ImmutableArray<byte>>(1);
        do
        {
            var token = t.NextSpan("text");
            strings.Add(Plain(token) is { } plain
                ? System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(plain)
                : [.. Presentation.DecodeCharacterString(new string(token), "TXT string")]);
        }
        while (!t.AtEnd);
        return new TxtRData(strings);
    }

    /// <summary>
    /// The octets of a character-string written the common way, quoted or not, in printable ASCII
    /// without escapes and within 255 octets; null for anything else, which the full decoder reads.
    /// </summary>
    private static byte[]? Plain(ReadOnlySpan<char> token)
    {
        if (token.Length >= 2 && token[0] == '"' && token[^1] == '"')
        {
            token = token[1..^1];
        }

        if (token.Length > 255 || token.ContainsAnyExceptInRange(' ', '~') || token.ContainsAny('"', '\\'))
        {
            return null;
        }

        var bytes = new byte[token.Length];
        System.Text.Encoding.ASCII.GetBytes(token, bytes);
        return bytes;
    }

    private static List<ImmutableArray<byte>> Split(byte[] bytes)
    {
        var list = new List<ImmutableArray<byte>>();
        for (var i = 0; i < bytes.Length || list.Count == 0; i += 255)
        {
            list.Add([.. bytes.AsSpan(i, Math.Min(255, bytes.Length - i))]);
        }

        return list;
    }
}
