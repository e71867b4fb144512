// How the transport's outcomes become evidence: every ending is recorded, none is thrown.
using NsPolicy.Core.Evidence;
using NsPolicy.Dns.Transport;

namespace NsPolicy.Core.Live;

internal static class EvidenceMapping
{
    public static QueryEvidence ToEvidence(QueryOutcome outcome, QueryKey key)
    {
        var evidence = new QueryEvidence
        {
            Name = key.Name,
            Type = key.Type,
            Server = key.Server,
            DnssecOk = key.Dnssec,
            Transport = outcome.Transport == DnsTransportKind.Tcp ? EvidenceTransport.Tcp : EvidenceTransport.Udp,
            Result = outcome.Status switch
            {
                QueryStatus.Answer => QueryResult.Answer,
                QueryStatus.Timeout => QueryResult.Timeout,
                QueryStatus.NetworkError => QueryResult.NetworkError,
                QueryStatus.Malformed => QueryResult.Malformed,
                QueryStatus.TruncatedOverTcp => QueryResult.Truncated,
                QueryStatus.Blocked => QueryResult.Blocked,
                QueryStatus.ConnectionRefused => QueryResult.ConnectionRefused,
                _ => QueryResult.NetworkError,
            },
            FellBackToTcp = outcome.FellBackToTcp,
            Size = outcome.ResponseSize,
            RttMs = (int)Math.Round(outcome.RoundTripTime.TotalMilliseconds),
            Error = outcome.Error,
        };
        if (outcome.Response is not { } response)
        {
            return evidence;
        }

        return evidence with
        {
            Rcode = response.ResponseCode,
            Authoritative = response.Header.IsAuthoritative,
            Truncated = response.Header.IsTruncated,
            AuthenticData = response.Header.AuthenticData,
            RecursionAvailable = response.Header.RecursionAvailable,
            Edns = response.Edns is not null,
            Answer = response.Answers,
            Authority = response.Authority,
            Additional = [.. response.AdditionalRecords],
        };
    }

    public static QueryEvidence NotAsked(QueryKey key, string reason) => new()
    {
        Name = key.Name,
        Type = key.Type,
        Server = key.Server,
        DnssecOk = key.Dnssec,
        Transport = key.Tcp ? EvidenceTransport.Tcp : EvidenceTransport.Udp,
        Result = QueryResult.NotAsked,
        Error = reason,
    };

    public static TransferEvidence ToEvidence(TransferOutcome outcome) => new()
    {
        Result = outcome.Status switch
        {
            TransferStatus.Completed => TransferResult.Completed,
            TransferStatus.Refused => TransferResult.Refused,
            TransferStatus.Timeout => TransferResult.Timeout,
            TransferStatus.NetworkError => TransferResult.NetworkError,
            TransferStatus.Malformed => TransferResult.Malformed,
            TransferStatus.Incomplete => TransferResult.Incomplete,
            TransferStatus.Blocked => TransferResult.Blocked,
            _ => TransferResult.NetworkError,
        },
        Rcode = outcome.ResponseCode,
        Records = outcome.RecordCount,
        Error = outcome.Error,
    };
}
