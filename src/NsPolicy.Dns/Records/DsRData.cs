// DS: RFC 4034 §5.1 (wire) and §5.3 (presentation: key tag, algorithm, digest type, digest in hex).
using System.Collections.Immutable;
using System.Globalization;
using NsPolicy.Dns.Dnssec;

namespace NsPolicy.Dns.Records;

/// <summary>The fields shared by DS and CDS (RFC 7344 §3.1 gives CDS the DS format).</summary>
public abstract class DelegationSignerRData : RData
{
    private protected DelegationSignerRData(ushort keyTag, DnssecAlgorithm algorithm, DsDigestType digestType, ImmutableArray<byte> digest)
    {
        KeyTag = keyTag;
        Algorithm = algorithm;
        DigestType = digestType;
        Digest = digest.IsDefault ? [] : digest;
    }

    public ushort KeyTag { get; }

    public DnssecAlgorithm Algorithm { get; }

    public DsDigestType DigestType { get; }

    public ImmutableArray<byte> Digest { get; }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{KeyTag} {(byte)Algorithm} {(byte)DigestType} {Convert.ToHexString(Digest.AsSpan())}").TrimEnd();

    internal override void WriteTo(WireWriter writer)
    {
        writer.WriteUInt16(KeyTag);
        writer.WriteByte((byte)Algorithm);
        writer.WriteByte((byte)DigestType);
        writer.WriteBytes(Digest.AsSpan());
    }

    private protected static (ushort, DnssecAlgorithm, DsDigestType, ImmutableArray<byte>) ReadFields(WireReader r, string type) => (
        r.ReadUInt16($"{type} key tag"),
        (DnssecAlgorithm)r.ReadByte($"{type} algorithm"),
        (DsDigestType)r.ReadByte($"{type} digest type"),
        [.. r.ReadRest()]);

    private protected static (ushort, DnssecAlgorithm, DsDigestType, ImmutableArray<byte>) ParseFields(TokenReader t) => (
        t.NextUInt16("key tag"),
        t.NextAlgorithm(),
        (DsDigestType)t.NextByte("digest type"),
        [.. t.RestHex("digest")]);
}

public sealed class DsRData : DelegationSignerRData
{
    public DsRData(ushort keyTag, DnssecAlgorithm algorithm, DsDigestType digestType, ImmutableArray<byte> digest)
        : base(keyTag, algorithm, digestType, digest)
    {
    }

    public override RecordType Type => RecordType.DS;

    internal static DsRData Read(WireReader r)
    {
        var (tag, alg, type, digest) = ReadFields(r, "DS");
        return new DsRData(tag, alg, type, digest);
    }

    internal static DsRData Parse(TokenReader t)
    {
        var (tag, alg, type, digest) = ParseFields(t);
        return new DsRData(tag, alg, type, digest);
    }
}
