using System.Net;
using NsPolicy.Dns.Records;
using NsPolicy.Dns.Resolution;
using NsPolicy.Dns.Tests.Support;
using NsPolicy.Dns.Tests.Transport;
using NsPolicy.Dns.Transport;

namespace NsPolicy.Dns.Tests.Resolution;

/// <summary>
/// The resolver's cache on a fake network and a manual clock: TTLs (RFC 1035, RFC 2181 §8),
/// negative caching (RFC 2308 §5), failures, keys, and in-flight sharing under cancellation.
/// </summary>
public sealed class ResolverCacheTests
{
    private static readonly IPAddress Root = IPAddress.Parse("127.0.0.1");
    private static readonly IPEndPoint First = new(IPAddress.Parse("127.0.0.1"), 53);
    private static readonly IPEndPoint Second = new(IPAddress.Parse("127.0.0.2"), 53);
    private static readonly RootHints Hints = new([new RootServer(N("a.root.test."), [Root])]);
    private static readonly RecordType Private = new(65432);

    private readonly ManualTimeProvider clock = new();

    private static DnsName N(string name) => DnsName.Parse(name);

    private static ResourceRecord Soa(uint ttl, uint minimum) =>
        new(N("test."), ttl, new SoaRData(N("ns.test."), N("hostmaster.test."), 1, 3600, 900, 604800, minimum));

    /// <summary>An authoritative server for test. that knows a few names; everything else is silence.</summary>
    private static DnsMessage? Answer(DnsMessage q)
    {
        var question = q.Question!;
        var nx = FakeDnsNetwork.Reply(q) with { Header = new DnsHeader { Id = q.Header.Id, IsResponse = true, IsAuthoritative = true, HeaderRcode = (byte)DnsResponseCode.NXDomain } };
        return question.Name.ToString() switch
        {
            "www.test." => FakeDnsNetwork.Reply(q, new ResourceRecord(question.Name, 300, new ARData(IPAddress.Parse("127.0.0.80")))),
            "two.test." => FakeDnsNetwork.Reply(q, new ResourceRecord(question.Name, 900, new ARData(IPAddress.Parse("127.0.0.81"))))
                with { Authority = [new ResourceRecord(N("test."), 120, new NsRData(N("ns.test.")))] },
            "week.test." => FakeDnsNetwork.Reply(q, new ResourceRecord(question.Name, 604800, new ARData(IPAddress.Parse("127.0.0.82")))),
            "high.test." => FakeDnsNetwork.Reply(q, new ResourceRecord(question.Name, 0x8000_0000, new ARData(IPAddress.Parse("127.0.0.83")))),
            "nx.test." => nx with { Authority = [Soa(3600, 60)] },
            "long-nx.test." => nx with { Authority = [Soa(86400, 86400)] },
            "nodata.test." => FakeDnsNetwork.Reply(q) with { Authority = [Soa(30, 600)] },
            "bare-nx.test." => nx,
            "servfail.test." => FakeDnsNetwork.Reply(q) with { Header = new DnsHeader { Id = q.Header.Id, IsResponse = true, HeaderRcode = (byte)DnsResponseCode.ServFail } },
            "any.test." when question.Type == RecordType.TXT => FakeDnsNetwork.Reply(q, new ResourceRecord(question.Name, 300, new TxtRData("hello"))),
            "any.test." when question.Type == RecordType.A => FakeDnsNetwork.Reply(q, new ResourceRecord(question.Name, 300, new ARData(IPAddress.Parse("127.0.0.84")))),
            "any.test." => FakeDnsNetwork.Reply(q, new ResourceRecord(question.Name, 300, new UnknownRData(question.Type, [1, 2, 3]))),
            _ => null,
        };
    }

    private static FakeDnsNetwork Network(Task? hold = null) => new()
    {
        Udp = (q, server) => Answer(q) is { } reply ? [FakeDnsNetwork.From(server, reply)] : [],
        HoldReplies = hold,
    };

    private IterativeResolver Resolver(FakeDnsNetwork network, ResolverOptions? options = null) =>
        new(new DnsTransport(network, NetworkGuard.Loopback, TimeProvider.System), Hints, options ?? ResolverOptions.Default, clock);

    private async Task<int> SendsAfterResolving(IterativeResolver resolver, FakeDnsNetwork network, string name)
    {
        await resolver.ResolveAsync(N(name), RecordType.A, CancellationToken.None);
        return network.UdpSendCount;
    }

    [Fact]
    public async Task Keeps_a_positive_answer_for_its_ttl_and_asks_again_after_it()
    {
        var network = Network();
        var resolver = Resolver(network);

        var first = await resolver.ResolveAsync(N("www.test."), RecordType.A, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(299));
        var cached = await SendsAfterResolving(resolver, network, "www.test.");
        clock.Advance(TimeSpan.FromSeconds(1));
        var expired = await SendsAfterResolving(resolver, network, "www.test.");

        Assert.Equal(ResolutionStatus.Answer, first.Status);
        Assert.Equal(1, cached);
        Assert.Equal(2, expired);
    }

