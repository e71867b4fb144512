using System.Net;
using NsPolicy.Dns.Records;
using NsPolicy.Dns.Resolution;
using NsPolicy.Dns.Tests.Transport;
using NsPolicy.Dns.Transport;

namespace NsPolicy.Dns.Tests.Resolution;

public sealed class IterativeResolverTests
{
    private static readonly IPAddress Root = IPAddress.Parse("127.0.0.1");
    private static readonly IPAddress Tld = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Elsewhere = IPAddress.Parse("127.0.0.3");
    private static readonly IPAddress Child = IPAddress.Parse("127.0.0.4");
    private static readonly IPAddress BogusGlue = IPAddress.Parse("127.0.0.99");
    private static readonly IPAddress Www = IPAddress.Parse("127.0.0.80");
    private static readonly RootHints Hints = new([new RootServer(N("a.root.test."), [Root])]);

    private static DnsName N(string name) => DnsName.Parse(name);

    private static ResourceRecord Ns(string zone, string target) => new(N(zone), 3600, new NsRData(N(target)));

    private static ResourceRecord A(string owner, IPAddress address) => new(N(owner), 3600, new ARData(address));

    private static ResourceRecord Cname(string owner, string target) => new(N(owner), 3600, new CnameRData(N(target)));

    private static DnsMessage Referral(DnsMessage q, ResourceRecord[] ns, params ResourceRecord[] glue) =>
        FakeDnsNetwork.Reply(q) with { Header = new DnsHeader { Id = q.Header.Id, IsResponse = true }, Authority = [.. ns], Additional = [.. glue] };

    /// <summary>
    /// root → test. (glue a.nic.test) → example.test. delegated to ns1.elsewhere. with out-of-bailiwick
    /// "glue" that must be ignored; elsewhere. is served by 127.0.0.3 and says where ns1.elsewhere. is.
    /// </summary>
    private static FakeDnsNetwork Hierarchy(Func<DnsMessage, DnsMessage?>? child = null) => new()
    {
        Udp = (q, server) =>
        {
            var name = q.Question!.Name;
            DnsMessage reply = server.Address switch
            {
                _ when server.Address.Equals(Root) && name.IsSubdomainOf(N("elsewhere.")) =>
                    Referral(q, [Ns("elsewhere.", "ns.elsewhere.")], A("ns.elsewhere.", Elsewhere)),
                _ when server.Address.Equals(Root) => Referral(q, [Ns("test.", "a.nic.test.")], A("a.nic.test.", Tld)),
                _ when server.Address.Equals(Tld) => Referral(q, [Ns("example.test.", "ns1.elsewhere.")], A("ns1.elsewhere.", BogusGlue)),
                _ when server.Address.Equals(Elsewhere) => FakeDnsNetwork.Reply(q, A("ns1.elsewhere.", Child)),
                _ when server.Address.Equals(Child) => child?.Invoke(q) ?? FakeDnsNetwork.Reply(q, A("www.example.test.", Www)),
                _ => throw new InvalidOperationException($"no server at {server}"),
            };
            return [FakeDnsNetwork.From(server, reply)];
        },
    };

    private static IterativeResolver Resolver(FakeDnsNetwork network, RootHints? hints = null) =>
        new(new DnsTransport(network, NetworkGuard.Loopback, TimeProvider.System), hints ?? Hints, ResolverOptions.Default);

    [Fact]
    public async Task Follows_referrals_and_resolves_a_name_server_whose_glue_is_out_of_bailiwick()
    {
        var network = Hierarchy();

        var result = await Resolver(network).ResolveAsync(N("www.example.test."), RecordType.A, CancellationToken.None);

        Assert.Equal(ResolutionStatus.Answer, result.Status);
        Assert.Equal([Www], result.Answers.Select(r => ((ARData)r.Data).Address));
        Assert.DoesNotContain(network.UdpSent, s => s.Destination.Address.Equals(BogusGlue));
        Assert.Equal(
            [Root, Tld, Root, Elsewhere, Child],
            result.Steps.Select(s => s.Server.Address));
    }

