using System.Net;
using System.Text.Json.Serialization;
using NsPolicy.Dns;

namespace NsPolicy.Core.Evidence;

/// <summary>How one query ended. Every ending is evidence; none ends the run.</summary>
public enum QueryResult
{
    /// <summary>A response arrived; see its rcode and flags.</summary>
    Answer,

    Timeout,

    /// <summary>Unreachable, reset, or closed without a response.</summary>
    NetworkError,

    /// <summary>Nothing listens: ICMP port unreachable for UDP, a reset for a TCP connection.</summary>
    ConnectionRefused,

    /// <summary>The response could not be parsed.</summary>
    Malformed,

    /// <summary>Even the response over TCP was truncated.</summary>
    Truncated,

    /// <summary>The network guard (loopback only) did not let the query out.</summary>
    Blocked,

    /// <summary>The query was not made: the zone's deadline passed first.</summary>
    NotAsked,
}

public enum EvidenceTransport
{
    Udp,
    Tcp,
}

/// <summary>One query to one server and what came back. Records exclude the OPT pseudo-record.</summary>
public sealed record QueryEvidence
{
    public required DnsName Name { get; init; }

    public required RecordType Type { get; init; }

    public required IPAddress Server { get; init; }

    public required EvidenceTransport Transport { get; init; }

    public required QueryResult Result { get; init; }

    /// <summary>The query was sent with the DO bit (RFC 3225), so a signed zone's answer carries its RRSIGs. Left out of the file when false.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool DnssecOk { get; init; }

    public DnsResponseCode? Rcode { get; init; }

    /// <summary>AA.</summary>
    public bool Authoritative { get; init; }

    /// <summary>TC of the response kept (a UDP response with TC is replaced by the TCP one).</summary>
    public bool Truncated { get; init; }

    /// <summary>AD.</summary>
    public bool AuthenticData { get; init; }

    public bool RecursionAvailable { get; init; }

    /// <summary>The UDP response was truncated and the query was repeated over TCP.</summary>
    public bool FellBackToTcp { get; init; }

    /// <summary>The response carried an OPT record.</summary>
    public bool Edns { get; init; }

    /// <summary>The codes of the EDNS options in the response's OPT record (RFC 6891 §6.1.2), in order. Left out of the file when there are none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ushort>? EdnsOptions { get; init; }

    /// <summary>The version of the response's OPT record (RFC 6891 §6.1.3). Left out of the file when 0 or when there is no OPT record.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int OptVersion { get; init; }

    /// <summary>The flag bits of the response's OPT record other than DO: undefined (Z), they must be 0 (RFC 6891 §6.1.4). Left out of the file when 0.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int OptZ { get; init; }

    /// <summary>Size in octets of the response.</summary>
    public int Size { get; init; }

    /// <summary>Round-trip time of the last attempt, in milliseconds.</summary>
    public int RttMs { get; init; }

    /// <summary>How often the question was asked again after it went unanswered at a server that answered others (at most 2); this is the last ask's outcome. Left out of the file when 0.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Reasked { get; init; }

    public string? Error { get; init; }

    public IReadOnlyList<ResourceRecord> Answer { get; init; } = [];

    public IReadOnlyList<ResourceRecord> Authority { get; init; } = [];

    public IReadOnlyList<ResourceRecord> Additional { get; init; } = [];

    [JsonIgnore]
    public bool IsAnswer => Result == QueryResult.Answer;

    /// <summary>A response arrived, with NOERROR and AA.</summary>
    [JsonIgnore]
    public bool IsAuthoritativeAnswer => IsAnswer && Rcode == DnsResponseCode.NoError && Authoritative;

    /// <summary>No response at all (not counting queries that were never made or were blocked).</summary>
    [JsonIgnore]
    public bool IsUnreachable => Result is QueryResult.Timeout or QueryResult.NetworkError or QueryResult.ConnectionRefused;
}
