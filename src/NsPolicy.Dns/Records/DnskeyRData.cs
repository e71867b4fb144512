// DNSKEY: RFC 4034 §2.1 (wire: flags, protocol 3, algorithm, public key) and §2.2 (presentation,
// key in base64). Flag bits: Zone Key (7), Secure Entry Point (15, RFC 3757), Revoke (8, RFC 5011).
using System.Collections.Immutable;
using System.Globalization;
using NsPolicy.Dns.Dnssec;

namespace NsPolicy.Dns.Records;

/// <summary>The fields shared by DNSKEY and CDNSKEY (RFC 7344 §3.2 gives CDNSKEY the DNSKEY format).</summary>
public abstract class KeyRData : RData
{
    private ushort? _keyTag;

    private protected KeyRData(ushort flags, byte protocol, DnssecAlgorithm algorithm, ImmutableArray<byte> publicKey)
    {
        Flags = flags;
        Protocol = protocol;
        Algorithm = algorithm;
        PublicKey = publicKey.IsDefault ? [] : publicKey;
    }

    public ushort Flags { get; }

    /// <summary>Always 3 in valid keys (RFC 4034 §2.1.2).</summary>
    public byte Protocol { get; }

    public DnssecAlgorithm Algorithm { get; }

    public ImmutableArray<byte> PublicKey { get; }

    /// <summary>Flag bit 7: the key may sign zone data.</summary>
    public bool IsZoneKey => (Flags & 0x0100) != 0;

    /// <summary>Flag bit 15: conventionally a key-signing key.</summary>
    public bool IsSecureEntryPoint => (Flags & 0x0001) != 0;

    /// <summary>Flag bit 8: revoked (RFC 5011 §3).</summary>
    public bool IsRevoked => (Flags & 0x0080) != 0;

    /// <summary>The key tag of RFC 4034 Appendix B.</summary>
    public ushort KeyTag => _keyTag ??= Dnssec.KeyTag.Compute(this);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Flags} {Protocol} {(byte)Algorithm} {Convert.ToBase64String(PublicKey.AsSpan())}").TrimEnd();

    internal override void WriteTo(WireWriter writer)
    {
        writer.WriteUInt16(Flags);
        writer.WriteByte(Protocol);
        writer.WriteByte((byte)Algorithm);
        writer.WriteBytes(PublicKey.AsSpan());
    }

    private protected static (ushort, byte, DnssecAlgorithm, ImmutableArray<byte>) ReadFields(WireReader r, string type) => (
        r.ReadUInt16($"{type} flags"),
        r.ReadByte($"{type} protocol"),
        (DnssecAlgorithm)r.ReadByte($"{type} algorithm"),
        [.. r.ReadRest()]);

    private protected static (ushort, byte, DnssecAlgorithm, ImmutableArray<byte>) ParseFields(TokenReader t) => (
        t.NextUInt16("flags"),
        t.NextByte("protocol"),
        t.NextAlgorithm(),
        [.. t.RestBase64("public key")]);
}

public sealed class DnskeyRData : KeyRData
{
    public DnskeyRData(ushort flags, byte protocol, DnssecAlgorithm algorithm, ImmutableArray<byte> publicKey)
        : base(flags, protocol, algorithm, publicKey)
    {
    }

    public override RecordType Type => RecordType.DNSKEY;

    internal static DnskeyRData Read(WireReader r)
    {
        var (flags, protocol, alg, key) = ReadFields(r, "DNSKEY");
        return new DnskeyRData(flags, protocol, alg, key);
    }

    internal static DnskeyRData Parse(TokenReader t)
    {
        var (flags, protocol, alg, key) = ParseFields(t);
        return new DnskeyRData(flags, protocol, alg, key);
    }
}
