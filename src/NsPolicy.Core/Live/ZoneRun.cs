// One zone's view of the run's shared work: waits end at the zone's deadline (what is missing is
// recorded as not asked), while the shared work goes on for other zones.
using System.Net;
using NsPolicy.Core.Evidence;
using NsPolicy.Dns;

namespace NsPolicy.Core.Live;

internal sealed class ZoneRun(LiveCollector collector, DnsName zone, CancellationToken zoneToken, CancellationToken runToken)
{
    private const string DeadlinePassed = "not asked: the zone's deadline passed first";

    private int deadlinePassed;
    private int asked;
    private int budgetSpent;

    public DnsName Zone => zone;

    public bool DeadlineExceeded => Volatile.Read(ref deadlinePassed) != 0;

    public bool BudgetExceeded => Volatile.Read(ref budgetSpent) != 0;

    public Task<QueryEvidence> QueryAsync(IPAddress server, DnsName name, RecordType type, bool tcp, bool dnssec, bool recursion, EdnsProbe probe = EdnsProbe.None)
    {
        var key = new QueryKey(server, name, type, tcp, dnssec, recursion, probe);
        return Budget() is { } spent
            ? Task.FromResult(EvidenceMapping.NotAsked(key, spent))
            : WaitAsync(collector.Gate.QueryAsync(key, runToken), () => EvidenceMapping.NotAsked(key, DeadlinePassed));
    }

    /// <summary>Questions of <paramref name="types"/> about <paramref name="name"/> to <paramref name="server"/> over TCP, on one connection; each counts against the budgets.</summary>
    public IReadOnlyList<Task<QueryEvidence>> QueryTcpTogether(IPAddress server, DnsName name, IReadOnlyList<RecordType> types, bool dnssec)
    {
        var keys = types.Select(t => new QueryKey(server, name, t, Tcp: true, dnssec, Recursion: false)).ToList();
        var spent = keys.Select(_ => Budget()).ToList();
        var asked = keys.Where((_, i) => spent[i] is null).ToList();
        var answers = asked.Count > 0 ? collector.Gate.QueryTogether(asked, runToken) : [];
        var results = new Task<QueryEvidence>[keys.Count];
        for (int i = 0, next = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            results[i] = spent[i] is { } reason
                ? Task.FromResult(EvidenceMapping.NotAsked(key, reason))
                : WaitAsync(answers[next++], () => EvidenceMapping.NotAsked(key, DeadlinePassed));
        }

        return results;
    }

    public Task<NameResolutionEvidence> ResolveAsync(DnsName name) =>
        WaitAsync(collector.Names.ResolveAsync(name, runToken), () => new NameResolutionEvidence
        {
            Result = ResolutionResult.NotAsked,
            Error = "not resolved: the zone's deadline passed first",
        });

    public Task<TransferEvidence> TransferAsync(IPAddress address) =>
        Budget() is { } spent
            ? Task.FromResult(new TransferEvidence { Result = TransferResult.NotAsked, Error = spent })
            : WaitAsync(collector.Transfers.TransferAsync(address, zone, runToken), () => new TransferEvidence
        {
            Result = TransferResult.NotAsked,
            Error = DeadlinePassed,
        });

    public Task<ParentServers> ParentServersAsync() =>
        WaitAsync(collector.Parents.ServersAsync(zone, runToken), () => new ParentServers(null, "the parent was not found before the zone's deadline", []));

    /// <summary>Counts one query against the zone's and the run's budget; the reason it may not be sent, or null.</summary>
    private string? Budget()
    {
        string? spent = null;
        if (Interlocked.Increment(ref asked) > collector.Options.MaxQueriesPerZone)
        {
            spent = $"not asked: the zone's query budget ({collector.Options.MaxQueriesPerZone}) is spent";
        }
        else if (!collector.Gate.TryReserve())
        {
            spent = $"not asked: the run's query budget ({collector.Options.MaxQueriesPerRun}) is spent";
        }

        if (spent is not null)
        {
            Interlocked.Exchange(ref budgetSpent, 1);
        }

        return spent;
    }

    private async Task<T> WaitAsync<T>(Task<T> task, Func<T> fallback)
    {
        try
        {
            return await task.WaitAsync(zoneToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!runToken.IsCancellationRequested)
        {
            Interlocked.Exchange(ref deadlinePassed, 1);
            return fallback();
        }
    }
}
