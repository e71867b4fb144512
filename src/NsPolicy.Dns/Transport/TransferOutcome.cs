using System.Collections.Immutable;
using System.Net;

namespace NsPolicy.Dns.Transport;

/// <summary>How a zone transfer (AXFR) ended.</summary>
public enum TransferStatus
{
    /// <summary>The transfer ended with the closing SOA (RFC 5936 §2.2).</summary>
    Completed,

    /// <summary>The server answered with an error RCODE (REFUSED, NOTAUTH, …); see <see cref="TransferOutcome.ResponseCode"/>.</summary>
    Refused,

    Timeout,

    NetworkError,

    Malformed,

    /// <summary>The connection closed, or the record limit was reached, before the closing SOA.</summary>
    Incomplete,

    Blocked,
}

/// <summary>The result of one AXFR attempt against one server.</summary>
public sealed record TransferOutcome
{
    public required IPEndPoint Server { get; init; }

    public required DnsName Zone { get; init; }

    public required TransferStatus Status { get; init; }

    /// <summary>The RCODE of the last message received, when one was.</summary>
    public DnsResponseCode? ResponseCode { get; init; }

    /// <summary>The records in transfer order, the opening and closing SOA included.</summary>
    public ImmutableArray<ResourceRecord> Records { get; init; } = [];

    public int RecordCount => Records.Length;

    public int MessageCount { get; init; }

    public TimeSpan Duration { get; init; }

    public string? Error { get; init; }

    public int? MalformedOffset { get; init; }
}
