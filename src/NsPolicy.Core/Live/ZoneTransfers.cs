// One AXFR attempt per server address and zone, whoever asks (RFC 5936), through the query gate,
// and one more when the first was cut short (ZoneRun.TransferAsync decides).
using System.Collections.Concurrent;
using System.Net;
using NsPolicy.Core.Evidence;
using NsPolicy.Dns;

namespace NsPolicy.Core.Live;

internal sealed class ZoneTransfers(QueryGate gate)
{
    private readonly ConcurrentDictionary<(IPAddress, DnsName), Lazy<Task<TransferEvidence>>> transfers = new();

    public Task<TransferEvidence> TransferAsync(IPAddress address, DnsName zone, CancellationToken runToken) =>
        transfers.GetOrAdd((address, zone), k => new Lazy<Task<TransferEvidence>>(() => TransferCoreAsync(k.Item1, k.Item2, runToken))).Value;

    /// <summary>Another attempt, past the shared one; it replaces the shared one for whoever asks next.</summary>
    public async Task<TransferEvidence> RetryAsync(IPAddress address, DnsName zone, CancellationToken runToken)
    {
        var again = await TransferCoreAsync(address, zone, runToken).ConfigureAwait(false);
        transfers[(address, zone)] = new Lazy<Task<TransferEvidence>>(Task.FromResult(again));
        return again;
    }

    /// <summary>
    /// Cut short, as loss can do it: no response in time, a network error, or the connection closed
    /// before the closing SOA with fewer records than the limit (at the limit, the limit cut it).
    /// </summary>
    public static bool CutShort(TransferEvidence transfer) =>
        transfer.Result is TransferResult.Timeout or TransferResult.NetworkError
        || (transfer.Result == TransferResult.Incomplete && transfer.Records < QueryGate.AxfrRecordLimit);

    private async Task<TransferEvidence> TransferCoreAsync(IPAddress address, DnsName zone, CancellationToken runToken)
    {
        var outcome = await gate.Gated(address, () => gate.Transport.TransferAsync(
            new IPEndPoint(address, 53), zone, gate.Options(tcp: true, dnssec: false, recursion: false), runToken), runToken).ConfigureAwait(false);
        return EvidenceMapping.ToEvidence(outcome);
    }
}
