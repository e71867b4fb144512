// The one way the collector's queries leave: each distinct question is asked once per run (unless
// it is re-asked because it went unanswered), and every query (and transfer, and group of TCP
// queries sharing one connection) waits for a global
// slot and a slot at its server.
using System.Collections.Concurrent;
using System.Net;
using NsPolicy.Core.Evidence;
using NsPolicy.Dns;
using NsPolicy.Dns.Transport;

namespace NsPolicy.Core.Live;

/// <summary>A question to one server address, as the collector asks it.</summary>
internal readonly record struct QueryKey(IPAddress Server, DnsName Name, RecordType Type, bool Tcp, bool Dnssec, bool Recursion, EdnsProbe Probe = EdnsProbe.None);

/// <summary>How a query departs from plain EDNS(0) to test a server's EDNS compliance (RFC 6891).</summary>
internal enum EdnsProbe
{
    None,

    /// <summary>EDNS version 1: the answer must be BADVERS (RFC 6891 §6.1.3).</summary>
    Version1,

    /// <summary>An empty option of an unassigned code: it must be ignored (RFC 6891 §6.1.2).</summary>
    UnknownOption,

    /// <summary>An undefined EDNS flag bit (Z) set: it must be ignored and not come back (RFC 6891 §6.1.4).</summary>
    UnknownFlag,

    /// <summary>A UDP payload size of 512 and no TCP retry: a truncated answer must still carry OPT (RFC 6891 §7).</summary>
    Small,

    /// <summary>EDNS version 1 and the unknown option together: BADVERS, the option not echoed (RFC 6891 §6.1.2, §6.1.3).</summary>
    Version1WithOption,
}

/// <summary>Shares identical queries within a run and bounds them globally and per server address.</summary>
internal sealed class QueryGate
{
    /// <summary>Records one transfer may carry before it is cut off.</summary>
    public const int AxfrRecordLimit = 1000;

    private readonly DnsTransport transport;
    private readonly LiveOptions options;
    private readonly SemaphoreSlim global;
    private readonly ConcurrentDictionary<IPAddress, SemaphoreSlim> perServer = new();
    private readonly ConcurrentDictionary<QueryKey, Lazy<Task<QueryEvidence>>> queries = new();
    private readonly ConcurrentDictionary<IPAddress, bool> answered = new();
    private int sent;
    private int reserved;

    public QueryGate(DnsTransport transport, LiveOptions options)
    {
        this.transport = transport;
        this.options = options;
        global = new SemaphoreSlim(options.Concurrency);
    }

    /// <summary>Queries and transfers sent through the gate.</summary>
    public int Sent => Volatile.Read(ref sent);

    public DnsTransport Transport => transport;

    public QueryOptions Options(bool tcp, bool dnssec, bool recursion) => new()
    {
        Timeout = options.Timeout,
        Retries = options.Retries,
        TcpOnly = tcp,
        DnssecOk = dnssec,
        RecursionDesired = recursion,
        TransferTimeout = options.WorstQueryTime,
        MaxTransferRecords = AxfrRecordLimit,
    };

    /// <summary>Takes one query from the run's budget; false when it is spent.</summary>
    public bool TryReserve() => Interlocked.Increment(ref reserved) <= options.MaxQueriesPerRun;

    /// <summary>One query, asked once per run whoever needs it.</summary>
    public Task<QueryEvidence> QueryAsync(QueryKey key, CancellationToken runToken) =>
        queries.GetOrAdd(key, k => new Lazy<Task<QueryEvidence>>(() => SendAsync(k, runToken))).Value;

    /// <summary>
    /// Asks <paramref name="key"/> again, past the run's shared answer, when that answer was silence
    /// (<see cref="IsSilent"/>); an answer now replaces the silence for whoever asks next.
    /// </summary>
    public async Task<QueryEvidence> ReaskAsync(QueryKey key, CancellationToken runToken)
    {
        var again = await SendAsync(key, runToken).ConfigureAwait(false);
        if (!IsSilent(again))
        {
            queries[key] = new Lazy<Task<QueryEvidence>>(Task.FromResult(again));
        }

        return again;
    }

    /// <summary>Whether <paramref name="server"/> has responded to any query of this run (<see cref="Responded"/>).</summary>
    public bool HasAnswered(IPAddress server) => answered.ContainsKey(server);

    /// <summary>
    /// The host at the address said something: an answer, a refused connection (ICMP port
    /// unreachable, a TCP reset) or a malformed or truncated response. Silence there is more
    /// likely lost datagrams than a host that is not there.
    /// </summary>
    public static bool Responded(QueryEvidence evidence) =>
        evidence.Result is QueryResult.Answer or QueryResult.ConnectionRefused or QueryResult.Malformed or QueryResult.Truncated;

