// The resolver's queries: a cache whose lifetimes follow the TTLs (RFC 1035 §3.2.1, RFC 2181 §8)
// and negative caching (RFC 2308 §5), with identical queries in flight shared.
using System.Collections.Concurrent;
using System.Net;
using NsPolicy.Dns.Records;
using NsPolicy.Dns.Transport;

namespace NsPolicy.Dns.Resolution;

/// <summary>
/// The queries of one <see cref="IterativeResolver"/>: one cache keyed by (server, name, type,
/// class, DO), whatever the type, that keeps a response as long as its TTLs allow (see
/// <see cref="CacheTime"/>); identical queries in flight at the same time share one query, which
/// one caller's cancellation does not end for the others. Concurrency is bounded globally and per
/// server address.
/// </summary>
internal sealed class ResolverQueries(DnsTransport transport, ResolverOptions options, TimeProvider time)
{
    private readonly SemaphoreSlim global = new(options.MaxConcurrency);
    private readonly ConcurrentDictionary<IPAddress, SemaphoreSlim> perServer = new();
    private readonly ConcurrentDictionary<CacheKey, CacheEntry> cache = new();
    private readonly ConcurrentDictionary<IPAddress, bool> answered = new();

    /// <summary>Whether <paramref name="server"/> has responded to this resolver at all (an answer, a refused connection, a malformed response).</summary>
    public bool HasAnswered(IPAddress server) => answered.ContainsKey(server);

