// SRV: RFC 2782 — priority, weight, port, target. The target is never compressed (RFC 2782,
// RFC 3597 §4) but is lower-cased in canonical form (RFC 4034 §6.2).
using System.Globalization;

namespace NsPolicy.Dns.Records;

public sealed class SrvRData : RData
{
    public SrvRData(ushort priority, ushort weight, ushort port, DnsName target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Priority = priority;
        Weight = weight;
        Port = port;
        Target = target;
    }

    public ushort Priority { get; }

    public ushort Weight { get; }

    public ushort Port { get; }

    public DnsName Target { get; }

    public override RecordType Type => RecordType.SRV;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Priority} {Weight} {Port} {Target.ToOriginalCaseString()}");

    internal override void WriteTo(WireWriter writer)
    {
        writer.WriteUInt16(Priority);
        writer.WriteUInt16(Weight);
        writer.WriteUInt16(Port);
        writer.WriteName(Target, compressible: false, lowerInCanonical: true);
    }

    internal static SrvRData Read(WireReader r) => new(
        r.ReadUInt16("SRV priority"), r.ReadUInt16("SRV weight"), r.ReadUInt16("SRV port"), r.ReadName("SRV target"));

    internal static SrvRData Parse(TokenReader t) => new(
        t.NextUInt16("priority"), t.NextUInt16("weight"), t.NextUInt16("port"), t.NextName("target"));
}
