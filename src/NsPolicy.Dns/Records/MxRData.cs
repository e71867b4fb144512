// MX: RFC 1035 §3.3.9 — preference and mail exchange. The name may be compressed (RFC 3597 §4) and
// is lower-cased in canonical form (RFC 4034 §6.2).
using System.Globalization;

namespace NsPolicy.Dns.Records;

public sealed class MxRData : RData
{
    public MxRData(ushort preference, DnsName exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        Preference = preference;
        Exchange = exchange;
    }

    public ushort Preference { get; }

    public DnsName Exchange { get; }

    public override RecordType Type => RecordType.MX;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Preference} {Exchange.ToOriginalCaseString()}");

    internal override void WriteTo(WireWriter writer)
    {
        writer.WriteUInt16(Preference);
        writer.WriteName(Exchange, compressible: true, lowerInCanonical: true);
    }

    internal static MxRData Read(WireReader r) => new(r.ReadUInt16("MX preference"), r.ReadName("MX exchange"));

    internal static MxRData Parse(TokenReader t) => new(t.NextUInt16("preference"), t.NextName("exchange"));
}
