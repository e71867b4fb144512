// NS: RFC 1035 §3.3.11 — the name of an authoritative server for the owner.
// The name may be compressed (RFC 3597 §4) and is lower-cased in canonical form (RFC 4034 §6.2).
namespace NsPolicy.Dns.Records;

public sealed class NsRData : RData
{
    public NsRData(DnsName target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Target = target;
    }

    public DnsName Target { get; }

    public override RecordType Type => RecordType.NS;

    public override string ToString() => Target.ToOriginalCaseString();

    internal override void WriteTo(WireWriter writer) => writer.WriteName(Target, compressible: true, lowerInCanonical: true);

    internal static NsRData Read(WireReader r) => new(r.ReadName("NS target"));

    internal static NsRData Parse(TokenReader t) => new(t.NextName("target"));
}
