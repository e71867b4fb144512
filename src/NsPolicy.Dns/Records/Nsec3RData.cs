// NSEC3: RFC 5155 §3.2 (wire: hash algorithm, flags, iterations, salt, next hashed owner, type bit
// maps) and §3.3 (presentation: salt in hex or "-", next hashed owner in unpadded base32hex).
using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace NsPolicy.Dns.Records;

public sealed class Nsec3RData : RData
{
    public Nsec3RData(byte hashAlgorithm, byte flags, ushort iterations, ImmutableArray<byte> salt, ImmutableArray<byte> nextHashedOwnerName, IEnumerable<RecordType> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        salt = salt.IsDefault ? [] : salt;
        if (salt.Length > 255)
        {
            throw new ArgumentException("NSEC3 salt is at most 255 octets", nameof(salt));
        }

        if (nextHashedOwnerName.IsDefault || nextHashedOwnerName.Length is 0 or > 255)
        {
            throw new ArgumentException("NSEC3 next hashed owner name is 1–255 octets", nameof(nextHashedOwnerName));
        }

        HashAlgorithm = hashAlgorithm;
        Flags = flags;
        Iterations = iterations;
        Salt = salt;
        NextHashedOwnerName = nextHashedOwnerName;
        Types = TypeBitmap.Normalize(types);
    }

    /// <summary>1 = SHA-1 (RFC 5155 §11).</summary>
    public byte HashAlgorithm { get; }

    public byte Flags { get; }

    /// <summary>Flag bit 0 (value 1): Opt-Out (RFC 5155 §3.1.2.1).</summary>
    public bool OptOut => (Flags & 0x01) != 0;

    public ushort Iterations { get; }

    public ImmutableArray<byte> Salt { get; }

    public ImmutableArray<byte> NextHashedOwnerName { get; }

    public ImmutableArray<RecordType> Types { get; }

    public override RecordType Type => RecordType.NSEC3;

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{HashAlgorithm} {Flags} {Iterations} {Nsec3ParamRData.FormatSalt(Salt)} ");
        sb.Append(Presentation.ToBase32Hex(NextHashedOwnerName.AsSpan()));
        TypeBitmap.Append(sb, Types);
        return sb.ToString();
    }

    internal override void WriteTo(WireWriter writer)
    {
        writer.WriteByte(HashAlgorithm);
        writer.WriteByte(Flags);
        writer.WriteUInt16(Iterations);
        writer.WriteCharacterString(Salt.AsSpan());
        writer.WriteCharacterString(NextHashedOwnerName.AsSpan());
        TypeBitmap.Write(writer, Types);
    }

    internal static Nsec3RData Read(WireReader r)
    {
        var algorithm = r.ReadByte("NSEC3 hash algorithm");
        var flags = r.ReadByte("NSEC3 flags");
        var iterations = r.ReadUInt16("NSEC3 iterations");
        var salt = r.ReadCharacterString("NSEC3 salt");
        var at = r.Position;
        var next = r.ReadCharacterString("NSEC3 next hashed owner name");
        if (next.Length == 0)
        {
            throw WireReader.Error(at, "NSEC3 next hashed owner name is empty");
        }

        return new Nsec3RData(algorithm, flags, iterations, [.. salt], [.. next], TypeBitmap.Read(r));
    }

    internal static Nsec3RData Parse(TokenReader t)
    {
        var algorithm = t.NextByte("hash algorithm");
        var flags = t.NextByte("flags");
        var iterations = t.NextUInt16("iterations");
        var salt = Nsec3ParamRData.ParseSalt(t);
        var next = Presentation.FromBase32Hex(t.Next("next hashed owner name"), "NSEC3 next hashed owner name");
        if (next.Length is 0 or > 255)
        {
            throw new FormatException("NSEC3 next hashed owner name must be 1–255 octets");
        }

        return new Nsec3RData(algorithm, flags, iterations, salt, [.. next], TypeBitmap.Parse(t));
    }
}
