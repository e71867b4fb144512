using System.Net;

namespace NsPolicy.Dns.Transport;

/// <summary>How a query ended. Every ending is a value; none is an exception.</summary>
public enum QueryStatus
{
    /// <summary>A matching response arrived (whatever its RCODE).</summary>
    Answer,

    /// <summary>No acceptable response within the timeout on any attempt.</summary>
    Timeout,

    /// <summary>The network reported an error (unreachable, reset, closed early); a refused port is <see cref="ConnectionRefused"/>.</summary>
    NetworkError,

    /// <summary>The response could not be parsed; <see cref="QueryOutcome.Error"/> and <see cref="QueryOutcome.MalformedOffset"/> say why.</summary>
    Malformed,

    /// <summary>The response over TCP still had TC set; the message is kept.</summary>
    TruncatedOverTcp,

    /// <summary>The network guard did not allow the destination; nothing was sent.</summary>
    Blocked,

    /// <summary>
    /// Nothing listens on the server's port: ICMP port unreachable for UDP (RFC 1122 §4.1.3.3), a
    /// reset for a TCP connection. Reported at once, not after the timeout.
    /// </summary>
    ConnectionRefused,
}

public enum DnsTransportKind
{
    Udp,
    Tcp,
}

/// <summary>The result of one query to one server, with what was observed on the wire.</summary>
public sealed record QueryOutcome
{
    public required IPEndPoint Server { get; init; }

    public required DnsQuestion Question { get; init; }

    public required QueryStatus Status { get; init; }

    /// <summary>The response, when one was accepted.</summary>
    public DnsMessage? Response { get; init; }

    /// <summary>Time from sending the last attempt to its response (or to giving up).</summary>
    public TimeSpan RoundTripTime { get; init; }

    /// <summary>The transport of the last attempt.</summary>
    public DnsTransportKind Transport { get; init; }

    /// <summary>Size in octets of the accepted response (without the TCP length prefix); 0 when none.</summary>
    public int ResponseSize { get; init; }

    /// <summary>Datagrams and TCP messages that were ignored: wrong source, wrong id, wrong question, not a response.</summary>
    public int DroppedPackets { get; init; }

    /// <summary>Attempts made (UDP and TCP together).</summary>
    public int Attempts { get; init; }

    /// <summary>A UDP response had TC set and the query was repeated over TCP.</summary>
    public bool FellBackToTcp { get; init; }

    /// <summary>A plain sentence for anything other than an answer.</summary>
    public string? Error { get; init; }

    /// <summary>For <see cref="QueryStatus.Malformed"/>: the octet offset where parsing failed.</summary>
    public int? MalformedOffset { get; init; }

    public bool IsAnswer => Status == QueryStatus.Answer && Response is not null;
}
