// How the transport's outcomes become evidence: every ending is recorded, none is thrown.
using NsPolicy.Core.Evidence;
using NsPolicy.Dns.Transport;

namespace NsPolicy.Core.Live;

internal static class EvidenceMapping
{
    private const int DnssecOkFlag = 0x8000;

    public static QueryEvidence ToEvidence(QueryOutcome outcome, QueryKey key)
    {
        var evidence = new QueryEvidence
        {
            Name = key.Name,
            Type = key.Type,
            Server = key.Server,
            DnssecOk = key.Dnssec,
            Transport = outcome.Transport == DnsTransportKind.Tcp ? EvidenceTransport.Tcp : EvidenceTransport.Udp,
            Result = ResultOf(outcome.Status),
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
            EdnsOptions = response.Edns is { Options: { IsDefaultOrEmpty: false } options } ? [.. options.Select(o => o.Code)] : null,
            OptVersion = response.Edns?.Version ?? 0,
            OptZ = (response.Edns?.Flags ?? 0) & ~DnssecOkFlag,
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
        Result = ResultOf(outcome.Status),
        Rcode = outcome.ResponseCode,
        Records = outcome.RecordCount,
        Error = outcome.Error,
    };

    /// <summary>The evidence's word for a query's status; a status the evidence has no word for is a bug here, not a network error.</summary>
    internal static QueryResult ResultOf(QueryStatus status) => status switch
    {
        QueryStatus.Answer => QueryResult.Answer,
        QueryStatus.Timeout => QueryResult.Timeout,
        QueryStatus.NetworkError => QueryResult.NetworkError,
        QueryStatus.Malformed => QueryResult.Malformed,
        QueryStatus.TruncatedOverTcp => QueryResult.Truncated,
        QueryStatus.Blocked => QueryResult.Blocked,
        QueryStatus.ConnectionRefused => QueryResult.ConnectionRefused,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "a query status the evidence has no word for"),
    };

    /// <summary>The evidence's word for a zone transfer's status (as <see cref="ResultOf(QueryStatus)"/>).</summary>
    internal static TransferResult ResultOf(TransferStatus status) => status switch
    {
        TransferStatus.Completed => TransferResult.Completed,
        TransferStatus.Refused => TransferResult.Refused,
        TransferStatus.Timeout => TransferResult.Timeout,
        TransferStatus.NetworkError => TransferResult.NetworkError,
        TransferStatus.Malformed => TransferResult.Malformed,
        TransferStatus.Incomplete => TransferResult.Incomplete,
        TransferStatus.Blocked => TransferResult.Blocked,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "a transfer status the evidence has no word for"),
    };
}
