// PTR: RFC 1035 §3.3.12 — a pointer to another place in the name space.
// The name may be compressed (RFC 3597 §4) and is lower-cased in canonical form (RFC 4034 §6.2).
namespace NsPolicy.Dns.Records;

public sealed class PtrRData : RData
{
    public PtrRData(DnsName target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Target = target;
    }

    public DnsName Target { get; }

    public override RecordType Type => RecordType.PTR;

    public override string ToString() => Target.ToOriginalCaseString();

    internal override void WriteTo(WireWriter writer) => writer.WriteName(Target, compressible: true, lowerInCanonical: true);

    internal static PtrRData Read(WireReader r) => new(r.ReadName("PTR target"));

    internal static PtrRData Parse(TokenReader t) => new(t.NextName("target"));
}
