// Domain names from text: RFC 1035 §5.1 (presentation form and escapes), §2.3.4 (size limits);
// RFC 5891 / UTS #46 (IDN: U-labels become A-labels).
using System.Globalization;
using System.Text;

namespace NsPolicy.Dns;

/// <summary>Reading names: the presentation form with its escapes, relative names and origins, and IDN.</summary>
public sealed partial class DnsName
{
    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = false };

    // Full stops that UTS #46 maps to U+002E and that therefore separate labels in IDN input.
    private static readonly char[] IdnDots = ['\u3002', '\uFF0E', '\uFF61'];

    /// <summary>Parses an absolute name; a trailing dot is optional. Throws <see cref="FormatException"/> with a plain reason.</summary>
    public static DnsName Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParseCore(text, Root, relativeAllowed: false, out var name, out var error)
            ? name!
            : throw new FormatException(error);
    }

    /// <summary>
    /// Parses a name as in a zone file: text ending in a dot is absolute, other text is relative to
    /// <paramref name="origin"/>, and "@" is the origin itself.
    /// </summary>
    public static DnsName Parse(string text, DnsName origin)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(origin);
        return TryParseCore(text, origin, relativeAllowed: true, out var name, out var error)
            ? name!
            : throw new FormatException(error);
    }

    /// <summary>Parses an absolute name without throwing; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, out DnsName? name, out string? error)
    {
        if (text is null)
        {
            name = null;
            error = "name is missing";
            return false;
        }

        return TryParseCore(text, Root, relativeAllowed: false, out name, out error);
    }

    /// <summary>
    /// Parses a name relative to <paramref name="origin"/> from characters, as the zone-file loader
    /// holds them. Names of printable ASCII without escapes (nearly all) are split directly into
    /// labels; anything else takes the full path of <see cref="TryParse(string, DnsName, out DnsName, out string)"/>.
    /// </summary>
    internal static bool TryParse(ReadOnlySpan<char> text, DnsName origin, out DnsName? name, out string? error)
    {
        ArgumentNullException.ThrowIfNull(origin);
        if (TryParsePlain(text, origin, out name))
        {
            error = null;
            return true;
        }

        return TryParseCore(new string(text), origin, relativeAllowed: true, out name, out error);
    }

    /// <summary>Parses a name relative to <paramref name="origin"/> without throwing.</summary>
    public static bool TryParse(string? text, DnsName origin, out DnsName? name, out string? error)
    {
        ArgumentNullException.ThrowIfNull(origin);
        if (text is null)
        {
            name = null;
            error = "name is missing";
            return false;
        }

        return TryParseCore(text, origin, relativeAllowed: true, out name, out error);
    }

    private static string TooLong(int length) =>
        string.Create(CultureInfo.InvariantCulture, $"name is {length} octets long in wire form; the limit is {MaxWireLength}");

    private static bool TryParseCore(string text, DnsName origin, bool relativeAllowed, out DnsName? name, out string? error)
    {
        name = null;
        if (text.Length == 0)
        {
            error = "name is empty";
            return false;
        }

        if (text == ".")
        {
            name = Root;
            error = null;
            return true;
        }

        if (relativeAllowed && text == "@")
        {
            name = origin;
            error = null;
            return true;
        }

        if (!TryParseLabels(text, out var labels, out error, out var absolute))
        {
            return false;
        }

        var suffix = relativeAllowed && !absolute ? origin : Root;
        var total = suffix.WireLength;
        foreach (var label in labels)
        {
            total += label.Length + 1;
        }

        if (total > MaxWireLength)
        {
            error = TooLong(total);
            return false;
        }

        name = labels.Count == 0 ? suffix : Combine(labels, suffix);
        error = null;
        return true;
    }

    private static bool TryParseLabels(string text, out List<byte[]> labels, out string? error) =>
        TryParseLabels(text, out labels, out error, out _);

    // The common case of TryParseCore: printable ASCII (no escapes, no IDN), no empty label, within
    // the limits. Returns false, without an error, for anything else so the full parser decides.
    private static bool TryParsePlain(ReadOnlySpan<char> text, DnsName origin, out DnsName? name)
    {
        name = null;
        if (text.IsEmpty || text.IndexOfAnyExceptInRange('!', '~') >= 0 || text.Contains('\\'))
        {
            return false;
        }

        if (text is ".")
        {
            name = Root;
            return true;
        }

        if (text is "@")
        {
            name = origin;
            return true;
        }

        var absolute = text[^1] == '.';
        var body = absolute ? text[..^1] : text;
        var suffix = absolute ? Root : origin;
        var count = body.Count('.') + 1;
        var labels = new byte[count + suffix._labels.Length][];
        var wireLength = suffix.WireLength;
        for (var i = 0; i < count; i++)
        {
            var dot = body.IndexOf('.');
            var label = dot < 0 ? body : body[..dot];
            if (label.Length is 0 or > MaxLabelLength)
            {
                return false;
            }

            var octets = new byte[label.Length];
            for (var k = 0; k < octets.Length; k++)
            {
                octets[k] = (byte)label[k];
            }

            labels[i] = octets;
            wireLength += octets.Length + 1;
            body = dot < 0 ? [] : body[(dot + 1)..];
        }

        if (wireLength > MaxWireLength)
        {
            return false;
        }

        Array.Copy(suffix._labels, 0, labels, count, suffix._labels.Length);
        name = new DnsName(labels);
        return true;
    }

    // Splits presentation text into labels, decoding \X and \DDD escapes (RFC 1035 §5.1) and
    // converting labels that contain non-ASCII characters to A-labels.
    private static bool TryParseLabels(string text, out List<byte[]> labels, out string? error, out bool absolute)
    {
        labels = [];
        absolute = false;
        var current = new List<byte>();
        var unicode = new StringBuilder();
        var hasEscape = false;
        var hasNonAscii = false;
        var i = 0;
        while (true)
        {
            var atEnd = i == text.Length;
            if (atEnd || text[i] == '.' || Array.IndexOf(IdnDots, text[i]) >= 0)
            {
                if (current.Count == 0 && unicode.Length == 0)
                {
                    error = text.Length == 0
                        ? "name is empty"
                        : string.Create(CultureInfo.InvariantCulture, $"empty label at position {i + 1} of '{Excerpt.Of(text)}'");
                    return false;
                }

                if (!TryFinishLabel(current, unicode, hasEscape, hasNonAscii, out var label, out error))
                {
                    return false;
                }

                labels.Add(label);
                current.Clear();
                unicode.Clear();
                hasEscape = false;
                hasNonAscii = false;
                if (atEnd)
                {
                    break;
                }

                i++;
                if (i == text.Length)
                {
                    absolute = true;
                    break;
                }

                continue;
            }

            var c = text[i];
            if (c == '\\')
            {
                hasEscape = true;
                if (i + 1 >= text.Length)
                {
                    error = $"'{Excerpt.Of(text)}' ends with a lone backslash";
                    return false;
                }

                if (char.IsAsciiDigit(text[i + 1]))
                {
                    if (i + 3 >= text.Length)
                    {
                        error = $"escape '{Excerpt.Of(text[i..])}' in '{Excerpt.Of(text)}' needs three decimal digits";
                        return false;
                    }

                    if (!char.IsAsciiDigit(text[i + 2]) || !char.IsAsciiDigit(text[i + 3]))
                    {
                        error = $"escape '{Excerpt.Of(text.AsSpan(i, 4))}' in '{Excerpt.Of(text)}' needs three decimal digits";
                        return false;
                    }

                    var value = ((text[i + 1] - '0') * 100) + ((text[i + 2] - '0') * 10) + (text[i + 3] - '0');
                    if (value > 255)
                    {
                        error = $"escape '{Excerpt.Of(text.AsSpan(i, 4))}' in '{Excerpt.Of(text)}' is above 255";
                        return false;
                    }

                    current.Add((byte)value);
                    unicode.Append((char)value);
                    i += 4;
                    continue;
                }

                if (text[i + 1] > 0x7F)
                {
                    error = $"escape '\\{Excerpt.Of(text.AsSpan(i + 1, 1))}' in '{Excerpt.Of(text)}' escapes a non-ASCII character; use \\DDD for octets";
                    return false;
                }

                current.Add((byte)text[i + 1]);
                unicode.Append(text[i + 1]);
                i += 2;
                continue;
            }

            if (c > 0x7F)
            {
                hasNonAscii = true;
            }
            else
            {
                current.Add((byte)c);
            }

            unicode.Append(c);
            i++;
        }

        error = null;
        return true;
    }

    private static bool TryFinishLabel(List<byte> octets, StringBuilder unicode, bool hasEscape, bool hasNonAscii, out byte[] label, out string? error)
    {
        label = [];
        if (hasNonAscii)
        {
            var u = unicode.ToString();
            if (hasEscape)
            {
                error = $"label '{Excerpt.Of(u)}' mixes backslash escapes with non-ASCII characters";
                return false;
            }

            var idnProblem = CheckULabel(u);
            if (idnProblem is not null)
            {
                error = $"label '{Excerpt.Of(u)}' is not a valid internationalised domain name label: {idnProblem}";
                return false;
            }

            string ascii;
            try
            {
                ascii = Idn.GetAscii(u);
            }
            catch (ArgumentException ex)
            {
                var reason = ex.Message;
                var cut = reason.IndexOf(" (Parameter", StringComparison.Ordinal);
                reason = cut > 0 ? reason[..cut] : reason;
                error = $"label '{Excerpt.Of(u)}' is not a valid internationalised domain name label: {reason.TrimEnd('.')}";
                return false;
            }

            label = Encoding.ASCII.GetBytes(ascii);
        }
        else
        {
            label = [.. octets];
        }

        if (label.Length > MaxLabelLength)
        {
            var shown = hasNonAscii ? unicode.ToString() : FormatLabel(label, lowerCase: false);
            if (shown.Length > 20)
            {
                shown = string.Concat(shown.AsSpan(0, 20), "…");
            }

            error = string.Create(CultureInfo.InvariantCulture, $"label '{Excerpt.Of(shown)}' is longer than {MaxLabelLength} octets ({label.Length})");
            return false;
        }

        error = null;
        return true;
    }

    // The U-label rules of RFC 5891 §4.2.3 that the platform's IDNA mapping does not itself enforce.
    private static string? CheckULabel(string label)
    {
        if (label.StartsWith('-') || label.EndsWith('-'))
        {
            return "it starts or ends with a hyphen";
        }

        if (label.Length >= 4 && label[2] == '-' && label[3] == '-')
        {
            return "it has hyphens in the third and fourth positions";
        }

        if (CharUnicodeInfo.GetUnicodeCategory(label, 0) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
        {
            return "it starts with a combining mark";
        }

        for (var k = 0; k < label.Length; k++)
        {
            switch (CharUnicodeInfo.GetUnicodeCategory(label, k))
            {
                case UnicodeCategory.Control:
                    return "it contains a control character";
                case UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator:
                    return "it contains white space";
                case UnicodeCategory.PrivateUse:
                    return "it contains a private-use character";
            }
        }

        return null;
    }
}
