using System.Buffers.Binary;

namespace NsPolicy.Dns.Tests.Fuzz;

/// <summary>
/// Makes broken variants of a real DNS message, the way a hostile or faulty server (or a damaged
/// datagram) would: bit flips, truncation, inserted and deleted octets, rewritten 16-bit fields
/// (counts, types, RDLENGTH) and rewritten compression pointers (to themselves, forward, to another
/// pointer, anywhere). Deterministic for a given <see cref="Random"/>.
/// </summary>
internal static class WireMutator
{
    private static readonly ushort[] Interesting = [0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x3FFF, 0x7FFF, 0x8000, 0xFFFE, 0xFFFF];

    public static byte[] Mutate(byte[] seed, Random random)
    {
        var data = new List<byte>(seed);
        var rounds = 1 + random.Next(3);
        for (var i = 0; i < rounds; i++)
        {
            switch (random.Next(7))
            {
                case 0:
                    FlipBit(data, random);
                    break;
                case 1:
                    Truncate(data, random);
                    break;
                case 2:
                    Insert(data, random);
                    break;
                case 3:
                    Delete(data, random);
                    break;
                case 4:
                    RewriteField(data, random);
                    break;
                default:
                    RewritePointer(data, random);
                    break;
            }
        }

        return [.. data];
    }

    /// <summary>Offsets of octet pairs that look like compression pointers to an earlier offset (RFC 1035 §4.1.4).</summary>
    public static List<int> PointerOffsets(IReadOnlyList<byte> data)
    {
        var offsets = new List<int>();
        for (var i = 12; i + 1 < data.Count; i++)
        {
            if ((data[i] & 0xC0) == 0xC0 && (((data[i] & 0x3F) << 8) | data[i + 1]) < i)
            {
                offsets.Add(i);
            }
        }

        return offsets;
    }

    private static void FlipBit(List<byte> data, Random random)
    {
        if (data.Count > 0)
        {
            data[random.Next(data.Count)] ^= (byte)(1 << random.Next(8));
        }
    }

    private static void Truncate(List<byte> data, Random random)
    {
        if (data.Count > 0)
        {
            var keep = random.Next(data.Count);
            data.RemoveRange(keep, data.Count - keep);
        }
    }

    private static void Insert(List<byte> data, Random random)
    {
        var count = 1 + random.Next(4);
        var at = random.Next(data.Count + 1);
        for (var i = 0; i < count; i++)
        {
            data.Insert(at, random.Next(2) == 0 ? (byte)random.Next(256) : (byte)Interesting[random.Next(Interesting.Length)]);
        }
    }

    private static void Delete(List<byte> data, Random random)
    {
        if (data.Count > 0)
        {
            var at = random.Next(data.Count);
            data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(4)));
        }
    }

    /// <summary>A 16-bit field: a header count half the time, otherwise anywhere (types, classes, RDLENGTHs).</summary>
    private static void RewriteField(List<byte> data, Random random)
    {
        if (data.Count < 2)
        {
            return;
        }

        var at = data.Count >= 12 && random.Next(2) == 0 ? 4 + (2 * random.Next(4)) : random.Next(data.Count - 1);
        var value = random.Next(3) == 0 ? (ushort)random.Next(65536) : Interesting[random.Next(Interesting.Length)];
        Span<byte> two = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(two, value);
        data[at] = two[0];
        data[at + 1] = two[1];
    }

    private static void RewritePointer(List<byte> data, Random random)
    {
        var pointers = PointerOffsets(data);
        if (pointers.Count == 0)
        {
            FlipBit(data, random);
            return;
        }

        var at = pointers[random.Next(pointers.Count)];
        var target = random.Next(5) switch
        {
            0 => at,
            1 => Math.Min(0x3FFF, at + 1 + random.Next(Math.Max(1, data.Count - at))),
            2 => pointers[random.Next(pointers.Count)],
            3 => random.Next(12),
            _ => random.Next(Math.Min(0x4000, data.Count + 16)),
        };
        data[at] = (byte)(0xC0 | (target >> 8));
        data[at + 1] = (byte)target;
    }
}
