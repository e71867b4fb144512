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
public sealed partial class DnsName : IEquatable<DnsName>, IComparable<DnsName>
{
    /// <summary>Largest label, in octets (RFC 1035 §2.3.4).</summary>
    public const int MaxLabelLength = 63;

    /// <summary>Largest name in wire form, in octets, including the root label (RFC 1035 §2.3.4).</summary>
    public const int MaxWireLength = 255;

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
            throw new FormatException($"'{Excerpt.Of(label)}' is not a single label");
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
}
