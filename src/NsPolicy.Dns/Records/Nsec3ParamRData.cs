// NSEC3PARAM: RFC 5155 §4.2 (wire: hash algorithm, flags, iterations, salt) and §4.3
// (presentation: salt in hex, "-" when empty).
using System.Collections.Immutable;
using System.Globalization;

namespace NsPolicy.Dns.Records;

public sealed class Nsec3ParamRData : RData
{
    public Nsec3ParamRData(byte hashAlgorithm, byte flags, ushort iterations, ImmutableArray<byte> salt)
    {
        salt = salt.IsDefault ? [] : salt;
        if (salt.Length > 255)
        {
            throw new ArgumentException("NSEC3PARAM salt is at most 255 octets", nameof(salt));
        }

        HashAlgorithm = hashAlgorithm;
        Flags = flags;
        Iterations = iterations;
        Salt = salt;
    }

    public byte HashAlgorithm { get; }

    public byte Flags { get; }

    public ushort Iterations { get; }

    public ImmutableArray<byte> Salt { get; }

    public override RecordType Type => RecordType.NSEC3PARAM;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{HashAlgorithm} {Flags} {Iterations} {FormatSalt(Salt)}");

    internal override void WriteTo(WireWriter writer)
    {
        writer.WriteByte(HashAlgorithm);
        writer.WriteByte(Flags);
        writer.WriteUInt16(Iterations);
        writer.WriteCharacterString(Salt.AsSpan());
    }

    internal static Nsec3ParamRData Read(WireReader r) => new(
        r.ReadByte("NSEC3PARAM hash algorithm"),
        r.ReadByte("NSEC3PARAM flags"),
        r.ReadUInt16("NSEC3PARAM iterations"),
        [.. r.ReadCharacterString("NSEC3PARAM salt")]);

    internal static Nsec3ParamRData Parse(TokenReader t) => new(
        t.NextByte("hash algorithm"),
        t.NextByte("flags"),
        t.NextUInt16("iterations"),
        ParseSalt(t));

    internal static string FormatSalt(ImmutableArray<byte> salt) =>
        salt.IsEmpty ? "-" : Convert.ToHexString(salt.AsSpan());

    internal static ImmutableArray<byte> ParseSalt(TokenReader t)
    {
        var token = t.Next("salt");
        if (token == "-")
        {
            return [];
        }

        if (token.Length % 2 != 0 || token.Length > 510 || token.AsSpan().IndexOfAnyExcept("0123456789abcdefABCDEF") >= 0)
        {
            throw new FormatException($"{t.Type} salt '{Excerpt.Of(token)}' is not '-' or hexadecimal of at most 255 octets");
        }

        return [.. Convert.FromHexString(token)];
    }
}
