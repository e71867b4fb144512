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

    public Task<QueryEvidence> QueryAsync(IPAddress server, DnsName name, RecordType type, bool tcp, bool dnssec, bool recursion, EdnsProbe probe = EdnsProbe.None) =>
        QueryAsync(new QueryKey(server, name, type, tcp, dnssec, recursion, probe));

    public Task<QueryEvidence> QueryAsync(QueryKey key) =>
        Budget() is { } spent
            ? Task.FromResult(EvidenceMapping.NotAsked(key, spent))
            : WaitAsync(collector.Gate.QueryAsync(key, runToken), () => EvidenceMapping.NotAsked(key, DeadlinePassed));

    /// <summary>
    /// Re-asks the queries of <paramref name="keys"/> whose answers in <paramref name="answers"/> were
    /// silence, for up to <see cref="ReaskRounds"/> rounds, where their server has answered something
    /// (in <paramref name="answers"/> or anywhere in the run): there the silence is more likely lost
    /// datagrams than a dead server, and a dead server costs no more time. A re-ask counts against
    /// the budgets like any query; what it gets replaces the silence.
    /// </summary>
    public async Task ReaskSilentAsync(IReadOnlyList<QueryKey> keys, QueryEvidence[] answers)
    {
        for (var round = 0; round < ReaskRounds; round++)
        {
            var silent = Enumerable.Range(0, answers.Length)
                .Where(i => QueryGate.IsSilent(answers[i]) && (Answered(keys[i].Server) || AnsweredHere(keys[i].Server, keys, answers)))
                .ToList();
            if (silent.Count == 0)
            {
                return;
            }

            var again = await Task.WhenAll(silent.Select(i => ReaskAsync(keys[i]))).ConfigureAwait(false);
            for (var j = 0; j < silent.Count; j++)
            {
                answers[silent[j]] = again[j].Result == QueryResult.NotAsked ? again[j] : again[j] with { Reasked = round + 1 };
            }
        }
    }

    /// <summary>
    /// How often a query that went unanswered at a server that answers others is asked again before
    /// the silence stands: with 1 % loss each way, a query and its retry both go unanswered about once
    /// in 2,500 queries; two more rounds make that about once in 10^10.
    /// </summary>
    public const int ReaskRounds = 2;

    /// <summary>Whether <paramref name="server"/> has responded to any query of the run so far (<see cref="QueryGate.Responded"/>).</summary>
    public bool Answered(IPAddress server) => collector.Gate.HasAnswered(server);

    private static bool AnsweredHere(IPAddress server, IReadOnlyList<QueryKey> keys, QueryEvidence[] answers) =>
        Enumerable.Range(0, answers.Length).Any(i => QueryGate.Responded(answers[i]) && keys[i].Server.Equals(server));

    private Task<QueryEvidence> ReaskAsync(QueryKey key) =>
        Budget() is { } spent
            ? Task.FromResult(EvidenceMapping.NotAsked(key, spent))
            : WaitAsync(collector.Gate.ReaskAsync(key, runToken), () => EvidenceMapping.NotAsked(key, DeadlinePassed));

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

    /// <summary>
    /// One AXFR attempt at <paramref name="address"/>, shared by whoever asks; an attempt cut short
    /// (<see cref="ZoneTransfers.CutShort"/>) at an address that answered other queries is made once
    /// more, within the budgets, since over TCP loss shows as a stall rather than as a lost query.
    /// </summary>
    public async Task<TransferEvidence> TransferAsync(IPAddress address)
    {
        var first = await TransferOnceAsync(address, () => collector.Transfers.TransferAsync(address, zone, runToken)).ConfigureAwait(false);
        if (!ZoneTransfers.CutShort(first) || !Answered(address))
        {
            return first;
        }

        var again = await TransferOnceAsync(address, () => collector.Transfers.RetryAsync(address, zone, runToken)).ConfigureAwait(false);
        return again.Result == TransferResult.NotAsked ? first : again with { Retried = true };
    }

    private Task<TransferEvidence> TransferOnceAsync(IPAddress address, Func<Task<TransferEvidence>> transfer) =>
        Budget() is { } spent
            ? Task.FromResult(new TransferEvidence { Result = TransferResult.NotAsked, Error = spent })
            : WaitAsync(transfer(), () => new TransferEvidence
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
