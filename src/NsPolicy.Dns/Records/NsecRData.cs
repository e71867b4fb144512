// NSEC: RFC 4034 §4.1 (wire: next domain name, type bit maps) and §4.2 (presentation). The next
// name is never compressed and keeps its case in canonical form (RFC 6840 §5.1 took NSEC off the
// list in RFC 4034 §6.2).
using System.Collections.Immutable;
using System.Text;

namespace NsPolicy.Dns.Records;

public sealed class NsecRData : RData
{
    public NsecRData(DnsName nextDomainName, IEnumerable<RecordType> types)
    {
        ArgumentNullException.ThrowIfNull(nextDomainName);
        ArgumentNullException.ThrowIfNull(types);
        NextDomainName = nextDomainName;
        Types = TypeBitmap.Normalize(types);
    }

    public DnsName NextDomainName { get; }

    /// <summary>Types present at the owner, ascending.</summary>
    public ImmutableArray<RecordType> Types { get; }

    public override RecordType Type => RecordType.NSEC;

    public override string ToString()
    {
        var sb = new StringBuilder(NextDomainName.ToOriginalCaseString());
        TypeBitmap.Append(sb, Types);
        return sb.ToString();
    }

    internal override void WriteTo(WireWriter writer)
    {
        writer.WriteName(NextDomainName, compressible: false, lowerInCanonical: false);
        TypeBitmap.Write(writer, Types);
    }

    internal static NsecRData Read(WireReader r) => new(r.ReadName("NSEC next domain name"), TypeBitmap.Read(r));

    internal static NsecRData Parse(TokenReader t) => new(t.NextName("next domain name"), TypeBitmap.Parse(t));
}
