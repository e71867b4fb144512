// RRSIG: RFC 4034 §3.1 (wire) and §3.2 (presentation: type covered, algorithm, labels, original
// TTL, expiration and inception as YYYYMMDDHHmmSS, key tag, signer, signature in base64). The
// signer's name is never compressed (RFC 4034 §3.1.7) and is lower-cased in canonical form (§6.2).
using System.Collections.Immutable;
using System.Globalization;
using NsPolicy.Dns.Dnssec;

namespace NsPolicy.Dns.Records;

public sealed class RrsigRData : RData
{
    public RrsigRData(
        RecordType typeCovered,
        DnssecAlgorithm algorithm,
        byte labels,
        uint originalTtl,
        uint expiration,
        uint inception,
        ushort keyTag,
        DnsName signerName,
        ImmutableArray<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(signerName);
        TypeCovered = typeCovered;
        Algorithm = algorithm;
        Labels = labels;
        OriginalTtl = originalTtl;
        Expiration = expiration;
        Inception = inception;
        KeyTag = keyTag;
        SignerName = signerName;
        Signature = signature.IsDefault ? [] : signature;
    }

    public RecordType TypeCovered { get; }

    public DnssecAlgorithm Algorithm { get; }

    /// <summary>Labels in the original owner name, not counting the root or a leading wildcard (RFC 4034 §3.1.3).</summary>
    public byte Labels { get; }

    public uint OriginalTtl { get; }

    /// <summary>Seconds since 1970 modulo 2^32; compare with serial arithmetic (RFC 4034 §3.1.5).</summary>
    public uint Expiration { get; }

    /// <summary>Seconds since 1970 modulo 2^32; compare with serial arithmetic (RFC 4034 §3.1.5).</summary>
    public uint Inception { get; }

    public ushort KeyTag { get; }

    public DnsName SignerName { get; }

    public ImmutableArray<byte> Signature { get; }

    public override RecordType Type => RecordType.RRSIG;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{TypeCovered} {(byte)Algorithm} {Labels} {OriginalTtl} {Presentation.FormatTime(Expiration)} {Presentation.FormatTime(Inception)} {KeyTag} {SignerName.ToOriginalCaseString()} {Convert.ToBase64String(Signature.AsSpan())}")
        .TrimEnd();

    /// <summary>The RDATA without the signature, in canonical form: the first part of the signed data (RFC 4034 §3.1.8.1).</summary>
    internal void WriteWithoutSignature(WireWriter writer)
    {
        writer.WriteUInt16(TypeCovered.Value);
        writer.WriteByte((byte)Algorithm);
        writer.WriteByte(Labels);
        writer.WriteUInt32(OriginalTtl);
        writer.WriteUInt32(Expiration);
        writer.WriteUInt32(Inception);
        writer.WriteUInt16(KeyTag);
        writer.WriteName(SignerName, compressible: false, lowerInCanonical: true);
    }

    internal override void WriteTo(WireWriter writer)
    {
        WriteWithoutSignature(writer);
        writer.WriteBytes(Signature.AsSpan());
    }

    internal static RrsigRData Read(WireReader r) => new(
        new RecordType(r.ReadUInt16("RRSIG type covered")),
        (DnssecAlgorithm)r.ReadByte("RRSIG algorithm"),
        r.ReadByte("RRSIG labels"),
        r.ReadUInt32("RRSIG original TTL"),
        r.ReadUInt32("RRSIG expiration"),
        r.ReadUInt32("RRSIG inception"),
        r.ReadUInt16("RRSIG key tag"),
        r.ReadName("RRSIG signer name"),
        [.. r.ReadRest()]);

    internal static RrsigRData Parse(TokenReader t) => new(
        t.NextType("type covered"),
        t.NextAlgorithm(),
        t.NextByte("labels"),
        t.NextDuration("original TTL"),
        Presentation.ParseTime(t.Next("expiration"), "RRSIG expiration"),
        Presentation.ParseTime(t.Next("inception"), "RRSIG inception"),
        t.NextUInt16("key tag"),
        t.NextName("signer name"),
        [.. t.RestBase64("signature")]);
}
