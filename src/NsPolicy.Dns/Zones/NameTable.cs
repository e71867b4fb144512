// Interned domain names for the zone model: each distinct name is kept once, in canonical
// (lower-case, RFC 4034 §6.2) uncompressed wire form, in large shared byte chunks, and known by a
// small integer. A name's ancestors are suffixes of its wire form (RFC 1035 §3.1), so they can be
// looked up without building new names.
namespace NsPolicy.Dns.Zones;

internal sealed class NameTable
{
    private const int ChunkBits = 20;
    private const int ChunkSize = 1 << ChunkBits;

    private readonly List<byte[]> _chunks = [new byte[ChunkSize]];
    private int _chunkUsed;
    private int[] _start = new int[1024];
    private byte[] _length = new byte[1024];
    private int[] _hash = new int[1024];
    private int[] _buckets = new int[2048];

    public int Count { get; private set; }

    /// <summary>The id of the name in <paramref name="wire"/>, adding it when it is new.</summary>
    public int GetOrAdd(ReadOnlySpan<byte> wire)
    {
        var hash = Hash(wire);
        var mask = _buckets.Length - 1;
        for (var slot = hash & mask; ; slot = (slot + 1) & mask)
        {
            var entry = _buckets[slot];
            if (entry == 0)
            {
                var id = Append(wire, hash);
                _buckets[slot] = id + 1;
                if (Count * 2 > _buckets.Length)
                {
                    Rehash();
                }

                return id;
            }

            if (_hash[entry - 1] == hash && Get(entry - 1).SequenceEqual(wire))
            {
                return entry - 1;
            }
        }
    }

    /// <summary>The id of the name in <paramref name="wire"/>, or -1.</summary>
    public int Find(ReadOnlySpan<byte> wire)
    {
        var hash = Hash(wire);
        var mask = _buckets.Length - 1;
        for (var slot = hash & mask; ; slot = (slot + 1) & mask)
        {
            var entry = _buckets[slot];
            if (entry == 0)
            {
                return -1;
            }

            if (_hash[entry - 1] == hash && Get(entry - 1).SequenceEqual(wire))
            {
                return entry - 1;
            }
        }
    }

    /// <summary>The canonical wire form of name <paramref name="id"/>.</summary>
    public ReadOnlySpan<byte> Get(int id)
    {
        var start = _start[id];
        return _chunks[start >> ChunkBits].AsSpan(start & (ChunkSize - 1), _length[id]);
    }

    public DnsName ToName(int id) => FromWire(Get(id));

    /// <summary>Canonical wire form of <paramref name="name"/> into <paramref name="buffer"/> (255 octets suffice).</summary>
    public static ReadOnlySpan<byte> Wire(DnsName name, Span<byte> buffer)
    {
        name.WriteTo(buffer, lowerCase: true, out var written);
        return buffer[..written];
    }

    public static DnsName FromWire(ReadOnlySpan<byte> wire)
    {
        var labels = new List<byte[]>(4);
        var pos = 0;
        while (wire[pos] != 0)
        {
            var length = wire[pos];
            labels.Add(wire.Slice(pos + 1, length).ToArray());
            pos += length + 1;
        }

        return DnsName.FromLabels(labels);
    }

    private static int Hash(ReadOnlySpan<byte> wire)
    {
        // FNV-1a: cheap, and good enough for an open-addressing table whose keys are names.
        var h = 2166136261u;
        foreach (var b in wire)
        {
            h = (h ^ b) * 16777619u;
        }

        return (int)(h & 0x7FFFFFFF);
    }

    private int Append(ReadOnlySpan<byte> wire, int hash)
    {
        if (_chunkUsed + wire.Length > ChunkSize)
        {
            _chunks.Add(new byte[ChunkSize]);
            _chunkUsed = 0;
        }

        if (Count == _start.Length)
        {
            var size = _start.Length * 2;
            Array.Resize(ref _start, size);
            Array.Resize(ref _length, size);
            Array.Resize(ref _hash, size);
        }

        var id = Count++;
        wire.CopyTo(_chunks[^1].AsSpan(_chunkUsed));
        _start[id] = ((_chunks.Count - 1) << ChunkBits) | _chunkUsed;
        _length[id] = (byte)wire.Length;
        _hash[id] = hash;
        _chunkUsed += wire.Length;
        return id;
    }

    private void Rehash()
    {
        _buckets = new int[_buckets.Length * 2];
        var mask = _buckets.Length - 1;
        for (var id = 0; id < Count; id++)
        {
            var slot = _hash[id] & mask;
            while (_buckets[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            _buckets[slot] = id + 1;
        }
    }
}
