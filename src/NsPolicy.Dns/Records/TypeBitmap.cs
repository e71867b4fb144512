// The type bit maps field of NSEC and NSEC3: RFC 4034 §4.1.2 (wire), §4.1.2/§4.2 (presentation);
// RFC 5155 §3.2.1 uses the same encoding.
using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace NsPolicy.Dns.Records;

internal static class TypeBitmap
{
    /// <summary>Reads window blocks until the end of the RDATA: windows ascending, 1–32 octets each.</summary>
    public static ImmutableArray<RecordType> Read(WireReader r)
    {
        var types = ImmutableArray.CreateBuilder<RecordType>();
        var lastWindow = -1;
        while (r.Remaining > 0)
        {
            var at = r.Position;
            var window = r.ReadByte("type bitmap window");
            var length = r.ReadByte("type bitmap length");
            if (window <= lastWindow)
            {
                throw WireReader.Error(at, string.Create(CultureInfo.InvariantCulture, $"type bitmap window {window} is out of order or repeated"));
            }

            if (length is 0 or > 32)
            {
                throw WireReader.Error(at + 1, string.Create(CultureInfo.InvariantCulture, $"type bitmap length {length} is outside 1–32"));
            }

            var bits = r.ReadBytes(length, "type bitmap");
            for (var i = 0; i < bits.Length; i++)
            {
                for (var bit = 0; bit < 8; bit++)
                {
                    if ((bits[i] & (0x80 >> bit)) != 0)
                    {
                        types.Add(new RecordType((ushort)((window << 8) | (i << 3) | bit)));
                    }
                }
            }

            lastWindow = window;
        }

        return types.ToImmutable();
    }

    public static void Write(WireWriter w, ImmutableArray<RecordType> types)
    {
        var i = 0;
        Span<byte> bits = stackalloc byte[32];
        while (i < types.Length)
        {
            var window = types[i].Value >> 8;
            bits.Clear();
            var used = 0;
            for (; i < types.Length && types[i].Value >> 8 == window; i++)
            {
                var low = types[i].Value & 0xFF;
                bits[low >> 3] |= (byte)(0x80 >> (low & 7));
                used = Math.Max(used, (low >> 3) + 1);
            }

            w.WriteByte((byte)window);
            w.WriteByte((byte)used);
            w.WriteBytes(bits[..used]);
        }
    }

    /// <summary>Sorted and without duplicates, as the wire form requires.</summary>
    public static ImmutableArray<RecordType> Normalize(IEnumerable<RecordType> types) =>
        [.. types.Distinct().Order()];

    public static void Append(StringBuilder sb, ImmutableArray<RecordType> types)
    {
        foreach (var type in types)
        {
            sb.Append(' ').Append(type.ToString());
        }
    }

    public static ImmutableArray<RecordType> Parse(TokenReader t)
    {
        var types = new List<RecordType>();
        while (!t.AtEnd)
        {
            types.Add(t.NextType("type in the bitmap"));
        }

        return Normalize(types);
    }
}
