// RDATA of a type this library does not interpret: kept as raw octets and printed in the generic
// form "\# length hex" (RFC 3597 §5). Such RDATA is never compressed nor changed in canonical form
// (RFC 3597 §4, §7).
using System.Collections.Immutable;

namespace NsPolicy.Dns.Records;

public sealed class UnknownRData : RData
{
    public UnknownRData(RecordType type, ImmutableArray<byte> data)
    {
        Type = type;
        Data = data.IsDefault ? [] : data;
    }

    public override RecordType Type { get; }

    public ImmutableArray<byte> Data { get; }

    public override string ToString() => ToGenericString();

    internal override void WriteTo(WireWriter writer) => writer.WriteBytes(Data.AsSpan());
}
