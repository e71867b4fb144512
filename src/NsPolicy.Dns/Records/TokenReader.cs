// Reads the presentation tokens of one RDATA (RFC 1035 §5.1) and names every problem plainly.
using System.Globalization;
using System.Text;
using NsPolicy.Dns.Dnssec;

namespace NsPolicy.Dns.Records;

internal sealed class TokenReader(RecordType type, IReadOnlyList<string> tokens, DnsName origin)
{
    private int _index;

    public RecordType Type => type;

    public bool AtEnd => _index >= tokens.Count;

    public string Next(string what)
    {
        if (AtEnd)
        {
            throw new FormatException($"{type} record is missing its {what}");
        }

        return tokens[_index++];
    }

    public DnsName NextName(string what)
    {
        var token = Next(what);
        if (!DnsName.TryParse(token, origin, out var name, out var error))
        {
            throw new FormatException($"{type} {what} '{token}' is not a valid name: {error}");
        }

        return name!;
    }

    public byte NextByte(string what) => (byte)NextNumber(what, byte.MaxValue);

    public ushort NextUInt16(string what) => (ushort)NextNumber(what, ushort.MaxValue);

    public uint NextUInt32(string what) => (uint)NextNumber(what, uint.MaxValue);

    public uint NextDuration(string what)
    {
        var token = Next(what);
        return Presentation.TryParseDuration(token, out var seconds)
            ? seconds
            : throw new FormatException($"{type} {what} '{token}' is not a number of seconds");
    }

    public DnssecAlgorithm NextAlgorithm()
    {
        var token = Next("algorithm");
        return DnssecAlgorithms.TryParse(token, out var algorithm)
            ? algorithm
            : throw new FormatException($"{type} algorithm '{token}' is not a number from 0 to 255 or a known mnemonic");
    }

    public RecordType NextType(string what)
    {
        var token = Next(what);
        return RecordType.TryParse(token, out var t)
            ? t
            : throw new FormatException($"{type} {what} '{token}' is not a record type");
    }

    /// <summary>All remaining tokens joined, as hexadecimal (white space inside is allowed, RFC 4034 §5.3).</summary>
    public byte[] RestHex(string what)
    {
        var text = Rest(what);
        if (text.Length % 2 != 0 || text.AsSpan().IndexOfAnyExcept("0123456789abcdefABCDEF") >= 0)
        {
            throw new FormatException($"{type} {what} '{Shorten(text)}' is not hexadecimal");
        }

        return Convert.FromHexString(text);
    }

    /// <summary>All remaining tokens joined, as base64 (RFC 4034 §2.2).</summary>
    public byte[] RestBase64(string what)
    {
        var text = Rest(what);
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new FormatException($"{type} {what} '{Shorten(text)}' is not base64");
        }
    }

    public void ExpectEnd()
    {
        if (!AtEnd)
        {
            var extra = new StringBuilder();
            for (var i = _index; i < tokens.Count; i++)
            {
                extra.Append(i == _index ? string.Empty : " ").Append(tokens[i]);
            }

            throw new FormatException($"{type} record has unexpected text after its fields: '{Shorten(extra.ToString())}'");
        }
    }

    public IReadOnlyList<string> RestTokens()
    {
        var rest = new List<string>();
        while (!AtEnd)
        {
            rest.Add(tokens[_index++]);
        }

        return rest;
    }

    private string Rest(string what)
    {
        if (AtEnd)
        {
            throw new FormatException($"{type} record is missing its {what}");
        }

        return string.Concat(RestTokens());
    }

    private ulong NextNumber(string what, ulong max)
    {
        var token = Next(what);
        if (token.Length is 0 or > 20 || token.AsSpan().IndexOfAnyExceptInRange('0', '9') >= 0
            || !ulong.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > max)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{type} {what} '{token}' is not a number from 0 to {max}"));
        }

        return value;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
}
