// Reads the presentation tokens of one RDATA (RFC 1035 §5.1) and names every problem plainly.
// Tokens are read as spans where the field allows (numbers, names, addresses, hex, base64), so the
// zone-file loader hands its token buffer over without making a string of every token.
using System.Buffers;
using System.Globalization;
using System.Text;
using NsPolicy.Dns.Dnssec;

namespace NsPolicy.Dns.Records;

/// <summary>The presentation tokens of one RDATA: quoted strings keep their quotes and escapes.</summary>
internal interface IPresentationTokens
{
    int Count { get; }

    ReadOnlySpan<char> Span(int index);

    string Text(int index);
}

/// <summary>Tokens that are already strings.</summary>
internal sealed class StringTokens(IReadOnlyList<string> tokens) : IPresentationTokens
{
    public int Count => tokens.Count;

    public ReadOnlySpan<char> Span(int index) => tokens[index];

    public string Text(int index) => tokens[index];
}

/// <summary>Parses names for a <see cref="TokenReader"/>; the zone-file loader's one shares recent names.</summary>
internal interface INameParser
{
    bool TryParse(ReadOnlySpan<char> text, DnsName origin, out DnsName? name, out string? error);
}

internal sealed class TokenReader(RecordType type, IPresentationTokens tokens, DnsName origin, INameParser? names = null)
{
    private int _index;

    public RecordType Type => type;

    public bool AtEnd => _index >= tokens.Count;

    public string Next(string what)
    {
        Need(what);
        return tokens.Text(_index++);
    }

    /// <summary>The next token as characters, valid until the loader reads on.</summary>
    public ReadOnlySpan<char> NextSpan(string what)
    {
        Need(what);
        return tokens.Span(_index++);
    }

    public DnsName NextName(string what)
    {
        var token = NextSpan(what);
        var parsed = names is null
            ? DnsName.TryParse(token, origin, out var name, out var error)
            : names.TryParse(token, origin, out name, out error);
        if (!parsed)
        {
            throw new FormatException($"{type} {what} '{Excerpt.Of(token)}' is not a valid name: {error}");
        }

        return name!;
    }

    public byte NextByte(string what) => (byte)NextNumber(what, byte.MaxValue);

    public ushort NextUInt16(string what) => (ushort)NextNumber(what, ushort.MaxValue);

    public uint NextUInt32(string what) => (uint)NextNumber(what, uint.MaxValue);

    public uint NextDuration(string what)
    {
        var token = NextSpan(what);
        return Presentation.TryParseDuration(token, out var seconds)
            ? seconds
            : throw new FormatException($"{type} {what} '{Excerpt.Of(token)}' is not a number of seconds");
    }

    public DnssecAlgorithm NextAlgorithm()
    {
        var token = Next("algorithm");
        return DnssecAlgorithms.TryParse(token, out var algorithm)
            ? algorithm
            : throw new FormatException($"{type} algorithm '{Excerpt.Of(token)}' is not a number from 0 to 255 or a known mnemonic");
    }

    public RecordType NextType(string what)
    {
        var token = Next(what);
        return RecordType.TryParse(token, out var t)
            ? t
            : throw new FormatException($"{type} {what} '{Excerpt.Of(token)}' is not a record type");
    }

    /// <summary>All remaining tokens joined, as hexadecimal (white space inside is allowed, RFC 4034 §5.3).</summary>
    public byte[] RestHex(string what)
    {
        var rented = Rest(what, out var length);
        try
        {
            var text = rented.AsSpan(0, length);
            if (text.Length % 2 != 0 || text.IndexOfAnyExcept(HexDigits) >= 0)
            {
                throw new FormatException($"{type} {what} '{Excerpt.Of(text)}' is not hexadecimal");
            }

            return Convert.FromHexString(text);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>All remaining tokens joined, as base64 (RFC 4034 §2.2).</summary>
    public byte[] RestBase64(string what)
    {
        var rented = Rest(what, out var length);
        var bytes = ArrayPool<byte>.Shared.Rent((length / 4 * 3) + 3);
        try
        {
            var text = rented.AsSpan(0, length);
            return Convert.TryFromBase64Chars(text, bytes, out var written)
                ? bytes.AsSpan(0, written).ToArray()
                : throw new FormatException($"{type} {what} '{Excerpt.Of(text)}' is not base64");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    public void ExpectEnd()
    {
        if (!AtEnd)
        {
            var extra = new StringBuilder();
            for (var i = _index; i < tokens.Count; i++)
            {
                extra.Append(i == _index ? string.Empty : " ").Append(tokens.Span(i));
            }

            throw new FormatException($"{type} record has unexpected text after its fields: '{Excerpt.Of(extra.ToString())}'");
        }
    }

    public IReadOnlyList<string> RestTokens()
    {
        var rest = new List<string>();
        while (!AtEnd)
        {
            rest.Add(tokens.Text(_index++));
        }

        return rest;
    }

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    private void Need(string what)
    {
        if (AtEnd)
        {
            throw new FormatException($"{type} record is missing its {what}");
        }
    }

    // The remaining tokens concatenated into a rented buffer (the caller returns it).
    private char[] Rest(string what, out int length)
    {
        Need(what);
        length = 0;
        for (var i = _index; i < tokens.Count; i++)
        {
            length += tokens.Span(i).Length;
        }

        var buffer = ArrayPool<char>.Shared.Rent(Math.Max(length, 1));
        var at = 0;
        while (!AtEnd)
        {
            var token = tokens.Span(_index++);
            token.CopyTo(buffer.AsSpan(at));
            at += token.Length;
        }

        return buffer;
    }

    private ulong NextNumber(string what, ulong max)
    {
        var token = NextSpan(what);
        if (token.Length is 0 or > 20 || token.IndexOfAnyExceptInRange('0', '9') >= 0
            || !ulong.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > max)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{type} {what} '{Excerpt.Of(token)}' is not a number from 0 to {max}"));
        }

        return value;
    }

}
