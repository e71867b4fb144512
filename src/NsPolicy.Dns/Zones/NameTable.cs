// Interned domain names for the zone model: each distinct name is kept once, in canonical
// (lower-case, RFC 4034 §6.2) uncompressed wire form, in large shared byte chunks, and known by a
// small integer. A name's ancestors are suffixes of its wire form (RFC 1035 §3.1), so they can be
// looked up without building new names.
using System.Runtime.CompilerServices;

namespace NsPolicy.Dns.Zones;

internal sealed class NameTable
{
    private const int ChunkBits = 20;
    private const int ChunkSize = 1 << ChunkBits;

    private readonly List<byte[]> _chunks = [new byte[4096]];
    private int _chunkUsed;
    private readonly ChunkedList<int> _start = new();
    private readonly ChunkedList<byte> _length = new();

    // Open addressing, linear probing. An entry is the name's hash in the high half and its id + 1
    // in the low half (0: empty), so most probes that miss are decided without touching the name.
    private long[] _buckets = new long[1024];

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
                var id = Append(wire);
                _buckets[slot] = ((long)hash << 32) | (uint)(id + 1);
                if (Count * 8L > _buckets.Length * 5L)
                {
                    Rehash();
                }

                return id;
            }

            if ((int)(entry >>> 32) == hash && Get((int)entry - 1).SequenceEqual(wire))
            {
                return (int)entry - 1;
            }
        }
    }

    /// <summary>The id of the name in <paramref name="wire"/>, or -1.</summary>
    /// <remarks>
    /// Optimised from the first call: it runs in a tight loop in the one pass that works out the
    /// zone's structure, which would otherwise spend much of its time in first-tier code.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

            if ((int)(entry >>> 32) == hash && Get((int)entry - 1).SequenceEqual(wire))
            {
                return (int)entry - 1;
            }
        }
    }

    /// <summary>The canonical wire form of name <paramref name="id"/>.</summary>
    public ReadOnlySpan<byte> Get(int id)
    {
        var start = _start[id];
        return _chunks[start >>> ChunkBits].AsSpan(start & (ChunkSize - 1), _length[id]);
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

    private int Append(ReadOnlySpan<byte> wire)
    {
        var chunk = _chunks[^1];
        if (_chunkUsed + wire.Length > chunk.Length)
        {
            if (chunk.Length < ChunkSize)
            {
                // The first chunk grows up to full size: a small zone keeps a small table.
                Array.Resize(ref chunk, ChunkSize);
                _chunks[^1] = chunk;
            }
            else
            {
                chunk = new byte[ChunkSize];
                _chunks.Add(chunk);
                _chunkUsed = 0;
            }
        }

        var id = Count++;
        wire.CopyTo(chunk.AsSpan(_chunkUsed));
        _start.Add(((_chunks.Count - 1) << ChunkBits) | _chunkUsed);
        _length.Add((byte)wire.Length);
        _chunkUsed += wire.Length;
        return id;
    }

    private void Rehash()
    {
        var old = _buckets;
        _buckets = new long[old.Length * 2];
        var mask = _buckets.Length - 1;
        foreach (var entry in old)
        {
            if (entry == 0)
            {
                continue;
            }

            var slot = (int)(entry >>> 32) & mask;
            while (_buckets[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            _buckets[slot] = entry;
        }
    }
}
