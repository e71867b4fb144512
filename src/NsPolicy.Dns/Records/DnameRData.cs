// DNAME: RFC 6672 §2.1 — redirects the whole subtree below the owner to the target; data below
// the owner is never served (§2.4). Sent uncompressed (§2.5) but decompressed when read; lower-cased
// in canonical form (RFC 4034 §6.2).
namespace NsPolicy.Dns.Records;

public sealed class DnameRData : RData
{
    public DnameRData(DnsName target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Target = target;
    }

    public DnsName Target { get; }

    public override RecordType Type => RecordType.DNAME;

    public override string ToString() => Target.ToOriginalCaseString();

    internal override void WriteTo(WireWriter writer) => writer.WriteName(Target, compressible: false, lowerInCanonical: true);

    internal static DnameRData Read(WireReader r) => new(r.ReadName("DNAME target"));

    internal static DnameRData Parse(TokenReader t) => new(t.NextName("target"));
}
