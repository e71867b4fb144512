// Domain names: RFC 1035 §2.3.4 (size limits), §3.1 (wire form), §5.1 (presentation escapes);
// RFC 4343 (case-insensitivity); RFC 4034 §6.1 (canonical ordering); RFC 5891 / UTS #46 (IDN A-labels).
using System.Globalization;
using System.Text;

namespace NsPolicy.Dns;

/// <summary>
/// An absolute domain name. Labels are kept as raw octets with their original case; equality,
/// hashing and ordering ignore ASCII case, and <see cref="ToString"/> prints the canonical
/// lower-case presentation form with a trailing dot.
/// </summary>
public sealed class DnsName : IEquatable<DnsName>, IComparable<DnsName>
{
    /// <summary>Largest label, in octets (RFC 1035 §2.3.4).</summary>
    public const int MaxLabelLength = 63;

    /// <summary>Largest name in wire form, in octets, including the root label (RFC 1035 §2.3.4).</summary>
    public const int MaxWireLength = 255;

    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = false };

    // Full stops that UTS #46 maps to U+002E and that therefore separate labels in IDN input.
    private static readonly char[] IdnDots = ['\u3002', '\uFF0E', '\uFF61'];

    private readonly byte[][] _labels;

    // Worked out on first use (0: not yet): a zone file makes names by the million and hashes few of them.
    private int _hash;
    private string? _text;

    /// <summary>The root name, ".".</summary>
    public static DnsName Root { get; } = new([]);

    private DnsName(byte[][] labels)
    {
        _labels = labels;
        WireLength = 1;
        foreach (var label in labels)
        {
            WireLength += label.Length + 1;
        }
    }

    /// <summary>Number of labels, not counting the root label (so the root has 0).</summary>
    public int LabelCount => _labels.Length;

    /// <summary>Length of the uncompressed wire form, including the root label.</summary>
    public int WireLength { get; }

    /// <summary>True for ".".</summary>
    public bool IsRoot => _labels.Length == 0;

    /// <summary>True when the leftmost label is "*" (RFC 4592).</summary>
    public bool IsWildcard => _labels.Length > 0 && _labels[0] is [(byte)'*'];

    /// <summary>Labels from left to right in lower-case presentation form (escaped as RFC 1035 §5.1), without dots.</summary>
    public IReadOnlyList<string> Labels => Array.ConvertAll(_labels, l => FormatLabel(l, lowerCase: true));

    /// <summary>The name with its leftmost label removed.</summary>
    /// <exception cref="InvalidOperationException">The name is the root.</exception>
    public DnsName Parent => IsRoot
        ? throw new InvalidOperationException("the root name has no parent")
        : new DnsName(_labels[1..]);

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

    /// <summary>True when this name equals <paramref name="other"/> or lies below it.</summary>
    public bool IsSubdomainOf(DnsName other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._labels.Length > _labels.Length)
        {
            return false;
        }

        var offset = _labels.Length - other._labels.Length;
        for (var i = 0; i < other._labels.Length; i++)
        {
            if (!LabelEquals(_labels[offset + i], other._labels[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when this name lies below <paramref name="other"/> and is not equal to it.</summary>
    public bool IsStrictSubdomainOf(DnsName other) =>
        other is not null && _labels.Length > other._labels.Length && IsSubdomainOf(other);

    /// <summary>True when this name is at or below <paramref name="zone"/>: the same as <see cref="IsSubdomainOf"/>.</summary>
    public bool IsInBailiwick(DnsName zone) => IsSubdomainOf(zone);

    /// <summary>A new name with <paramref name="label"/> (presentation form, escapes allowed) added on the left.</summary>
    public DnsName Prepend(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (!TryParseLabels(label, out var parsed, out var error))
        {
            throw new FormatException(error);
        }

        if (parsed.Count != 1)
        {
            throw new FormatException($"'{label}' is not a single label");
        }

        return Combine(parsed, this);
    }

    /// <summary>A new name made of this name's labels followed by those of <paramref name="suffix"/>.</summary>
    public DnsName Append(DnsName suffix)
    {
        ArgumentNullException.ThrowIfNull(suffix);
        return Combine(_labels, suffix);
    }

    /// <summary>The last <paramref name="count"/> labels of this name (0 gives the root).</summary>
    public DnsName Suffix(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _labels.Length);
        return count == _labels.Length ? this : new DnsName(_labels[^count..]);
    }

    /// <summary>Canonical presentation form: lower-case, RFC 1035 escapes, trailing dot; the root is ".".</summary>
    public override string ToString() => _text ??= Format(lowerCase: true);

    /// <summary>Presentation form keeping the original case of each label.</summary>
    public string ToOriginalCaseString() => Format(lowerCase: false);

    /// <summary>
    /// Form for people to read: A-labels shown as Unicode where they decode, otherwise as
    /// <see cref="ToString"/>. Never use it to compare names.
    /// </summary>
    public string ToDisplayString()
    {
        var text = ToString();
        if (!text.Contains("xn--", StringComparison.Ordinal))
        {
            return text;
        }

        try
        {
            return IsRoot ? text : Idn.GetUnicode(text[..^1]) + ".";
        }
        catch (ArgumentException)
        {
            return text;
        }
    }

    public bool Equals(DnsName? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other._labels.Length != _labels.Length || (_hash != 0 && other._hash != 0 && other._hash != _hash))
        {
            return false;
        }

        for (var i = 0; i < _labels.Length; i++)
        {
            if (!LabelEquals(_labels[i], other._labels[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as DnsName);

    public override int GetHashCode()
    {
        if (_hash == 0)
        {
            var hash = new HashCode();
            foreach (var label in _labels)
            {
                hash.Add(label.Length);
                foreach (var b in label)
                {
                    hash.Add(ToLower(b));
                }
            }

            // Two threads may both work it out; they get the same value.
            _hash = hash.ToHashCode() is var h && h != 0 ? h : 1;
        }

        return _hash;
    }

    /// <summary>Canonical DNS name order (RFC 4034 §6.1): by rightmost label first, each compared as lower-case octets.</summary>
    public int CompareTo(DnsName? other)
    {
        if (other is null)
        {
            return 1;
        }

        var i = _labels.Length - 1;
        var j = other._labels.Length - 1;
        for (; i >= 0 && j >= 0; i--, j--)
        {
            var c = CompareLabels(_labels[i], other._labels[j]);
            if (c != 0)
            {
                return c;
            }
        }

        return _labels.Length.CompareTo(other._labels.Length);
    }

    public static bool operator ==(DnsName? left, DnsName? right) =>
        left is null ? right is null : left.Equals(right);

    public static bool operator !=(DnsName? left, DnsName? right) => !(left == right);

    public static bool operator <(DnsName? left, DnsName? right) => Compare(left, right) < 0;

    public static bool operator <=(DnsName? left, DnsName? right) => Compare(left, right) <= 0;

    public static bool operator >(DnsName? left, DnsName? right) => Compare(left, right) > 0;

    public static bool operator >=(DnsName? left, DnsName? right) => Compare(left, right) >= 0;

    /// <summary>Raw octets of label <paramref name="index"/> (0 is leftmost), original case.</summary>
    internal ReadOnlySpan<byte> GetLabel(int index) => _labels[index];

    /// <summary>Builds a name from labels already read from the wire; the caller has checked the limits.</summary>
    internal static DnsName FromLabels(IReadOnlyList<byte[]> labels)
    {
        if (labels.Count == 0)
        {
            return Root;
        }

        var copy = new byte[labels.Count][];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = labels[i];
        }

        return new DnsName(copy);
    }

    /// <summary>Writes the uncompressed wire form; when <paramref name="lowerCase"/> is set, the canonical form of RFC 4034 §6.2.</summary>
    internal void WriteTo(Span<byte> destination, bool lowerCase, out int written)
    {
        var pos = 0;
        foreach (var label in _labels)
        {
            destination[pos++] = (byte)label.Length;
            for (var k = 0; k < label.Length; k++)
            {
                destination[pos++] = lowerCase ? ToLower(label[k]) : label[k];
            }
        }

        destination[pos++] = 0;
        written = pos;
    }

    /// <summary>The uncompressed wire form as a new array.</summary>
    public byte[] ToWire(bool canonical = false)
    {
        var buffer = new byte[WireLength];
        WriteTo(buffer, canonical, out _);
        return buffer;
    }

    internal static byte ToLower(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b;

    private static int Compare(DnsName? left, DnsName? right) =>
        left is null ? (right is null ? 0 : -1) : left.CompareTo(right);

    private static bool LabelEquals(byte[] a, byte[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var k = 0; k < a.Length; k++)
        {
            if (ToLower(a[k]) != ToLower(b[k]))
            {
                return false;
            }
        }

        return true;
    }

    private static int CompareLabels(byte[] a, byte[] b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var k = 0; k < n; k++)
        {
            var c = ToLower(a[k]).CompareTo(ToLower(b[k]));
            if (c != 0)
            {
                return c;
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    private static DnsName Combine(IReadOnlyList<byte[]> left, DnsName right)
    {
        var labels = new byte[left.Count + right._labels.Length][];
        for (var i = 0; i < left.Count; i++)
        {
            labels[i] = left[i];
        }

        right._labels.CopyTo(labels, left.Count);
        var name = new DnsName(labels);
        if (name.WireLength > MaxWireLength)
        {
            throw new FormatException(TooLong(name.WireLength));
        }

        return name;
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
                        : string.Create(CultureInfo.InvariantCulture, $"empty label at position {i + 1} of '{text}'");
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
                    error = $"'{text}' ends with a lone backslash";
                    return false;
                }

                if (char.IsAsciiDigit(text[i + 1]))
                {
                    if (i + 3 >= text.Length)
                    {
                        error = $"escape '{text[i..]}' in '{text}' needs three decimal digits";
                        return false;
                    }

                    if (!char.IsAsciiDigit(text[i + 2]) || !char.IsAsciiDigit(text[i + 3]))
                    {
                        error = $"escape '{text.Substring(i, 4)}' in '{text}' needs three decimal digits";
                        return false;
                    }

                    var value = ((text[i + 1] - '0') * 100) + ((text[i + 2] - '0') * 10) + (text[i + 3] - '0');
                    if (value > 255)
                    {
                        error = $"escape '{text.Substring(i, 4)}' in '{text}' is above 255";
                        return false;
                    }

                    current.Add((byte)value);
                    unicode.Append((char)value);
                    i += 4;
                    continue;
                }

                if (text[i + 1] > 0x7F)
                {
                    error = $"escape '\\{text[i + 1]}' in '{text}' escapes a non-ASCII character; use \\DDD for octets";
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
                error = $"label '{u}' mixes backslash escapes with non-ASCII characters";
                return false;
            }

            var idnProblem = CheckULabel(u);
            if (idnProblem is not null)
            {
                error = $"label '{u}' is not a valid internationalised domain name label: {idnProblem}";
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
                error = $"label '{u}' is not a valid internationalised domain name label: {reason.TrimEnd('.')}";
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

            error = string.Create(CultureInfo.InvariantCulture, $"label '{shown}' is longer than {MaxLabelLength} octets ({label.Length})");
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

    private string Format(bool lowerCase)
    {
        if (IsRoot)
        {
            return ".";
        }

        var sb = new StringBuilder(WireLength + 8);
        foreach (var label in _labels)
        {
            AppendLabel(sb, label, lowerCase);
            sb.Append('.');
        }

        return sb.ToString();
    }

    private static string FormatLabel(byte[] label, bool lowerCase)
    {
        var sb = new StringBuilder(label.Length + 4);
        AppendLabel(sb, label, lowerCase);
        return sb.ToString();
    }

    // Presentation escapes as BIND prints them: special characters get a backslash, octets outside
    // printable ASCII become \DDD.
    private static void AppendLabel(StringBuilder sb, byte[] label, bool lowerCase)
    {
        foreach (var raw in label)
        {
            var b = lowerCase ? ToLower(raw) : raw;
            switch (b)
            {
                case (byte)'.' or (byte)'\\' or (byte)'"' or (byte)'(' or (byte)')' or (byte)';' or (byte)'@' or (byte)'$':
                    sb.Append('\\').Append((char)b);
                    break;
                case < 0x21 or > 0x7E:
                    sb.Append('\\').Append(((int)b).ToString("D3", CultureInfo.InvariantCulture));
                    break;
                default:
                    sb.Append((char)b);
                    break;
            }
        }
    }
}
