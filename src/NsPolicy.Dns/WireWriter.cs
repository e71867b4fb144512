// Writing DNS wire data: RFC 1035 §4.1 (message format) and §4.1.4 (name compression); RFC 3597 §4
// (only names in well-known types may be compressed); RFC 4034 §6.2 (canonical form: no
// compression, lower-case names in listed types).
using System.Buffers.Binary;

namespace NsPolicy.Dns;

internal sealed class WireWriter
{
    // Pointers carry 14 bits of offset.
    private const int MaxPointerTarget = 0x3FFF;

    private readonly Dictionary<NameSuffix, int>? _compression;
    private byte[] _buffer = new byte[512];

    /// <param name="compress">Compress names where allowed (messages); never for canonical form.</param>
    /// <param name="canonical">Write the canonical form of RFC 4034 §6.2.</param>
    public WireWriter(bool compress, bool canonical)
    {
        _compression = compress && !canonical ? [] : null;
        Canonical = canonical;
    }

    public bool Canonical { get; }

    public int Position { get; private set; }

    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[Position++] = value;
    }

    public void WriteUInt16(ushort value)
    {
        Ensure(2);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(Position), value);
        Position += 2;
    }

    public void WriteUInt32(uint value)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(Position), value);
        Position += 4;
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(Position));
        Position += bytes.Length;
    }

    public void WriteCharacterString(ReadOnlySpan<byte> bytes)
    {
        WriteByte((byte)bytes.Length);
        WriteBytes(bytes);
    }

    public void PatchUInt16(int at, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(at), value);

    /// <summary>
    /// Writes a name. <paramref name="compressible"/>: this field may be compressed (owner and question
    /// names, RDATA of NS, CNAME, SOA, PTR, MX). <paramref name="lowerInCanonical"/>: RFC 4034 §6.2
    /// lower-cases this field in canonical form.
    /// </summary>
    public void WriteName(DnsName name, bool compressible, bool lowerInCanonical)
    {
        var lower = Canonical && lowerInCanonical;
        var useCompression = _compression is not null && compressible;
        for (var i = 0; i < name.LabelCount; i++)
        {
            if (useCompression)
            {
                var suffix = new NameSuffix(name, i);
                if (_compression!.TryGetValue(suffix, out var target))
                {
                    WriteUInt16((ushort)(0xC000 | target));
                    return;
                }

                if (Position <= MaxPointerTarget)
                {
                    _compression[suffix] = Position;
                }
            }

            var label = name.GetLabel(i);
            WriteByte((byte)label.Length);
            Ensure(label.Length);
            for (var k = 0; k < label.Length; k++)
            {
                _buffer[Position++] = lower ? DnsName.ToLower(label[k]) : label[k];
            }
        }

        WriteByte(0);
    }

    public byte[] ToArray() => _buffer.AsSpan(0, Position).ToArray();

    private void Ensure(int count)
    {
        if (Position + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Position + count));
        }
    }

    /// <summary>
    /// The labels of <see cref="Name"/> from <see cref="Skip"/> on, compared as names are (ASCII
    /// case ignored), so compression can look up every suffix without building a name for it.
    /// </summary>
    private readonly struct NameSuffix(DnsName name, int skip) : IEquatable<NameSuffix>
    {
        public DnsName Name { get; } = name;

        public int Skip { get; } = skip;

        public bool Equals(NameSuffix other)
        {
            var count = Name.LabelCount - Skip;
            if (count != other.Name.LabelCount - other.Skip)
            {
                return false;
            }

            for (var i = 0; i < count; i++)
            {
                var a = Name.GetLabel(Skip + i);
                var b = other.Name.GetLabel(other.Skip + i);
                if (a.Length != b.Length)
                {
                    return false;
                }

                for (var k = 0; k < a.Length; k++)
                {
                    if (DnsName.ToLower(a[k]) != DnsName.ToLower(b[k]))
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => obj is NameSuffix other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            for (var i = Skip; i < Name.LabelCount; i++)
            {
                var label = Name.GetLabel(i);
                hash.Add(label.Length);
                foreach (var b in label)
                {
                    hash.Add(DnsName.ToLower(b));
                }
            }

            return hash.ToHashCode();
        }
    }
}
