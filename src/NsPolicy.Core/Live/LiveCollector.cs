// Gathers live evidence for zones (DESIGN.md "Data flow"): the parent's servers and their
// referrals, every nameserver named by the parent, the child or the policy, and the configured
// resolvers. This file is the orchestration; the parts live beside it: ParentDiscovery (the
// parent and its referrals), NameResolution, ServerProbe (what each address is asked),
// ZoneTransfers (AXFR), QueryGate (sharing and bounds), EvidenceMapping, ZoneRun (deadlines).
// Nothing here judges; every failure is recorded as evidence.
using System.Net;
using System.Net.Sockets;
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Policy;
using NsPolicy.Dns;
using NsPolicy.Dns.Resolution;
using NsPolicy.Dns.Transport;

namespace NsPolicy.Core.Live;

/// <summary>
/// Collects <see cref="DelegationEvidence"/> for many zones at once. Queries are bounded globally
/// and per server address, identical questions are asked once per run (a provider's nameservers
/// shared by many zones are resolved once, a parent's servers are found once), and each zone has a
/// deadline after which what is missing is recorded as not asked.
/// </summary>
public sealed class LiveCollector
{
    private readonly LiveOptions options;
    private readonly TimeProvider time;
    private readonly bool useIPv6;

    public LiveCollector(DnsTransport transport, LiveOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PerServerConcurrency, 1);
        this.options = options;
        this.time = time;
        IPv6 = Decide(transport, options);
        useIPv6 = IPv6 == IPv6Use.Asked;
        var resolver = new IterativeResolver(transport, options.Hints, new ResolverOptions
        {
            Query = new QueryOptions { Timeout = options.Timeout, Retries = options.Retries },
            MaxConcurrency = options.Concurrency,
            MaxConcurrencyPerServer = options.PerServerConcurrency,
            UseIPv6 = useIPv6,
        }, time);
        Gate = new QueryGate(transport, options);
        Names = new NameResolution(resolver);
        Parents = new ParentDiscovery(resolver, Names, options.Hints);
        Transfers = new ZoneTransfers(Gate);
    }

    /// <summary>Queries this collector sent itself (not counting the resolver's, nor answers shared between zones).</summary>
    public int QueriesSent => Gate.Sent;

    /// <summary>Whether this run asks IPv6 addresses, decided once (for auto: can this host reach the first IPv6 root server of the hints).</summary>
    public IPv6Use IPv6 { get; }

    internal LiveOptions Options => options;

    internal QueryGate Gate { get; }

    internal NameResolution Names { get; }

    internal ParentDiscovery Parents { get; }

    internal ZoneTransfers Transfers { get; }

    public async Task<DelegationEvidence> CollectAsync(IReadOnlyList<ZonePolicy> zones, IProgress<LiveProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(zones);
        var collectedAt = time.GetUtcNow();
        var distinct = zones.DistinctBy(z => z.Zone).ToList();
        var results = new ZoneEvidence[distinct.Count];
        var done = 0;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, distinct.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                results[i] = await CollectZoneAsync(distinct[i], ct).ConfigureAwait(false);
                progress?.Report(new LiveProgress(Interlocked.Increment(ref done), distinct.Count));
            }).ConfigureAwait(false);

        return new DelegationEvidence
        {
            Target = options.Target,
            IPv6 = IPv6,
            CollectedAt = collectedAt,
            Zones = [.. results.OrderBy(z => z.Zone)],
        };
    }

    /// <summary>
    /// Only the parents' side, as <c>nspolicy init</c> records it: each zone's parent is found and
    /// every address of every parent server is asked for the delegation (IPv4 addresses only unless
    /// <see cref="LiveOptions.IPv6"/> says so, as for nameservers). No nameserver, resolver or
    /// transfer query is sent, so the zones' <see cref="ZoneEvidence.Nameservers"/> are empty.
    /// </summary>
    public async Task<DelegationEvidence> CollectReferralsAsync(IReadOnlyList<DnsName> zones, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(zones);
        var collectedAt = time.GetUtcNow();
        var distinct = zones.Distinct().ToList();
        var results = new ZoneEvidence[distinct.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, distinct.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                using var deadline = new CancellationTokenSource(options.EffectiveZoneDeadline, time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
                var zone = new ZoneRun(this, distinct[i], linked.Token, ct);
                var parent = await ParentDiscovery.ReferralsAsync(zone, ipv4Only: !useIPv6).ConfigureAwait(false);
                results[i] = new ZoneEvidence { Zone = distinct[i], Parent = parent, Nameservers = [], DeadlineExceeded = zone.DeadlineExceeded, QueryBudgetExceeded = zone.BudgetExceeded };
            }).ConfigureAwait(false);

        return new DelegationEvidence
        {
            Target = EvidenceTarget.Parent,
            CollectedAt = collectedAt,
            Zones = [.. results.OrderBy(z => z.Zone)],
        };
    }

    private async Task<ZoneEvidence> CollectZoneAsync(ZonePolicy policy, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(options.EffectiveZoneDeadline, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var zone = new ZoneRun(this, policy.Zone, linked.Token, cancellationToken);

        var parent = options.Target == EvidenceTarget.Parent
            ? await ParentDiscovery.ReferralsAsync(zone, ipv4Only: !useIPv6).ConfigureAwait(false)
            : new ParentEvidence();

        // Names and glue the delegation states: the parent's referrals, or the policy.
        var sources = new Dictionary<DnsName, HashSet<NameSource>>();
        var glue = new Dictionary<DnsName, HashSet<(IPAddress, AddressSource)>>();
        void AddName(DnsName name, NameSource source)
        {
            if (!sources.TryGetValue(name, out var set))
            {
                sources[name] = set = [];
            }

            set.Add(source);
        }

        void AddGlue(DnsName name, IPAddress address, AddressSource source)
        {
            if (!glue.TryGetValue(name, out var set))
            {
                glue[name] = set = [];
            }

            set.Add((address, source));
        }

        // Only glue inside the parent's authority, for a name the referrals delegate to, is asked;
        // any other address in a referral is kept in the evidence and judged, never asked.
        foreach (var name in parent.Nameservers)
        {
            AddName(name, NameSource.Parent);
        }

        foreach (var (name, addresses) in parent.UsableGlue)
        {
            foreach (var address in addresses)
            {
                AddGlue(name, address, AddressSource.Glue);
            }
        }

        foreach (var ns in policy.Nameservers)
        {
            AddName(ns.Name, NameSource.Policy);
        }

        if (options.Target == EvidenceTarget.Policy)
        {
            foreach (var entry in policy.Glue)
            {
                foreach (var address in entry.Addresses)
                {
                    AddGlue(entry.Nameserver, address.Value, AddressSource.PolicyGlue);
                }
            }
        }

        // At most MaxNameserversPerZone names are asked: the policy's first, then the parent's, then the child's.
        var notAsked = new SortedSet<DnsName>();
        List<DnsName> Bounded(IEnumerable<DnsName> wanted, int room)
        {
            var ordered = wanted.OrderBy(n => sources[n].Min(Priority)).ThenBy(n => n).ToList();
            foreach (var name in ordered.Skip(Math.Max(room, 0)))
            {
                notAsked.Add(name);
            }

            return [.. ordered.Take(Math.Max(room, 0))];
        }

        var nameservers = new Dictionary<DnsName, NameserverEvidence>();
        await GatherNamesAsync(zone, Bounded(sources.Keys, options.MaxNameserversPerZone), glue, nameservers).ConfigureAwait(false);

        // The child's own apex NS set may name servers nobody else mentioned: ask them too.
        foreach (var name in DelegationFacts.ChildNs(nameservers.Values))
        {
            AddName(name, NameSource.Child);
        }

        var more = Bounded(sources.Keys.Where(n => !nameservers.ContainsKey(n) && !notAsked.Contains(n)), options.MaxNameserversPerZone - nameservers.Count);
        await GatherNamesAsync(zone, more, glue, nameservers).ConfigureAwait(false);

        var resolvers = await Task.WhenAll(options.Resolvers.Distinct().Select(async address =>
        {
            QueryKey[] keys =
            [
                new(address, policy.Zone, RecordType.NS, Tcp: false, Dnssec: true, Recursion: true),
                new(address, policy.Zone, RecordType.DS, Tcp: false, Dnssec: true, Recursion: true),
            ];
            var answers = await Task.WhenAll(keys.Select(zone.QueryAsync)).ConfigureAwait(false);

            // As for nameservers: silence from a resolver that answers other queries is loss until asked again.
            await zone.ReaskSilentAsync(keys, answers).ConfigureAwait(false);
            return new ResolverEvidence { Address = address, Ns = answers[0], Ds = answers[1] };
        })).ConfigureAwait(false);

        return new ZoneEvidence
        {
            Zone = policy.Zone,
            Parent = parent,
            Nameservers = [.. nameservers.Values.Select(n => n with { Sources = [.. sources[n.Name].Order()] }).OrderBy(n => n.Name)],
            Resolvers = [.. resolvers.OrderBy(r => r.Address, AddressOrder.Instance)],
            DeadlineExceeded = zone.DeadlineExceeded,
            NameserversNotAsked = notAsked.Count == 0 ? null : [.. notAsked.Where(n => !nameservers.ContainsKey(n))],
            QueryBudgetExceeded = zone.BudgetExceeded,
        };
    }

    private async Task GatherNamesAsync(ZoneRun zone, IReadOnlyList<DnsName> wanted, Dictionary<DnsName, HashSet<(IPAddress Address, AddressSource Source)>> glue, Dictionary<DnsName, NameserverEvidence> into)
    {
        var gathered = await Task.WhenAll(wanted.Select(async name =>
        {
            var resolution = await zone.ResolveAsync(name).ConfigureAwait(false);
            var addresses = new Dictionary<IPAddress, SortedSet<AddressSource>>();
            foreach (var (address, source) in glue.GetValueOrDefault(name) ?? [])
            {
                Add(addresses, address, source);
            }

            foreach (var address in resolution.Addresses)
            {
                Add(addresses, address, AddressSource.Resolution);
            }

            var servers = await Task.WhenAll(addresses
                .Where(a => useIPv6 || a.Key.AddressFamily == AddressFamily.InterNetwork)
                .OrderBy(a => a.Key, AddressOrder.Instance)
                .Select(a => ServerProbe.ProbeAsync(zone, a.Key, [.. a.Value]))).ConfigureAwait(false);
            return new NameserverEvidence { Name = name, Sources = [], Resolution = resolution, Servers = servers };
        })).ConfigureAwait(false);

        foreach (var evidence in gathered)
        {
            into[evidence.Name] = evidence;
        }

        static void Add(Dictionary<IPAddress, SortedSet<AddressSource>> addresses, IPAddress address, AddressSource source)
        {
            if (!addresses.TryGetValue(address, out var set))
            {
                addresses[address] = set = [];
            }

            set.Add(source);
        }
    }

    private static int Priority(NameSource source) => source switch
    {
        NameSource.Policy => 0,
        NameSource.Parent => 1,
        _ => 2,
    };

    private static IPv6Use Decide(DnsTransport transport, LiveOptions options) => options.IPv6 switch
    {
        IPv6Mode.On => IPv6Use.Asked,
        IPv6Mode.Off => IPv6Use.Off,
        _ => options.Hints.Servers.SelectMany(s => s.Addresses).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetworkV6) is { } first
            ? transport.CanReach(first) ? IPv6Use.Asked : IPv6Use.Unavailable
            : IPv6Use.Off,
    };
}