    /// <summary>
    /// No response at all (every attempt timed out or failed on the network): what a lost datagram
    /// looks like, as opposed to an answer, a refused connection or a malformed response.
    /// </summary>
    public static bool IsSilent(QueryEvidence evidence) => evidence.Result is QueryResult.Timeout or QueryResult.NetworkError;

    /// <summary>
    /// Questions to one server over TCP, each asked once per run as <see cref="QueryAsync"/> does;
    /// those not asked yet go together on one connection (RFC 7766 §6.2.1.1) and take one slot.
    /// </summary>
    public IReadOnlyList<Task<QueryEvidence>> QueryTogether(IReadOnlyList<QueryKey> keys, CancellationToken runToken)
    {
        // Another caller may start one of these questions before all are registered: the
        // connection then carries those registered so far, and a later one goes alone.
        var mine = new List<QueryKey>();
        var together = new Lazy<Task<QueryEvidence[]>>(() =>
        {
            lock (mine)
            {
                return SendTogetherAsync([.. mine], runToken);
            }
        });
        var lazies = new List<Lazy<Task<QueryEvidence>>>();
        foreach (var key in keys)
        {
            lock (mine)
            {
                var position = mine.Count;
                var candidate = new Lazy<Task<QueryEvidence>>(async () =>
                {
                    var answers = await together.Value.ConfigureAwait(false);
                    return position < answers.Length ? answers[position] : await SendAsync(key, runToken).ConfigureAwait(false);
                });
                var actual = queries.GetOrAdd(key, candidate);
                if (ReferenceEquals(actual, candidate))
                {
                    mine.Add(key);
                }

                lazies.Add(actual);
            }
        }

        return [.. lazies.Select(l => l.Value)];
    }

    /// <summary>Runs <paramref name="send"/> once a global slot and a slot at <paramref name="server"/> are free; it sends <paramref name="count"/> queries.</summary>
    public async Task<T> Gated<T>(IPAddress server, Func<Task<T>> send, CancellationToken runToken, int count = 1)
    {
        var gate = perServer.GetOrAdd(server, _ => new SemaphoreSlim(options.PerServerConcurrency));
        await global.WaitAsync(runToken).ConfigureAwait(false);
        try
        {
            await gate.WaitAsync(runToken).ConfigureAwait(false);
            try
            {
                Interlocked.Add(ref sent, count);
                return await send().ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }
        finally
        {
            global.Release();
        }
    }

    private static QueryOptions Probe(QueryOptions options, EdnsProbe probe) => probe switch
    {
        EdnsProbe.Version1 => options with { EdnsVersion = 1 },
        EdnsProbe.UnknownOption => options with { EdnsOptionCode = ServerEvidence.UnknownEdnsOptionCode },
        EdnsProbe.UnknownFlag => options with { EdnsFlags = ServerEvidence.UnknownEdnsFlag },
        EdnsProbe.Small => options with { UdpPayloadSize = 512, KeepTruncated = true },
        EdnsProbe.Version1WithOption => options with { EdnsVersion = 1, EdnsOptionCode = ServerEvidence.UnknownEdnsOptionCode },
        _ => options,
    };

    private async Task<QueryEvidence[]> SendTogetherAsync(List<QueryKey> keys, CancellationToken runToken)
    {
        var first = keys[0];
        if (keys.Any(k => !k.Server.Equals(first.Server) || !k.Tcp || k.Dnssec != first.Dnssec || k.Recursion != first.Recursion || k.Probe != EdnsProbe.None))
        {
            throw new ArgumentException("questions asked together go over TCP to one server with the same options", nameof(keys));
        }

        var outcomes = await Gated(first.Server, () => transport.QueryTcpTogetherAsync(
            new IPEndPoint(first.Server, 53), [.. keys.Select(k => new DnsQuestion(k.Name, k.Type))], Options(tcp: true, first.Dnssec, first.Recursion), runToken), runToken, keys.Count).ConfigureAwait(false);
        QueryEvidence[] evidence = [.. outcomes.Select((outcome, i) => EvidenceMapping.ToEvidence(outcome, keys[i]))];
        if (evidence.Any(Responded))
        {
            answered.TryAdd(first.Server, true);
        }

        return evidence;
    }

    private async Task<QueryEvidence> SendAsync(QueryKey key, CancellationToken runToken)
    {
        var outcome = await Gated(key.Server, () => transport.QueryAsync(
            new IPEndPoint(key.Server, 53), key.Name, key.Type, Probe(Options(key.Tcp, key.Dnssec, key.Recursion), key.Probe), runToken), runToken).ConfigureAwait(false);
        var evidence = EvidenceMapping.ToEvidence(outcome, key);
        if (Responded(evidence))
        {
            answered.TryAdd(key.Server, true);
        }

        return evidence;
    }
}
