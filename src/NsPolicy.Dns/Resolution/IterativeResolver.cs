// Iterative resolution from the root (RFC 1034 §5.3.3): ask a server of the closest known zone,
// follow referrals downwards, use glue only when the referring zone is authoritative for the name
// server's name (in-bailiwick, RFC 8499 §7), resolve other name-server names separately, and chase
// CNAMEs (RFC 1034 §3.6.2) with a bound.
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using NsPolicy.Dns.Records;
using NsPolicy.Dns.Transport;

namespace NsPolicy.Dns.Resolution;

/// <summary>
/// Resolves names from root hints. Every query goes through <see cref="ResolverQueries"/>: one
/// cache, in-flight sharing and the concurrency bounds.
/// </summary>
public sealed class IterativeResolver
{
    private readonly RootHints hints;
    private readonly ResolverOptions options;
    private readonly ResolverQueries queries;

    public IterativeResolver(DnsTransport transport, RootHints hints, ResolverOptions options)
        : this(transport, hints, options, TimeProvider.System)
    {
    }

    /// <param name="time">The clock that ages cached responses.</param>
    public IterativeResolver(DnsTransport transport, RootHints hints, ResolverOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(hints);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrencyPerServer, 1);
        this.hints = hints;
        this.options = options with { Query = options.Query with { RecursionDesired = false } };
        queries = new ResolverQueries(transport, this.options, time);
    }

    /// <summary>
    /// One non-recursive query to a chosen server, through the cache, the in-flight sharing and the
    /// concurrency bounds: what a check uses to ask every server of a zone.
    /// </summary>
    public Task<QueryOutcome> QueryAsync(IPEndPoint server, DnsQuestion question, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(question);
        return queries.QueryAsync(server, question, cancellationToken);
    }

    public async Task<Resolution> ResolveAsync(DnsName name, RecordType type, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var run = new Run();
        var result = await ResolveChainAsync(name, type, run, depth: 0, cancellationToken).ConfigureAwait(false);
        return result with { Steps = run.StepsSnapshot() };
    }

    private async Task<Resolution> ResolveChainAsync(DnsName name, RecordType type, Run run, int depth, CancellationToken cancellationToken)
    {
        var question = new DnsQuestion(name, type);
        var chain = ImmutableArray.CreateBuilder<ResourceRecord>();
        var seen = new HashSet<DnsName> { name };
        var current = name;
        while (true)
        {
            var step = await ResolveOnceAsync(current, type, run, depth, cancellationToken).ConfigureAwait(false);
            if (step.Status != ResolutionStatus.Answer || step.Response is not { } response)
            {
                return step with { Question = question, Answers = chain.ToImmutable() };
            }

            var matching = response.Answers.Where(r => r.Owner == current && r.Type == type).ToList();
            if (matching.Count > 0 || type == RecordType.CNAME)
            {
                chain.AddRange(matching);
                return step with { Question = question, Answers = chain.ToImmutable() };
            }

            var cname = response.Answers.FirstOrDefault(r => r.Owner == current && r.Data is CnameRData);
            if (cname is null)
            {
                return step with { Question = question, Status = ResolutionStatus.NoData, Answers = chain.ToImmutable() };
            }

            chain.Add(cname);
            var target = ((CnameRData)cname.Data).Target;
            if (!seen.Add(target))
            {
                return Fail(question, ResolutionStatus.Loop, $"CNAME loop at {target}", response) with { Answers = chain.ToImmutable() };
            }

            if (seen.Count - 1 > options.MaxCnameChain)
            {
                return Fail(question, ResolutionStatus.LimitReached, $"more than {options.MaxCnameChain} CNAMEs", response) with { Answers = chain.ToImmutable() };
            }

            current = target;
        }
    }

    /// <summary>One name and type from the root, following referrals; the answer may be a CNAME.</summary>
    private async Task<Resolution> ResolveOnceAsync(DnsName name, RecordType type, Run run, int depth, CancellationToken cancellationToken)
    {
        var question = new DnsQuestion(name, type);
        var zone = DnsName.Root;
        IReadOnlyList<(DnsName Name, ImmutableArray<IPAddress> Glue)> servers =
            [.. hints.Servers.Select(s => (s.Name, s.Addresses))];
        while (true)
        {
            var (outcome, error) = await AskZoneAsync(zone, servers, question, run, depth, cancellationToken).ConfigureAwait(false);
            if (outcome?.Response is not { } response)
            {
                return Fail(question, error!.Value.Status, error.Value.Text, null);
            }

            if (response.ResponseCode == DnsResponseCode.NXDomain)
            {
                return new Resolution { Question = question, Status = ResolutionStatus.NXDomain, Response = response };
            }

            if (response.Answers.Any(r => r.Owner == name && (r.Type == type || r.Type == RecordType.CNAME)))
            {
                return new Resolution { Question = question, Status = ResolutionStatus.Answer, Response = response };
            }

            var referral = Referral(response, zone, name);
            if (referral is null)
            {
                return new Resolution { Question = question, Status = ResolutionStatus.NoData, Response = response };
            }

            var (child, nsNames) = referral.Value;
            var parent = zone;
            servers = [.. nsNames.Select(ns => (ns, ns.IsSubdomainOf(parent) ? Glue(response, ns) : []))];
            zone = child;
        }
    }

    /// <summary>The delegated zone and its NS names, when the response is a referral closer to <paramref name="name"/>.</summary>
    private static (DnsName Zone, IReadOnlyList<DnsName> Names)? Referral(DnsMessage response, DnsName zone, DnsName name)
    {
        var ns = response.Authority
            .Where(r => r.Data is NsRData && name.IsSubdomainOf(r.Owner) && r.Owner.IsStrictSubdomainOf(zone))
            .ToList();
        if (ns.Count == 0)
        {
            return null;
        }

        var child = ns[0].Owner;
        return (child, ns.Where(r => r.Owner == child).Select(r => ((NsRData)r.Data).Target).Distinct().ToList());
    }

    private ImmutableArray<IPAddress> Glue(DnsMessage response, DnsName nsName) =>
    [
        .. response.AdditionalRecords
            .Where(r => r.Owner == nsName)
            .Select(r => r.Data switch
            {
                ARData a => a.Address,
                AaaaRData aaaa when options.UseIPv6 => aaaa.Address,
                _ => null,
            })
            .OfType<IPAddress>(),
    ];

    /// <summary>
    /// Asks the servers of <paramref name="zone"/> in order until one gives a usable response:
    /// NOERROR or NXDOMAIN that is authoritative or a referral. Servers without glue are looked up
    /// only after the glued ones failed. When none was usable, the queries that got no response at
    /// all, at servers that have answered this resolver before, are asked again, up to
    /// <see cref="ResolverOptions.ReaskRounds"/> times: there silence is more likely lost datagrams
    /// than a dead server. Every query, re-asks included, counts against the budget and is a step.
    /// </summary>
    private async Task<(QueryOutcome? Outcome, (ResolutionStatus Status, string Text)? Error)> AskZoneAsync(
        DnsName zone, IReadOnlyList<(DnsName Name, ImmutableArray<IPAddress> Glue)> servers, DnsQuestion question, Run run, int depth, CancellationToken cancellationToken)
    {
        var tried = new List<QueryStatus>();
        var silent = new List<IPEndPoint>();
        var limit = (ResolutionStatus.LimitReached, string.Create(CultureInfo.InvariantCulture, $"more than {options.MaxQueries} queries"));
        foreach (var withGlue in new[] { true, false })
        {
            foreach (var (nsName, glue) in servers.Where(s => !s.Glue.IsEmpty == withGlue))
            {
                var addresses = glue;
                if (!withGlue)
                {
                    if (depth >= options.MaxNameserverDepth)
                    {
                        continue;
                    }

                    var lookup = await ResolveChainAsync(nsName, RecordType.A, run, depth + 1, cancellationToken).ConfigureAwait(false);
                    if (lookup.Status == ResolutionStatus.LimitReached)
                    {
                        return (null, (ResolutionStatus.LimitReached, lookup.Error ?? "limit reached"));
                    }

                    addresses = [.. lookup.Answers.Select(r => r.Data).OfType<ARData>().Select(a => a.Address)];
                }

                foreach (var address in addresses.Where(a => options.UseIPv6 || a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork))
                {
                    if (!run.TakeQuery(options.MaxQueries))
                    {
                        return (null, limit);
                    }

                    var server = new IPEndPoint(address, 53);
                    var outcome = await AskAsync(zone, server, question, run, depth, tried, cancellationToken).ConfigureAwait(false);
                    if (Usable(outcome, zone, question.Name))
                    {
                        return (outcome, null);
                    }

                    if (ResolverQueries.IsSilent(outcome))
                    {
                        silent.Add(server);
                    }
                }
            }
        }

        for (var round = 0; round < options.ReaskRounds && silent.Count > 0; round++)
        {
            var again = new List<IPEndPoint>();
            foreach (var server in silent.Where(s => queries.HasAnswered(s.Address)))
            {
                if (!run.TakeQuery(options.MaxQueries))
                {
                    return (null, limit);
                }

                var outcome = await AskAsync(zone, server, question, run, depth, tried, cancellationToken).ConfigureAwait(false);
                if (Usable(outcome, zone, question.Name))
                {
                    return (outcome, null);
                }

                if (ResolverQueries.IsSilent(outcome))
                {
                    again.Add(server);
                }
            }

            silent = again;
        }

        return (null, (ResolutionStatus.Failed, string.Create(CultureInfo.InvariantCulture,
            $"no server of {zone} gave a usable answer for {question.Name} {question.Type} ({tried.Count} tried: {Summary(tried)})")));
    }

    private async Task<QueryOutcome> AskAsync(DnsName zone, IPEndPoint server, DnsQuestion question, Run run, int depth, List<QueryStatus> tried, CancellationToken cancellationToken)
    {
        var outcome = await queries.QueryAsync(server, question, cancellationToken).ConfigureAwait(false);
        run.Add(new ResolutionStep(zone, server, question, outcome, depth));
        tried.Add(outcome.Status);
        return outcome;
    }

    private static string Summary(List<QueryStatus> statuses) => statuses.Count == 0
        ? "no name server address was found"
        : string.Join(", ", statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {g.Key}")));

    private static bool Usable(QueryOutcome outcome, DnsName zone, DnsName name)
    {
        if (outcome is not { Status: QueryStatus.Answer, Response: { } r }
            || r.ResponseCode is not (DnsResponseCode.NoError or DnsResponseCode.NXDomain))
        {
            return false;
        }

        return r.Header.IsAuthoritative || Referral(r, zone, name) is not null;
    }

    private static Resolution Fail(DnsQuestion question, ResolutionStatus status, string error, DnsMessage? response) =>
        new() { Question = question, Status = status, Error = error, Response = response };

    /// <summary>The state of one top-level resolution: its query budget and its steps.</summary>
    private sealed class Run
    {
        private readonly List<ResolutionStep> steps = [];
        private int queries;

        public bool TakeQuery(int max) => Interlocked.Increment(ref queries) <= max;

        public void Add(ResolutionStep step)
        {
            lock (steps)
            {
                steps.Add(step);
            }
        }

        public ImmutableArray<ResolutionStep> StepsSnapshot()
        {
            lock (steps)
            {
                return [.. steps];
            }
        }
    }
}