    [Fact]
    public async Task Keeps_a_response_for_the_smallest_ttl_of_any_of_its_records()
    {
        var network = Network();
        var resolver = Resolver(network);

        await resolver.ResolveAsync(N("two.test."), RecordType.A, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(119));
        var cached = await SendsAfterResolving(resolver, network, "two.test.");
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, cached);
        Assert.Equal(2, await SendsAfterResolving(resolver, network, "two.test."));
    }

    [Fact]
    public async Task Caps_a_positive_ttl_at_the_configured_maximum()
    {
        var network = Network();
        var resolver = Resolver(network, ResolverOptions.Default with { MaxCacheTime = TimeSpan.FromHours(1) });

        await resolver.ResolveAsync(N("week.test."), RecordType.A, CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(59));
        var cached = await SendsAfterResolving(resolver, network, "week.test.");
        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(1, cached);
        Assert.Equal(2, await SendsAfterResolving(resolver, network, "week.test."));
    }

    [Fact]
    public async Task Treats_a_ttl_with_the_top_bit_set_as_zero_and_does_not_keep_it()
    {
        var network = Network();
        var resolver = Resolver(network);

        await resolver.ResolveAsync(N("high.test."), RecordType.A, CancellationToken.None);

        Assert.Equal(2, await SendsAfterResolving(resolver, network, "high.test."));
    }

    [Fact]
    public async Task Keeps_nxdomain_for_the_smaller_of_the_soa_ttl_and_its_minimum()
    {
        var network = Network();
        var resolver = Resolver(network);

        var first = await resolver.ResolveAsync(N("nx.test."), RecordType.A, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(59));
        var cached = await SendsAfterResolving(resolver, network, "nx.test.");
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(ResolutionStatus.NXDomain, first.Status);
        Assert.Equal(1, cached);
        Assert.Equal(2, await SendsAfterResolving(resolver, network, "nx.test."));
    }

    [Fact]
    public async Task Keeps_nodata_for_the_soa_ttl_when_it_is_below_the_minimum()
    {
        var network = Network();
        var resolver = Resolver(network);

        var first = await resolver.ResolveAsync(N("nodata.test."), RecordType.A, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(29));
        var cached = await SendsAfterResolving(resolver, network, "nodata.test.");
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(ResolutionStatus.NoData, first.Status);
        Assert.Equal(1, cached);
        Assert.Equal(2, await SendsAfterResolving(resolver, network, "nodata.test."));
    }

    [Fact]
    public async Task Bounds_negative_caching_at_three_hours_by_default()
    {
        var network = Network();
        var resolver = Resolver(network);

        await resolver.ResolveAsync(N("long-nx.test."), RecordType.A, CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(3) - TimeSpan.FromSeconds(1));
        var cached = await SendsAfterResolving(resolver, network, "long-nx.test.");
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromHours(3), ResolverOptions.Default.MaxNegativeCacheTime);
        Assert.Equal(1, cached);
        Assert.Equal(2, await SendsAfterResolving(resolver, network, "long-nx.test."));
    }

    [Fact]
    public async Task Does_not_keep_a_negative_answer_without_an_soa()
    {
        var network = Network();
        var resolver = Resolver(network);

        var first = await resolver.ResolveAsync(N("bare-nx.test."), RecordType.A, CancellationToken.None);

        Assert.Equal(ResolutionStatus.NXDomain, first.Status);
        Assert.Equal(2, await SendsAfterResolving(resolver, network, "bare-nx.test."));
    }

    [Fact]
    public async Task Keeps_a_failure_for_the_failure_time_only()
    {
        var network = Network();
        var resolver = Resolver(network, ResolverOptions.Default with { FailureCacheTime = TimeSpan.FromSeconds(10) });

        var first = await resolver.ResolveAsync(N("servfail.test."), RecordType.A, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(9));
        var cached = await SendsAfterResolving(resolver, network, "servfail.test.");
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(ResolutionStatus.Failed, first.Status);
        Assert.Equal(DnsResponseCode.ServFail, Assert.Single(first.Steps).Outcome.Response!.ResponseCode);
        Assert.Equal(1, cached);
        Assert.Equal(2, await SendsAfterResolving(resolver, network, "servfail.test."));
    }

    [Fact]
    public async Task Does_not_keep_a_timeout_so_the_next_caller_asks_again()
    {
        var network = Network();
        var options = ResolverOptions.Default with { Query = new QueryOptions { Timeout = TimeSpan.FromMilliseconds(50), Retries = 0 } };
        var resolver = Resolver(network, options);

        var first = await resolver.ResolveAsync(N("silent.test."), RecordType.A, CancellationToken.None);

        Assert.Equal(ResolutionStatus.Failed, first.Status);
        Assert.Equal(QueryStatus.Timeout, Assert.Single(first.Steps).Outcome.Status);
        Assert.Equal(2, await SendsAfterResolving(resolver, network, "silent.test."));
    }

    [Fact]
    public async Task Keys_the_cache_by_server_name_and_type_for_any_type()
    {
        var network = Network();
        var resolver = Resolver(network);
        var questions = new[] { RecordType.A, RecordType.TXT, Private, new RecordType(65433) }
            .Select(t => new DnsQuestion(N("any.test."), t)).ToList();

        foreach (var round in Enumerable.Range(0, 2))
        {
            foreach (var server in new[] { First, Second })
            {
                foreach (var question in questions)
                {
                    var outcome = await resolver.QueryAsync(server, question, CancellationToken.None);
                    Assert.Equal(question.Type, Assert.Single(outcome.Response!.Answers).Type);
                    Assert.Equal(server, outcome.Server);
                }
            }

            Assert.Equal(8, network.UdpSendCount);
        }

        Assert.Equal(8, network.UdpSent.Select(s => (s.Destination, s.Query.Question!.Type)).Distinct().Count());
    }

    [Fact]
    public async Task One_callers_cancellation_does_not_cancel_the_query_it_shares()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var network = Network(release.Task);
        var resolver = Resolver(network);
        using var impatient = new CancellationTokenSource();
        var question = new DnsQuestion(N("www.test."), RecordType.A);

        var first = resolver.QueryAsync(First, question, impatient.Token);
        var second = resolver.QueryAsync(First, question, CancellationToken.None);
        await WaitUntil(() => network.UdpSendCount == 1);
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        release.SetResult();
        var outcome = await second;

        Assert.Equal(QueryStatus.Answer, outcome.Status);
        Assert.Equal(1, network.UdpSendCount);
    }

    [Fact]
    public async Task A_query_that_every_caller_gave_up_is_forgotten_and_the_next_caller_asks_again()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var network = Network(release.Task);
        var resolver = Resolver(network);
        using var impatient = new CancellationTokenSource();
        var question = new DnsQuestion(N("www.test."), RecordType.A);

        var abandoned = resolver.QueryAsync(First, question, impatient.Token);
        await WaitUntil(() => network.UdpSendCount == 1);
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        release.SetResult();
        var outcome = await resolver.QueryAsync(First, question, CancellationToken.None);

        Assert.Equal(QueryStatus.Answer, outcome.Status);
        Assert.Equal(2, network.UdpSendCount);
    }

    [Fact]
    public void Cache_times_follow_rfc_2308_for_negative_answers_the_failure_time_for_errors_and_keep_no_silence()
    {
        var question = new DnsQuestion(N("x.test."), RecordType.A);
        var query = DnsMessage.CreateQuery(1, question.Name, question.Type, false, false);
        QueryOutcome Outcome(DnsMessage? response, QueryStatus status = QueryStatus.Answer) =>
            new() { Server = First, Question = question, Status = status, Response = response };
        DnsMessage WithRcode(DnsResponseCode code, params ResourceRecord[] authority) =>
            FakeDnsNetwork.Reply(query) with { Header = new DnsHeader { Id = 1, IsResponse = true, HeaderRcode = (byte)code }, Authority = [.. authority] };
        var options = ResolverOptions.Default;

        Assert.Equal(TimeSpan.FromSeconds(60), ResolverQueries.CacheTime(Outcome(WithRcode(DnsResponseCode.NXDomain, Soa(3600, 60))), options));
        Assert.Equal(TimeSpan.FromSeconds(60), ResolverQueries.CacheTime(Outcome(WithRcode(DnsResponseCode.NXDomain, Soa(60, 3600))), options));
        Assert.Equal(TimeSpan.Zero, ResolverQueries.CacheTime(Outcome(WithRcode(DnsResponseCode.NoError)), options));
        Assert.Equal(options.FailureCacheTime, ResolverQueries.CacheTime(Outcome(WithRcode(DnsResponseCode.ServFail)), options));
        Assert.Equal(options.FailureCacheTime, ResolverQueries.CacheTime(Outcome(WithRcode(DnsResponseCode.Refused)), options));
        Assert.Equal(options.FailureCacheTime, ResolverQueries.CacheTime(Outcome(null, QueryStatus.ConnectionRefused), options));
        Assert.Equal(TimeSpan.Zero, ResolverQueries.CacheTime(Outcome(null, QueryStatus.Timeout), options));
        Assert.Equal(TimeSpan.Zero, ResolverQueries.CacheTime(Outcome(null, QueryStatus.NetworkError), options));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; !condition(); i++)
        {
            Assert.True(i < 5000, "the condition never held");
            await Task.Delay(1);
        }
    }
}
