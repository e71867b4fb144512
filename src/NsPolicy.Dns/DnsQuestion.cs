// The question section entry: RFC 1035 §4.1.2 (QNAME, QTYPE, QCLASS).
namespace NsPolicy.Dns;

public sealed record DnsQuestion(DnsName Name, RecordType Type, RecordClass Class)
{
    /// <summary>An IN-class question.</summary>
    public DnsQuestion(DnsName name, RecordType type)
        : this(name, type, RecordClass.IN)
    {
    }

    /// <summary>As dig prints it: name, class, type separated by tabs.</summary>
    public override string ToString() => $"{Name}\t{Class}\t{Type}";
}
