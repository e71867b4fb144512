// CDS: RFC 7344 §3.1 — the child's copy of a DS, same format as DS (RFC 4034 §5); "0 0 0 00"
// asks for DNSSEC to be removed (RFC 8078 §4).
using System.Collections.Immutable;
using NsPolicy.Dns.Dnssec;

namespace NsPolicy.Dns.Records;

public sealed class CdsRData : DelegationSignerRData
{
    public CdsRData(ushort keyTag, DnssecAlgorithm algorithm, DsDigestType digestType, ImmutableArray<byte> digest)
        : base(keyTag, algorithm, digestType, digest)
    {
    }

    public override RecordType Type => RecordType.CDS;

    /// <summary>True for the RFC 8078 §4 delete request (algorithm 0).</summary>
    public bool IsDeleteRequest => Algorithm == 0 && KeyTag == 0 && DigestType == 0;

    internal static CdsRData Read(WireReader r)
    {
        var (tag, alg, type, digest) = ReadFields(r, "CDS");
        return new CdsRData(tag, alg, type, digest);
    }

    internal static CdsRData Parse(TokenReader t)
    {
        var (tag, alg, type, digest) = ParseFields(t);
        return new CdsRData(tag, alg, type, digest);
    }
}
