// Bounds-checked reading of DNS wire data: RFC 1035 §4.1 (message format), §4.1.4 (compression);
// RFC 6891 §5 and RFC 2673 (label types 0x40/0x80, not supported). Every read checks its bounds and
// throws DnsFormatException with the offset where the problem was found.
using System.Buffers.Binary;
using System.Globalization;

namespace NsPolicy.Dns;

internal sealed class WireReader
{
    // A name has at most 127 labels, so a legal name never needs more jumps than that.
    private const int MaxPointerJumps = 127;

    // Scratch list for the labels of the name being read (copied into the name at its end).
    [ThreadStatic]
    private static List<byte[]>? t_labels;

    private readonly byte[] _data;
    private int _limit;

    public WireReader(byte[] data)
        : this(data, 0, data.Length)
    {
    }

    public WireReader(byte[] data, int start, int limit)
    {
        _data = data;
        Position = start;
        _limit = limit;
    }

    public int Position { get; private set; }

    /// <summary>End of the region being read (the message, or the current RDATA).</summary>
    public int Limit => _limit;

    public int Remaining => _limit - Position;

    public static DnsFormatException Error(int offset, string reason) => new(offset, reason);

    /// <summary>"1 octet", "2 octets".</summary>
    public static string Octets(int count) =>
        count == 1 ? "1 octet" : count.ToString(CultureInfo.InvariantCulture) + " octets";

    /// <summary>Restricts reads to end at <paramref name="end"/>; returns the previous limit to restore.</summary>
    public int PushLimit(int end, RecordType type)
    {
        if (end > _limit)
        {
            throw Error(Position, string.Create(CultureInfo.InvariantCulture, $"RDATA of {type} runs {Octets(end - _limit)} past the end of the data"));
        }

        var previous = _limit;
        _limit = end;
        return previous;
    }

    public void PopLimit(int previous) => _limit = previous;

    public byte ReadByte(string what)
    {
        Need(1, what);
        return _data[Position++];
    }

    public ushort ReadUInt16(string what)
    {
        Need(2, what);
        var v = BinaryPrimitives.ReadUInt16BigEndian(_data.AsSpan(Position));
        Position += 2;
        return v;
    }

    public uint ReadUInt32(string what)
    {
        Need(4, what);
        var v = BinaryPrimitives.ReadUInt32BigEndian(_data.AsSpan(Position));
        Position += 4;
        return v;
    }

    public byte[] ReadBytes(int count, string what)
    {
        Need(count, what);
        var bytes = _data.AsSpan(Position, count).ToArray();
        Position += count;
        return bytes;
    }

    public byte[] ReadRest() => ReadBytes(Remaining, "data");

    /// <summary>A character-string (RFC 1035 §3.3): one length octet, then that many octets.</summary>
    public byte[] ReadCharacterString(string what)
    {
        var start = Position;
        var length = ReadByte(what);
        if (length > Remaining)
        {
            throw Error(start, string.Create(CultureInfo.InvariantCulture, $"{what} of {length} octets runs past the end of the data"));
        }

        return ReadBytes(length, what);
    }

    /// <summary>
    /// Reads a possibly compressed name. Pointers must point strictly before the start of the run of
    /// labels that contains them, so every jump goes backwards and the loop ends (RFC 1035 §4.1.4).
    /// </summary>
    public DnsName ReadName(string what)
    {
        var nameStart = Position;
        var labels = t_labels ??= [];
        labels.Clear();
        var wireLength = 1;
        var pos = Position;
        var segmentStart = pos;
        var limit = _limit;
        var jumps = 0;
        int? resume = null;
        while (true)
        {
            if (pos >= limit)
            {
                throw Error(pos, $"{what} runs past the end of the data");
            }

            var length = _data[pos];
            switch (length & 0xC0)
            {
                case 0x00:
                    if (length == 0)
                    {
                        Position = resume ?? pos + 1;
                        return DnsName.FromLabels(labels);
                    }

                    if (pos + 1 + length > limit)
                    {
                        throw Error(pos, string.Create(CultureInfo.InvariantCulture, $"label of {length} octets in {what} runs past the end of the data"));
                    }

                    wireLength += length + 1;
                    if (wireLength > DnsName.MaxWireLength)
                    {
                        throw Error(nameStart, string.Create(CultureInfo.InvariantCulture, $"{what} is longer than {DnsName.MaxWireLength} octets"));
                    }

                    labels.Add(_data.AsSpan(pos + 1, length).ToArray());
                    pos += 1 + length;
                    break;
                case 0xC0:
                    if (pos + 2 > limit)
                    {
                        throw Error(pos, $"compression pointer in {what} runs past the end of the data");
                    }

                    var target = ((length & 0x3F) << 8) | _data[pos + 1];
                    if (target >= pos)
                    {
                        throw Error(pos, string.Create(CultureInfo.InvariantCulture, $"compression pointer in {what} points forward to offset {target}"));
                    }

                    if (target >= segmentStart || ++jumps > MaxPointerJumps)
                    {
                        throw Error(pos, string.Create(CultureInfo.InvariantCulture, $"compression pointer loop in {what} (pointer to offset {target})"));
                    }

                    resume ??= pos + 2;
                    pos = target;
                    segmentStart = target;

                    // Earlier parts of the message lie outside any RDATA limit.
                    limit = _data.Length;
                    break;
                default:
                    throw Error(pos, string.Create(CultureInfo.InvariantCulture, $"label type 0x{length & 0xC0:X2} in {what} is not supported (labels are at most 63 octets)"));
            }
        }
    }

    private void Need(int count, string what)
    {
        if (count > _limit - Position)
        {
            throw Error(Position, string.Create(CultureInfo.InvariantCulture, $"{what} needs {Octets(count)} but only {Math.Max(0, _limit - Position)} remain"));
        }
    }
}