    [Fact]
    public async Task Follows_a_cname_chain_to_the_final_records()
    {
        var network = Hierarchy(q => q.Question!.Name == N("alias.example.test.")
            ? FakeDnsNetwork.Reply(q, Cname("alias.example.test.", "www.example.test."))
            : null);

        var result = await Resolver(network).ResolveAsync(N("alias.example.test."), RecordType.A, CancellationToken.None);

        Assert.Equal(ResolutionStatus.Answer, result.Status);
        Assert.Equal([RecordType.CNAME, RecordType.A], result.Answers.Select(r => r.Type));
    }

    [Fact]
    public async Task Detects_a_cname_loop()
    {
        var network = Hierarchy(q => q.Question!.Name == N("a.example.test.")
            ? FakeDnsNetwork.Reply(q, Cname("a.example.test.", "b.example.test."))
            : FakeDnsNetwork.Reply(q, Cname("b.example.test.", "a.example.test.")));

        var result = await Resolver(network).ResolveAsync(N("a.example.test."), RecordType.A, CancellationToken.None);

        Assert.Equal(ResolutionStatus.Loop, result.Status);
        Assert.Equal(2, result.Answers.Length);
    }

    [Fact]
    public async Task Stops_a_long_cname_chain_at_the_bound()
    {
        var network = Hierarchy(q =>
        {
            var label = q.Question!.Name.Labels[0];
            var next = "c" + label + ".example.test.";
            return FakeDnsNetwork.Reply(q, Cname(q.Question.Name.ToString(), next));
        });

        var result = await Resolver(network).ResolveAsync(N("c.example.test."), RecordType.A, CancellationToken.None);

        Assert.Equal(ResolutionStatus.LimitReached, result.Status);
        Assert.Equal(ResolverOptions.Default.MaxCnameChain + 1, result.Answers.Length);
    }

    [Fact]
    public async Task A_hundred_concurrent_identical_lookups_send_one_query_per_step()
    {
        var network = Hierarchy();
        var resolver = Resolver(network);

        var results = await Task.WhenAll(Enumerable.Range(0, 100)
            .Select(_ => Task.Run(() => resolver.ResolveAsync(N("www.example.test."), RecordType.A, CancellationToken.None))));

        Assert.All(results, r => Assert.Equal(ResolutionStatus.Answer, r.Status));
        Assert.Equal(5, network.UdpSendCount);
    }

    [Fact]
    public async Task A_hundred_concurrent_lookups_answered_by_the_root_send_one_query()
    {
        var network = new FakeDnsNetwork { Udp = (q, s) => [FakeDnsNetwork.From(s, FakeDnsNetwork.Reply(q, A("www.test.", Www)))] };
        var resolver = Resolver(network);

        var results = await Task.WhenAll(Enumerable.Range(0, 100)
            .Select(_ => resolver.ResolveAsync(N("www.test."), RecordType.A, CancellationToken.None)));

        Assert.All(results, r => Assert.Equal(ResolutionStatus.Answer, r.Status));
        Assert.Equal(1, network.UdpSendCount);
    }

    [Fact]
    public async Task With_only_loopback_allowed_the_built_in_root_hints_are_never_contacted()
    {
        var network = new FakeDnsNetwork { Udp = (q, s) => [FakeDnsNetwork.From(s, FakeDnsNetwork.Reply(q))] };
        var resolver = new IterativeResolver(
            new DnsTransport(network, NetworkGuard.Loopback, TimeProvider.System), RootHints.Iana, ResolverOptions.Default with { UseIPv6 = true });

        var result = await resolver.ResolveAsync(N("example.com."), RecordType.A, CancellationToken.None);

        Assert.Equal(ResolutionStatus.Failed, result.Status);
        Assert.Equal(26, result.Steps.Length);
        Assert.All(result.Steps, s => Assert.Equal(QueryStatus.Blocked, s.Outcome.Status));
        Assert.Equal(0, network.TotalSent);
    }