    /// <summary>One non-recursive query, answered from the cache, joined to the same query in flight, or sent.</summary>
    public async Task<QueryOutcome> QueryAsync(IPEndPoint server, DnsQuestion question, CancellationToken cancellationToken)
    {
        var key = new CacheKey(server, question.Name, question.Type, question.Class, options.Query.DnssecOk);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (cache.TryGetValue(key, out var entry) && entry.TryJoin(time.GetUtcNow()))
            {
                return await WaitAsync(key, entry, cancellationToken).ConfigureAwait(false);
            }

            var fresh = new CacheEntry();
            if (entry is null ? cache.TryAdd(key, fresh) : cache.TryUpdate(key, fresh, entry))
            {
                _ = RunAsync(server, question, fresh);
                return await WaitAsync(key, fresh, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Sends the shared query; its expiry is set before anyone can see its outcome.</summary>
    private async Task RunAsync(IPEndPoint server, DnsQuestion question, CacheEntry entry)
    {
        try
        {
            var outcome = await SendAsync(server, question, entry.Abandoned).ConfigureAwait(false);
            if (!IsSilent(outcome) && outcome.Status != QueryStatus.Blocked)
            {
                answered.TryAdd(server.Address, true);
            }

            entry.Complete(outcome, time.GetUtcNow() + CacheTime(outcome, options));
        }
        catch (OperationCanceledException)
        {
            entry.Cancel();
        }
        catch (Exception e)
        {
            entry.Fail(e);
        }
    }

    /// <summary>
    /// Waits for a shared query. A caller that gives up leaves; when the last one leaves before the
    /// query ends, the query is cancelled and forgotten, so a later caller starts a new one.
    /// </summary>
    private async Task<QueryOutcome> WaitAsync(CacheKey key, CacheEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            return await entry.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (entry.Leave())
            {
                cache.TryRemove(new KeyValuePair<CacheKey, CacheEntry>(key, entry));
            }

            throw;
        }
    }

    /// <summary>
    /// How long an outcome may be reused. A positive response: its smallest TTL (RFC 1035 §3.2.1,
    /// RFC 2181 §8: a TTL with the top bit set counts as 0), at most <see cref="ResolverOptions.MaxCacheTime"/>.
    /// A negative one (NXDOMAIN, or NOERROR without answers but with the zone's SOA): the smaller of
    /// the SOA's TTL and MINIMUM (RFC 2308 §5), at most <see cref="ResolverOptions.MaxNegativeCacheTime"/>;
    /// without an SOA it is not kept (RFC 2308 §5). Silence (every attempt timed out or failed on the
    /// network) is not kept: on a lossy network it is lost datagrams more often than a dead server,
    /// and the next caller must ask again. Other failures: <see cref="ResolverOptions.FailureCacheTime"/>.
    /// </summary>
    internal static TimeSpan CacheTime(QueryOutcome outcome, ResolverOptions options)
    {
        if (IsSilent(outcome))
        {
            return TimeSpan.Zero;
        }

        if (outcome is not { Status: QueryStatus.Answer, Response: { } response }
            || response.ResponseCode is not (DnsResponseCode.NoError or DnsResponseCode.NXDomain))
        {
            return options.FailureCacheTime;
        }

        var soa = response.Authority.FirstOrDefault(r => r.Data is SoaRData);
        if (response.ResponseCode == DnsResponseCode.NXDomain || (response.Answers.IsEmpty && soa is not null))
        {
            if (soa is null)
            {
                return TimeSpan.Zero;
            }

            var negative = Math.Min(Seconds(soa.Ttl), Seconds(((SoaRData)soa.Data).Minimum));
            return Min(TimeSpan.FromSeconds(negative), options.MaxNegativeCacheTime);
        }

        var ttls = response.Answers.Concat(response.Authority).Concat(response.AdditionalRecords).Select(r => Seconds(r.Ttl)).ToList();
        return ttls.Count == 0 ? TimeSpan.Zero : Min(TimeSpan.FromSeconds(ttls.Min()), options.MaxCacheTime);

        static uint Seconds(uint ttl) => ttl > int.MaxValue ? 0 : ttl;
        static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
    }

    /// <summary>No response at all: every attempt timed out or failed on the network (what lost datagrams look like).</summary>
    internal static bool IsSilent(QueryOutcome outcome) => outcome.Status is QueryStatus.Timeout or QueryStatus.NetworkError;

    private async Task<QueryOutcome> SendAsync(IPEndPoint server, DnsQuestion question, CancellationToken cancellationToken)
    {
        var serverGate = perServer.GetOrAdd(server.Address, _ => new SemaphoreSlim(options.MaxConcurrencyPerServer));
        await global.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await serverGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await transport.QueryAsync(server, question, options.Query, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                serverGate.Release();
            }
        }
        finally
        {
            global.Release();
        }
    }

    private readonly record struct CacheKey(IPEndPoint Server, DnsName Name, RecordType Type, RecordClass Class, bool DnssecOk);

    /// <summary>One query, shared by everyone who asks the same thing while it runs and, once done, until it expires.</summary>
    private sealed class CacheEntry
    {
        private readonly Lock gate = new();
        private readonly CancellationTokenSource abandon = new();
        private readonly TaskCompletionSource<QueryOutcome> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int waiters = 1;
        private bool abandoned;
        private DateTimeOffset expires;

        public Task<QueryOutcome> Task => completion.Task;

        /// <summary>Cancelled when every caller has given up before the query ended.</summary>
        public CancellationToken Abandoned => abandon.Token;

        /// <summary>Joins the running query, or takes the finished one while it has not expired.</summary>
        public bool TryJoin(DateTimeOffset now)
        {
            lock (gate)
            {
                if (abandoned)
                {
                    return false;
                }

                if (Task.IsCompleted)
                {
                    return Task.IsCompletedSuccessfully && now < expires;
                }

                waiters++;
                return true;
            }
        }

        /// <summary>One caller gave up; true when it was the last, so the query is abandoned.</summary>
        public bool Leave()
        {
            lock (gate)
            {
                if (--waiters > 0 || Task.IsCompleted)
                {
                    return false;
                }

                abandoned = true;
            }

            abandon.Cancel();
            return true;
        }

        public void Complete(QueryOutcome outcome, DateTimeOffset expiresAt)
        {
            lock (gate)
            {
                expires = expiresAt;
            }

            completion.TrySetResult(outcome);
        }

        public void Cancel() => completion.TrySetCanceled();

        public void Fail(Exception e) => completion.TrySetException(e);
    }
}
