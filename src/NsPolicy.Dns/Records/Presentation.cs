// Presentation-format helpers: RFC 1035 §5.1 (character-strings, escapes), RFC 4648 §7 (base32hex
// for NSEC3), RFC 4034 §3.2 (RRSIG time stamps), BIND's TTL units (1w2d3h4m5s).
using System.Globalization;
using System.Text;

namespace NsPolicy.Dns.Records;

internal static class Presentation
{
    private const string Base32HexAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUV";

    /// <summary>Splits one line on white space outside double quotes; quotes and escapes are kept in the tokens.</summary>
    public static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        var inToken = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                current.Append(c).Append(text[++i]);
                inToken = true;
                continue;
            }

            if (c == '"')
            {
                quoted = !quoted;
                current.Append(c);
                inToken = true;
                continue;
            }

            if (!quoted && char.IsWhiteSpace(c))
            {
                if (inToken)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                    inToken = false;
                }

                continue;
            }

            current.Append(c);
            inToken = true;
        }

        if (quoted)
        {
            throw new FormatException($"unterminated quoted string in '{Excerpt.Of(text)}'");
        }

        if (inToken)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }

    /// <summary>Decodes a character-string token, quoted or not, with \X and \DDD escapes; other text as UTF-8.</summary>
    public static byte[] DecodeCharacterString(string token, string what)
    {
        var span = token.AsSpan();
        if (span.Length >= 2 && span[0] == '"' && span[^1] == '"')
        {
            span = span[1..^1];
        }
        else if (span.Contains('"'))
        {
            throw new FormatException($"{what} {token} has a stray double quote");
        }

        var bytes = new List<byte>(span.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            if (c == '\\')
            {
                if (i + 1 >= span.Length)
                {
                    throw new FormatException($"{what} {token} ends with a lone backslash");
                }

                if (char.IsAsciiDigit(span[i + 1]))
                {
                    if (i + 3 >= span.Length)
                    {
                        throw new FormatException($"escape in {what} {token} needs three decimal digits");
                    }

                    if (!char.IsAsciiDigit(span[i + 2]) || !char.IsAsciiDigit(span[i + 3]))
                    {
                        throw new FormatException($"escape in {what} {token} needs three decimal digits");
                    }

                    var value = ((span[i + 1] - '0') * 100) + ((span[i + 2] - '0') * 10) + (span[i + 3] - '0');
                    if (value > 255)
                    {
                        throw new FormatException($"escape in {what} {token} is above 255");
                    }

                    bytes.Add((byte)value);
                    i += 3;
                    continue;
                }

                c = span[++i];
            }

            if (c < 0x80)
            {
                bytes.Add((byte)c);
                continue;
            }

            var rune = char.IsHighSurrogate(c) && i + 1 < span.Length
                ? new Rune(c, span[++i])
                : new Rune(c);
            var n = rune.EncodeToUtf8(utf8);
            for (var k = 0; k < n; k++)
            {
                bytes.Add(utf8[k]);
            }
        }

        if (bytes.Count > 255)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{what} is {bytes.Count} octets long; the limit is 255"));
        }

        return [.. bytes];
    }

    /// <summary>A quoted character-string as BIND prints it: \" and \\ escaped, octets outside printable ASCII as \DDD.</summary>
    public static void AppendCharacterString(StringBuilder sb, ReadOnlySpan<byte> bytes)
    {
        sb.Append('"');
        foreach (var b in bytes)
        {
            if (b is (byte)'"' or (byte)'\\')
            {
                sb.Append('\\').Append((char)b);
            }
            else if (b is < 0x20 or >= 0x7F)
            {
                sb.Append('\\').Append(((int)b).ToString("D3", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append((char)b);
            }
        }

        sb.Append('"');
    }

    public static string ToBase32Hex(ReadOnlySpan<byte> data)
    {
        var sb = new StringBuilder(((data.Length * 8) + 4) / 5);
        var buffer = 0;
        var bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(Base32HexAlphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            sb.Append(Base32HexAlphabet[(buffer << (5 - bits)) & 31]);
        }

        return sb.ToString();
    }

    public static byte[] FromBase32Hex(string text, string what)
    {
        var bytes = new List<byte>(text.Length * 5 / 8);
        var buffer = 0;
        var bits = 0;
        foreach (var ch in text)
        {
            var c = char.ToUpperInvariant(ch);
            var value = Base32HexAlphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                throw new FormatException($"{what} '{Excerpt.Of(text)}' is not base32hex");
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
                buffer &= (1 << bits) - 1;
            }
        }

        if (bits >= 5 || (buffer & ((1 << bits) - 1)) != 0)
        {
            throw new FormatException($"{what} '{Excerpt.Of(text)}' is not a whole number of octets in base32hex");
        }

        return [.. bytes];
    }

    /// <summary>RRSIG time as YYYYMMDDHHmmSS (RFC 4034 §3.2), the 32-bit value read as seconds since 1970.</summary>
    public static string FormatTime(uint seconds) =>
        DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    /// <summary>Accepts YYYYMMDDHHmmSS or a decimal number of seconds (RFC 4034 §3.2).</summary>
    public static uint ParseTime(string text, string what)
    {
        if (text.Length == 14 && text.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0)
        {
            if (!DateTimeOffset.TryParseExact(text, "yyyyMMddHHmmss", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            {
                throw new FormatException($"{what} '{Excerpt.Of(text)}' is not a valid YYYYMMDDHHmmSS time");
            }

            var seconds = time.ToUnixTimeSeconds();
            if (seconds is < 0 or > uint.MaxValue)
            {
                throw new FormatException($"{what} '{Excerpt.Of(text)}' is outside 1970–2106");
            }

            return (uint)seconds;
        }

        if (text.Length is > 0 and <= 10 && text.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0
            && uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        throw new FormatException($"{what} '{Excerpt.Of(text)}' is neither YYYYMMDDHHmmSS nor a number of seconds");
    }

    /// <summary>A TTL or SOA timer: seconds, or BIND units such as 1h30m, 2w, 1d (case-insensitive).</summary>
    public static bool TryParseDuration(ReadOnlySpan<char> text, out uint seconds)
    {
        seconds = 0;
        if (text.Length == 0)
        {
            return false;
        }

        if (text.IndexOfAnyExceptInRange('0', '9') < 0)
        {
            return text.Length <= 10 && uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out seconds);
        }

        ulong total = 0;
        ulong number = 0;
        var digits = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                number = (number * 10) + (ulong)(c - '0');
                if (++digits > 10)
                {
                    return false;
                }

                continue;
            }

            ulong unit = char.ToLowerInvariant(c) switch
            {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                'd' => 86400,
                'w' => 604800,
                _ => 0,
            };
            if (unit == 0 || digits == 0)
            {
                return false;
            }

            total += number * unit;
            if (total > uint.MaxValue)
            {
                return false;
            }

            number = 0;
            digits = 0;
        }

        if (digits != 0)
        {
            return false;
        }

        seconds = (uint)total;
        return true;
    }
}
