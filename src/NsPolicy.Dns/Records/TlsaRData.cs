// TLSA: RFC 6698 §2.1 (wire: usage, selector, matching type, certificate association data) and
// §2.2 (presentation: three numbers, then the data in hex, which may be split by white space).
using System.Collections.Immutable;
using System.Globalization;

namespace NsPolicy.Dns.Records;

public sealed class TlsaRData : RData
{
    public TlsaRData(byte usage, byte selector, byte matchingType, ImmutableArray<byte> data)
    {
        Usage = usage;
        Selector = selector;
        MatchingType = matchingType;
        Data = data.IsDefault ? [] : data;
    }

    public byte Usage { get; }

    public byte Selector { get; }

    public byte MatchingType { get; }

    public ImmutableArray<byte> Data { get; }

    public override RecordType Type => RecordType.TLSA;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Usage} {Selector} {MatchingType} {Convert.ToHexString(Data.AsSpan())}");

    internal override void WriteTo(WireWriter writer)
    {
        writer.WriteByte(Usage);
        writer.WriteByte(Selector);
        writer.WriteByte(MatchingType);
        writer.WriteBytes(Data.AsSpan());
    }

    internal static TlsaRData Read(WireReader r) => new(
        r.ReadByte("TLSA usage"), r.ReadByte("TLSA selector"), r.ReadByte("TLSA matching type"), [.. r.ReadRest()]);

    internal static TlsaRData Parse(TokenReader t) => new(
        t.NextByte("usage"), t.NextByte("selector"), t.NextByte("matching type"), [.. t.RestHex("certificate association data")]);
}
