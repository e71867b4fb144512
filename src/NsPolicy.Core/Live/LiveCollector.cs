// Gathers live evidence for zones (DESIGN.md "Data flow"): the parent's servers and their
// referrals, every nameserver named by the parent, the child or the policy (resolution, apex SOA,
// NS, DNSKEY over UDP and TCP, CDS/CDNSKEY, one AXFR attempt), and the configured resolvers.
// Nothing here judges; every failure is recorded as evidence.
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Policy;
using NsPolicy.Dns;
using NsPolicy.Dns.Records;
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
    private const int AxfrRecordLimit = 1000;

    private readonly DnsTransport transport;
    private readonly LiveOptions options;
    private readonly TimeProvider time;
    private readonly IterativeResolver resolver;
    private readonly SemaphoreSlim global;
    private readonly ConcurrentDictionary<IPAddress, SemaphoreSlim> perServer = new();
    private readonly ConcurrentDictionary<QueryKey, Lazy<Task<QueryEvidence>>> queries = new();
    private readonly ConcurrentDictionary<DnsName, Lazy<Task<NameResolutionEvidence>>> names = new();
    private readonly ConcurrentDictionary<DnsName, Lazy<Task<ParentServers>>> parents = new();
    private readonly ConcurrentDictionary<(IPAddress, DnsName), Lazy<Task<TransferEvidence>>> transfers = new();
    private int sent;

    public LiveCollector(DnsTransport transport, LiveOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PerServerConcurrency, 1);
        this.transport = transport;
        this.options = options;
        this.time = time;
        global = new SemaphoreSlim(options.Concurrency);
        resolver = new IterativeResolver(transport, options.Hints, new ResolverOptions
        {
            Query = QueryOptions(tcp: false, dnssec: false, recursion: false),
            MaxConcurrency = options.Concurrency,
            MaxConcurrencyPerServer = options.PerServerConcurrency,
            UseIPv6 = options.UseIPv6,
        }, time);
    }

    /// <summary>Queries this collector sent itself (not counting the resolver's, nor answers shared between zones).</summary>
    public int QueriesSent => Volatile.Read(ref sent);

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
            CollectedAt = collectedAt,
            Zones = [.. results.OrderBy(z => z.Zone)],
        };
    }

    /// <summary>
    /// Only the parents' side, as <c>nspolicy init</c> records it: each zone's parent is found and
    /// every address of every parent server is asked for the delegation (IPv4 addresses only unless
    /// <see cref="LiveOptions.UseIPv6"/>, as for nameservers). No nameserver, resolver or
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
                var parent = await zone.ParentAsync(ipv4Only: !options.UseIPv6).ConfigureAwait(false);
                results[i] = new ZoneEvidence { Zone = distinct[i], Parent = parent, Nameservers = [], DeadlineExceeded = zone.DeadlinePassed };
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
            ? await zone.ParentAsync().ConfigureAwait(false)
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

        foreach (var server in parent.Servers)
        {
            var referral = server.Referral;
            foreach (var ns in referral.Authority.Concat(referral.Answer).Where(r => r.Owner == policy.Zone).Select(r => r.Data).OfType<NsRData>())
            {
                AddName(ns.Target, NameSource.Parent);
            }

            foreach (var record in referral.Additional)
            {
                if (record.Data is ARData a)
                {
                    AddGlue(record.Owner, a.Address, AddressSource.Glue);
                }
                else if (record.Data is AaaaRData aaaa)
                {
                    AddGlue(record.Owner, aaaa.Address, AddressSource.Glue);
                }
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

        var nameservers = new Dictionary<DnsName, NameserverEvidence>();
        await GatherNamesAsync(zone, sources.Keys.ToList(), glue, nameservers).ConfigureAwait(false);

        // The child's own apex NS set may name servers nobody else mentioned: ask them too.
        foreach (var ns in nameservers.Values.SelectMany(n => n.Servers)
                     .SelectMany(s => new[] { s.NsUdp, s.NsTcp })
                     .Where(q => q.IsAuthoritativeAnswer)
                     .SelectMany(q => q.Answer)
                     .Where(r => r.Owner == policy.Zone)
                     .Select(r => r.Data)
                     .OfType<NsRData>())
        {
            AddName(ns.Target, NameSource.Child);
        }

        await GatherNamesAsync(zone, sources.Keys.Where(n => !nameservers.ContainsKey(n)).ToList(), glue, nameservers).ConfigureAwait(false);

        var resolvers = await Task.WhenAll(options.Resolvers.Distinct().Select(async address => new ResolverEvidence
        {
            Address = address,
            Ns = await zone.QueryAsync(address, policy.Zone, RecordType.NS, tcp: false, dnssec: true, recursion: true).ConfigureAwait(false),
            Ds = await zone.QueryAsync(address, policy.Zone, RecordType.DS, tcp: false, dnssec: true, recursion: true).ConfigureAwait(false),
        })).ConfigureAwait(false);

        return new ZoneEvidence
        {
            Zone = policy.Zone,
            Parent = parent,
            Nameservers = [.. nameservers.Values.Select(n => n with { Sources = [.. sources[n.Name].Order()] }).OrderBy(n => n.Name)],
            Resolvers = [.. resolvers.OrderBy(r => r.Address, AddressOrder.Instance)],
            DeadlineExceeded = zone.DeadlinePassed,
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
                .Where(a => options.UseIPv6 || a.Key.AddressFamily == AddressFamily.InterNetwork)
                .OrderBy(a => a.Key, AddressOrder.Instance)
                .Select(a => zone.ServerAsync(a.Key, [.. a.Value]))).ConfigureAwait(false);
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

    private QueryOptions QueryOptions(bool tcp, bool dnssec, bool recursion) => new()
    {
        Timeout = options.Timeout,
        Retries = options.Retries,
        TcpOnly = tcp,
        DnssecOk = dnssec,
        RecursionDesired = recursion,
        TransferTimeout = options.WorstQueryTime,
        MaxTransferRecords = AxfrRecordLimit,
    };

    /// <summary>One query, asked once per run whoever needs it; bounded globally and per server.</summary>
    private Task<QueryEvidence> QueryAsync(QueryKey key, CancellationToken runToken) =>
        queries.GetOrAdd(key, k => new Lazy<Task<QueryEvidence>>(() => SendAsync(k, runToken))).Value;

    private async Task<QueryEvidence> SendAsync(QueryKey key, CancellationToken runToken)
    {
        var outcome = await Gated(key.Server, () => transport.QueryAsync(
            new IPEndPoint(key.Server, 53), key.Name, key.Type, QueryOptions(key.Tcp, key.Dnssec, key.Recursion), runToken), runToken).ConfigureAwait(false);
        return ToEvidence(outcome, key);
    }

    private async Task<T> Gated<T>(IPAddress server, Func<Task<T>> send, CancellationToken runToken)
    {
        var gate = perServer.GetOrAdd(server, _ => new SemaphoreSlim(options.PerServerConcurrency));
        await global.WaitAsync(runToken).ConfigureAwait(false);
        try
        {
            await gate.WaitAsync(runToken).ConfigureAwait(false);
            try
            {
                Interlocked.Increment(ref sent);
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

    internal static QueryEvidence ToEvidence(QueryOutcome outcome, QueryKey key)
    {
        var evidence = new QueryEvidence
        {
            Name = key.Name,
            Type = key.Type,
            Server = key.Server,
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

    private static QueryEvidence NotAsked(QueryKey key) => new()
    {
        Name = key.Name,
        Type = key.Type,
        Server = key.Server,
        Transport = key.Tcp ? EvidenceTransport.Tcp : EvidenceTransport.Udp,
        Result = QueryResult.NotAsked,
        Error = "not asked: the zone's deadline passed first",
    };

    private Task<NameResolutionEvidence> ResolveNameAsync(DnsName name, CancellationToken runToken) =>
        names.GetOrAdd(name, n => new Lazy<Task<NameResolutionEvidence>>(() => ResolveNameCoreAsync(n, runToken))).Value;

    private async Task<NameResolutionEvidence> ResolveNameCoreAsync(DnsName name, CancellationToken runToken)
    {
        var a = resolver.ResolveAsync(name, RecordType.A, runToken);
        var aaaa = resolver.ResolveAsync(name, RecordType.AAAA, runToken);
        var results = await Task.WhenAll(a, aaaa).ConfigureAwait(false);
        var (v4, v6) = (results[0], results[1]);
        var chain = v4.Answers.Select(r => r.Data).OfType<CnameRData>().Select(c => c.Target).ToList();
        var addresses = results.SelectMany(r => r.Answers)
            .Select(r => r.Data switch { ARData x => x.Address, AaaaRData x => x.Address, _ => null })
            .OfType<IPAddress>()
            .Distinct()
            .OrderBy(x => x, AddressOrder.Instance)
            .ToList();
        if (addresses.Count > 0)
        {
            return new NameResolutionEvidence { Result = ResolutionResult.Addresses, CnameChain = chain, Addresses = addresses };
        }

        if (v4.Status == ResolutionStatus.NXDomain || v6.Status == ResolutionStatus.NXDomain)
        {
            var nx = v4.Status == ResolutionStatus.NXDomain ? v4 : v6;
            var soa = nx.Response?.Authority.FirstOrDefault(r => r.Data is SoaRData);
            return new NameResolutionEvidence { Result = ResolutionResult.NXDomain, CnameChain = chain, NXDomainZone = soa?.Owner };
        }

        if ((v4.Status is ResolutionStatus.Answer or ResolutionStatus.NoData) && (v6.Status is ResolutionStatus.Answer or ResolutionStatus.NoData))
        {
            return new NameResolutionEvidence { Result = ResolutionResult.NoAddresses, CnameChain = chain };
        }

        var failed = v4.Status is ResolutionStatus.Answer or ResolutionStatus.NoData ? v6 : v4;
        return new NameResolutionEvidence
        {
            Result = ResolutionResult.Failed,
            CnameChain = chain,
            Error = failed.Error ?? failed.Status.ToString(),
        };
    }

    /// <summary>The zone that delegates <paramref name="child"/>, and its servers' names and addresses; found once per parent name.</summary>
    private Task<ParentServers> ParentServersAsync(DnsName child, CancellationToken runToken) =>
        parents.GetOrAdd(child.Parent, p => new Lazy<Task<ParentServers>>(() => FindParentAsync(p, runToken))).Value;

    private async Task<ParentServers> FindParentAsync(DnsName above, CancellationToken runToken)
    {
        DnsName parent;
        if (above.IsRoot)
        {
            parent = DnsName.Root;
        }
        else
        {
            var soa = await resolver.ResolveAsync(above, RecordType.SOA, runToken).ConfigureAwait(false);
            var owner = soa.Answers.FirstOrDefault(r => r.Data is SoaRData && r.Owner == above)?.Owner
                ?? soa.Response?.Authority.FirstOrDefault(r => r.Data is SoaRData && above.IsSubdomainOf(r.Owner))?.Owner;
            if (owner is null)
            {
                return new ParentServers(null, string.Create(CultureInfo.InvariantCulture,
                    $"the zone above could not be found: {above} SOA ended {soa.Status}{(soa.Error is null ? string.Empty : ": " + soa.Error)}"), []);
            }

            parent = owner;
        }

        if (parent.IsRoot)
        {
            return new ParentServers(parent, null, [.. options.Hints.Servers.SelectMany(s => s.Addresses.Select(a => (s.Name, a)))]);
        }

        var ns = await resolver.ResolveAsync(parent, RecordType.NS, runToken).ConfigureAwait(false);
        var nsNames = ns.Answers.Where(r => r.Owner == parent).Select(r => r.Data).OfType<NsRData>().Select(n => n.Target).Distinct().ToList();
        if (nsNames.Count == 0)
        {
            return new ParentServers(parent, string.Create(CultureInfo.InvariantCulture,
                $"the NS set of the parent {parent} could not be found: {ns.Status}{(ns.Error is null ? string.Empty : ": " + ns.Error)}"), []);
        }

        var servers = new List<(DnsName, IPAddress)>();
        foreach (var name in nsNames)
        {
            var resolution = await ResolveNameAsync(name, runToken).ConfigureAwait(false);
            servers.AddRange(resolution.Addresses.Select(a => (name, a)));
        }

        return servers.Count == 0
            ? new ParentServers(parent, $"no address was found for any server of the parent {parent} ({string.Join(", ", nsNames)})", [])
            : new ParentServers(parent, null, servers);
    }

    internal readonly record struct QueryKey(IPAddress Server, DnsName Name, RecordType Type, bool Tcp, bool Dnssec, bool Recursion);

    private sealed record ParentServers(DnsName? Zone, string? Error, IReadOnlyList<(DnsName Name, IPAddress Address)> Servers);

    /// <summary>One zone's view of the shared work: waits end at the zone's deadline, the shared work goes on for other zones.</summary>
    private sealed class ZoneRun(LiveCollector collector, DnsName zone, CancellationToken zoneToken, CancellationToken runToken)
    {
        private int deadlinePassed;

        public bool DeadlinePassed => Volatile.Read(ref deadlinePassed) != 0;

        public async Task<T> WaitAsync<T>(Task<T> task, Func<T> fallback)
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

        public Task<QueryEvidence> QueryAsync(IPAddress server, DnsName name, RecordType type, bool tcp, bool dnssec, bool recursion)
        {
            var key = new QueryKey(server, name, type, tcp, dnssec, recursion);
            return WaitAsync(collector.QueryAsync(key, runToken), () => NotAsked(key));
        }

        public Task<NameResolutionEvidence> ResolveAsync(DnsName name) =>
            WaitAsync(collector.ResolveNameAsync(name, runToken), () => new NameResolutionEvidence
            {
                Result = ResolutionResult.NotAsked,
                Error = "not resolved: the zone's deadline passed first",
            });

        /// <param name="ipv4Only">Ask only the parent servers' IPv4 addresses, unless they have none.</param>
        public async Task<ParentEvidence> ParentAsync(bool ipv4Only = false)
        {
            if (zone.IsRoot)
            {
                return new ParentEvidence { Error = "the root zone has no parent" };
            }

            var found = await WaitAsync(collector.ParentServersAsync(zone, runToken),
                () => new ParentServers(null, "the parent was not found before the zone's deadline", [])).ConfigureAwait(false);
            var asked = found.Servers;
            if (ipv4Only && asked.Any(s => s.Address.AddressFamily == AddressFamily.InterNetwork))
            {
                asked = [.. asked.Where(s => s.Address.AddressFamily == AddressFamily.InterNetwork)];
            }

            var referrals = await Task.WhenAll(asked.Select(async s => new ParentServerEvidence
            {
                Name = s.Name,
                Address = s.Address,
                Referral = await QueryAsync(s.Address, zone, RecordType.NS, tcp: false, dnssec: true, recursion: false).ConfigureAwait(false),
            })).ConfigureAwait(false);
            return new ParentEvidence
            {
                Zone = found.Zone,
                Error = found.Error,
                Servers = [.. referrals.OrderBy(r => r.Name).ThenBy(r => r.Address, AddressOrder.Instance)],
            };
        }

        public async Task<ServerEvidence> ServerAsync(IPAddress address, IReadOnlyList<AddressSource> sources)
        {
            var soaUdp = QueryAsync(address, zone, RecordType.SOA, tcp: false, dnssec: false, recursion: false);
            var soaTcp = QueryAsync(address, zone, RecordType.SOA, tcp: true, dnssec: false, recursion: false);
            var nsUdp = QueryAsync(address, zone, RecordType.NS, tcp: false, dnssec: false, recursion: false);
            var nsTcp = QueryAsync(address, zone, RecordType.NS, tcp: true, dnssec: false, recursion: false);
            var dnskey = QueryAsync(address, zone, RecordType.DNSKEY, tcp: false, dnssec: true, recursion: false);
            var cds = QueryAsync(address, zone, RecordType.CDS, tcp: false, dnssec: false, recursion: false);
            var cdnskey = QueryAsync(address, zone, RecordType.CDNSKEY, tcp: false, dnssec: false, recursion: false);
            var axfr = WaitAsync(collector.TransferAsync(address, zone, runToken), () => new TransferEvidence
            {
                Result = TransferResult.NotAsked,
                Error = "not asked: the zone's deadline passed first",
            });
            await Task.WhenAll(soaUdp, soaTcp, nsUdp, nsTcp, dnskey, cds, cdnskey, axfr).ConfigureAwait(false);
            return new ServerEvidence
            {
                Address = address,
                Sources = sources,
                SoaUdp = await soaUdp.ConfigureAwait(false),
                SoaTcp = await soaTcp.ConfigureAwait(false),
                NsUdp = await nsUdp.ConfigureAwait(false),
                NsTcp = await nsTcp.ConfigureAwait(false),
                Dnskey = await dnskey.ConfigureAwait(false),
                Cds = await cds.ConfigureAwait(false),
                Cdnskey = await cdnskey.ConfigureAwait(false),
                Axfr = await axfr.ConfigureAwait(false),
            };
        }
    }

    /// <summary>One AXFR attempt per server address and zone, whoever asks.</summary>
    private Task<TransferEvidence> TransferAsync(IPAddress address, DnsName zone, CancellationToken runToken) =>
        transfers.GetOrAdd((address, zone), k => new Lazy<Task<TransferEvidence>>(() => TransferCoreAsync(k.Item1, k.Item2, runToken))).Value;

    private async Task<TransferEvidence> TransferCoreAsync(IPAddress address, DnsName zone, CancellationToken runToken)
    {
        var outcome = await Gated(address, () => transport.TransferAsync(new IPEndPoint(address, 53), zone, QueryOptions(tcp: true, dnssec: false, recursion: false), runToken), runToken).ConfigureAwait(false);
        return new TransferEvidence
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
}

/// <summary>Orders addresses IPv4 first, then by their octets.</summary>
public sealed class AddressOrder : IComparer<IPAddress>
{
    public static AddressOrder Instance { get; } = new();

    public int Compare(IPAddress? x, IPAddress? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        var family = x.AddressFamily.CompareTo(y.AddressFamily);
        return family != 0 ? family : x.GetAddressBytes().AsSpan().SequenceCompareTo(y.GetAddressBytes());
    }
}
