// A DNS message: RFC 1035 §4.1 (header, question, answer, authority, additional); EDNS(0) through
// the OPT record of RFC 6891 §6.1.
using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace NsPolicy.Dns;

public sealed record DnsMessage
{
    public required DnsHeader Header { get; init; }

    public ImmutableArray<DnsQuestion> Questions { get; init; } = [];

    public ImmutableArray<ResourceRecord> Answers { get; init; } = [];

    public ImmutableArray<ResourceRecord> Authority { get; init; } = [];

    /// <summary>Additional records, including the OPT pseudo-record if there is one.</summary>
    public ImmutableArray<ResourceRecord> Additional { get; init; } = [];

    /// <summary>The only question, or null when there is none (or more than one).</summary>
    public DnsQuestion? Question => Questions.Length == 1 ? Questions[0] : null;

    /// <summary>The EDNS information from the OPT record, or null when the message has none.</summary>
    public EdnsInfo? Edns
    {
        get
        {
            foreach (var record in Additional)
            {
                if (record.Type == RecordType.OPT)
                {
                    return EdnsInfo.FromRecord(record);
                }
            }

            return null;
        }
    }

    /// <summary>The full RCODE: the header's 4 bits plus the OPT record's upper 8 bits (RFC 6891 §6.1.3).</summary>
    public DnsResponseCode ResponseCode =>
        (DnsResponseCode)((Edns?.ExtendedRcode ?? 0) << 4 | Header.HeaderRcode);

    /// <summary>Additional records without the OPT pseudo-record.</summary>
    public IEnumerable<ResourceRecord> AdditionalRecords => Additional.Where(r => r.Type != RecordType.OPT);

    /// <summary>
    /// A query for one name and type, with an OPT record advertising <paramref name="udpSize"/>
    /// (and DO when <paramref name="dnssecOk"/>). The caller supplies a random ID.
    /// </summary>
    public static DnsMessage CreateQuery(ushort id, DnsName name, RecordType type, bool recursionDesired, bool dnssecOk, ushort udpSize = 1232)
    {
        ArgumentNullException.ThrowIfNull(name);
        var edns = new EdnsInfo { UdpPayloadSize = udpSize }.WithDnssecOk(dnssecOk);
        return new DnsMessage
        {
            Header = new DnsHeader { Id = id, Opcode = DnsOpcode.Query, RecursionDesired = recursionDesired },
            Questions = [new DnsQuestion(name, type)],
            Additional = [edns.ToRecord()],
        };
    }

    /// <summary>Wire form with name compression.</summary>
    public byte[] ToWire() => DnsMessageWriter.Write(this);

    /// <summary>Parses wire data; throws <see cref="DnsFormatException"/> for anything malformed.</summary>
    public static DnsMessage FromWire(ReadOnlySpan<byte> data) => DnsMessageReader.Read(data);

    /// <summary>A dig-like multi-line rendering for logs and test failure messages.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $";; {Header} rcode {ResponseCode}\n");
        if (Edns is { } edns)
        {
            sb.Append(CultureInfo.InvariantCulture, $";; EDNS: version {edns.Version}; flags:{(edns.DnssecOk ? " do" : string.Empty)}; udp: {edns.UdpPayloadSize}\n");
        }

        foreach (var q in Questions)
        {
            sb.Append(';').Append(q).Append('\n');
        }

        AppendSection(sb, "ANSWER", Answers);
        AppendSection(sb, "AUTHORITY", Authority);
        AppendSection(sb, "ADDITIONAL", [.. AdditionalRecords]);
        return sb.ToString();
    }

    public bool Equals(DnsMessage? other) =>
        other is not null
        && Header == other.Header
        && Questions.SequenceEqual(other.Questions)
        && Answers.SequenceEqual(other.Answers)
        && Authority.SequenceEqual(other.Authority)
        && Additional.SequenceEqual(other.Additional);

    public override int GetHashCode() => HashCode.Combine(Header, Questions.Length, Answers.Length, Authority.Length, Additional.Length);

    private static void AppendSection(StringBuilder sb, string name, ImmutableArray<ResourceRecord> records)
    {
        if (records.IsEmpty)
        {
            return;
        }

        sb.Append(";; ").Append(name).Append(" SECTION:\n");
        foreach (var r in records)
        {
            sb.Append(r).Append('\n');
        }
    }
}
