// CNAME: RFC 1035 §3.3.1 — the canonical name for the owner, an alias.
// The name may be compressed (RFC 3597 §4) and is lower-cased in canonical form (RFC 4034 §6.2).
namespace NsPolicy.Dns.Records;

public sealed class CnameRData : RData
{
    public CnameRData(DnsName target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Target = target;
    }

    public DnsName Target { get; }

    public override RecordType Type => RecordType.CNAME;

    public override string ToString() => Target.ToOriginalCaseString();

    internal override void WriteTo(WireWriter writer) => writer.WriteName(Target, compressible: true, lowerInCanonical: true);

    internal static CnameRData Read(WireReader r) => new(r.ReadName("CNAME target"));

    internal static CnameRData Parse(TokenReader t) => new(t.NextName("target"));
}
