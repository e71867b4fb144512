// SOA: RFC 1035 §3.3.13 — start of a zone of authority. Names may be compressed (RFC 3597 §4) and
// are lower-cased in canonical form (RFC 4034 §6.2); the timers accept BIND units when parsed.
using System.Globalization;

namespace NsPolicy.Dns.Records;

public sealed class SoaRData : RData
{
    public SoaRData(DnsName primaryServer, DnsName responsibleMailbox, uint serial, uint refresh, uint retry, uint expire, uint minimum)
    {
        ArgumentNullException.ThrowIfNull(primaryServer);
        ArgumentNullException.ThrowIfNull(responsibleMailbox);
        PrimaryServer = primaryServer;
        ResponsibleMailbox = responsibleMailbox;
        Serial = serial;
        Refresh = refresh;
        Retry = retry;
        Expire = expire;
        Minimum = minimum;
    }

    /// <summary>MNAME: the primary name server.</summary>
    public DnsName PrimaryServer { get; }

    /// <summary>RNAME: the mailbox of the person responsible, first label being the local part.</summary>
    public DnsName ResponsibleMailbox { get; }

    public uint Serial { get; }

    public uint Refresh { get; }

    public uint Retry { get; }

    public uint Expire { get; }

    /// <summary>MINIMUM: since RFC 2308 §4, the TTL of negative answers.</summary>
    public uint Minimum { get; }

    public override RecordType Type => RecordType.SOA;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{PrimaryServer.ToOriginalCaseString()} {ResponsibleMailbox.ToOriginalCaseString()} {Serial} {Refresh} {Retry} {Expire} {Minimum}");

    internal override void WriteTo(WireWriter writer)
    {
        writer.WriteName(PrimaryServer, compressible: true, lowerInCanonical: true);
        writer.WriteName(ResponsibleMailbox, compressible: true, lowerInCanonical: true);
        writer.WriteUInt32(Serial);
        writer.WriteUInt32(Refresh);
        writer.WriteUInt32(Retry);
        writer.WriteUInt32(Expire);
        writer.WriteUInt32(Minimum);
    }

    internal static SoaRData Read(WireReader r) => new(
        r.ReadName("SOA MNAME"),
        r.ReadName("SOA RNAME"),
        r.ReadUInt32("SOA serial"),
        r.ReadUInt32("SOA refresh"),
        r.ReadUInt32("SOA retry"),
        r.ReadUInt32("SOA expire"),
        r.ReadUInt32("SOA minimum"));

    internal static SoaRData Parse(TokenReader t) => new(
        t.NextName("primary server"),
        t.NextName("responsible mailbox"),
        t.NextUInt32("serial"),
        t.NextDuration("refresh"),
        t.NextDuration("retry"),
        t.NextDuration("expire"),
        t.NextDuration("minimum"));
}
