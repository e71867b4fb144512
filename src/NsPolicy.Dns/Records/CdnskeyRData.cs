// CDNSKEY: RFC 7344 §3.2 — the child's copy of a DNSKEY, same format as DNSKEY (RFC 4034 §2);
// "0 3 0 AA==" asks for DNSSEC to be removed (RFC 8078 §4).
using System.Collections.Immutable;
using NsPolicy.Dns.Dnssec;

namespace NsPolicy.Dns.Records;

public sealed class CdnskeyRData : KeyRData
{
    public CdnskeyRData(ushort flags, byte protocol, DnssecAlgorithm algorithm, ImmutableArray<byte> publicKey)
        : base(flags, protocol, algorithm, publicKey)
    {
    }

    public override RecordType Type => RecordType.CDNSKEY;

    /// <summary>True for the RFC 8078 §4 delete request (algorithm 0).</summary>
    public bool IsDeleteRequest => Algorithm == 0 && Flags == 0;

    internal static CdnskeyRData Read(WireReader r)
    {
        var (flags, protocol, alg, key) = ReadFields(r, "CDNSKEY");
        return new CdnskeyRData(flags, protocol, alg, key);
    }

    internal static CdnskeyRData Parse(TokenReader t)
    {
        var (flags, protocol, alg, key) = ParseFields(t);
        return new CdnskeyRData(flags, protocol, alg, key);
    }
}
