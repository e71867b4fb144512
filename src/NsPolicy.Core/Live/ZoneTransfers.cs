// One AXFR attempt per server address and zone, whoever asks (RFC 5936), through the query gate.
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

    private async Task<TransferEvidence> TransferCoreAsync(IPAddress address, DnsName zone, CancellationToken runToken)
    {
        var outcome = await gate.Gated(address, () => gate.Transport.TransferAsync(
            new IPEndPoint(address, 53), zone, gate.Options(tcp: true, dnssec: false, recursion: false), runToken), runToken).ConfigureAwait(false);
        return EvidenceMapping.ToEvidence(outcome);
    }
}