    [Fact]
    public async Task Stops_when_the_query_budget_is_spent()
    {
        var network = Hierarchy();
        var resolver = new IterativeResolver(
            new DnsTransport(network, NetworkGuard.Loopback, TimeProvider.System), Hints, ResolverOptions.Default with { MaxQueries = 2 });

        var result = await resolver.ResolveAsync(N("www.example.test."), RecordType.A, CancellationToken.None);

        Assert.Equal(ResolutionStatus.LimitReached, result.Status);
        Assert.Equal(2, network.UdpSendCount);
    }

    [Fact]
    public async Task A_query_lost_at_a_server_that_answered_before_is_asked_again_and_each_ask_is_a_step()
    {
        // Retries 0: each lost datagram ends a query. The TLD server's answer for www is lost twice
        // (the query and the first re-ask); the second re-ask is answered.
        var inner = Hierarchy();
        var losses = 2;
        var network = new FakeDnsNetwork
        {
            Udp = (q, server) => server.Address.Equals(Tld) && q.Question!.Name == N("www.example.test.") && Interlocked.Decrement(ref losses) >= 0
                ? []
                : inner.Udp(q, server),
        };
        var resolver = Lossy(network);
        await resolver.ResolveAsync(N("other.example.test."), RecordType.A, CancellationToken.None);

        var result = await resolver.ResolveAsync(N("www.example.test."), RecordType.A, CancellationToken.None);

        Assert.Equal(ResolutionStatus.Answer, result.Status);
        Assert.Equal([Www], result.Answers.Select(r => ((ARData)r.Data).Address));
        Assert.Equal(
            [QueryStatus.Timeout, QueryStatus.Timeout, QueryStatus.Answer],
            result.Steps.Where(s => s.Server.Address.Equals(Tld)).Select(s => s.Outcome.Status));
        Assert.Equal(3, network.UdpSent.Count(s => s.Destination.Address.Equals(Tld) && s.Query.Question!.Name == N("www.example.test.")));
    }

    [Fact]
    public async Task A_query_lost_three_times_at_a_server_that_answered_before_fails_after_two_re_asks()
    {
        var inner = Hierarchy();
        var network = new FakeDnsNetwork
        {
            Udp = (q, server) => server.Address.Equals(Tld) && q.Question!.Name == N("www.example.test.") ? [] : inner.Udp(q, server),
        };
        var resolver = Lossy(network);
        await resolver.ResolveAsync(N("other.example.test."), RecordType.A, CancellationToken.None);

        var result = await resolver.ResolveAsync(N("www.example.test."), RecordType.A, CancellationToken.None);

        Assert.Equal(ResolutionStatus.Failed, result.Status);
        Assert.Equal(
            [QueryStatus.Timeout, QueryStatus.Timeout, QueryStatus.Timeout],
            result.Steps.Where(s => s.Server.Address.Equals(Tld)).Select(s => s.Outcome.Status));
    }

    [Fact]
    public async Task A_server_that_never_answered_is_not_asked_again()
    {
        var inner = Hierarchy();
        var network = new FakeDnsNetwork { Udp = (q, server) => server.Address.Equals(Tld) ? [] : inner.Udp(q, server) };

        var result = await Lossy(network).ResolveAsync(N("www.example.test."), RecordType.A, CancellationToken.None);

        Assert.Equal(ResolutionStatus.Failed, result.Status);
        Assert.Equal([Root, Tld], result.Steps.Select(s => s.Server.Address));
        Assert.Equal(1, network.UdpSent.Count(s => s.Destination.Address.Equals(Tld)));
    }

    /// <summary>No retries inside a query, so that each lost datagram is a silent query. Each loss costs the timeout once; it is long enough that an answered query never runs into it on a busy machine (300 ms was not).</summary>
    private static IterativeResolver Lossy(FakeDnsNetwork network) =>
        new(new DnsTransport(network, NetworkGuard.Loopback, TimeProvider.System), Hints,
            ResolverOptions.Default with { Query = new QueryOptions { Timeout = TimeSpan.FromSeconds(2), Retries = 0 } });
}
