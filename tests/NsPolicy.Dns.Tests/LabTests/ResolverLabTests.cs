using NsPolicy.Dns.Records;
using NsPolicy.Dns.Resolution;
using NsPolicy.Dns.Tests.Lab;
using NsPolicy.Dns.Transport;

namespace NsPolicy.Dns.Tests.LabTests;

/// <summary>The iterative resolver from the lab's root hints, through the lab's real servers.</summary>
[Collection(DnsLabCollection.Name)]
public sealed class ResolverLabTests(DnsLabFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private DnsLab Lab => fixture.Lab;

    private async Task<IterativeResolver> ResolverAsync()
    {
        var hints = await RootHints.LoadAsync(Lab.RootHintsPath, None);
        var options = ResolverOptions.Default with { Query = new QueryOptions { Timeout = TimeSpan.FromMilliseconds(500), Retries = 0 } };
        return new IterativeResolver(new DnsTransport(NetworkGuard.Loopback), hints, options);
    }

    [Fact]
    public async Task Resolves_www_good_test_from_the_lab_root_hints()
    {
        var resolver = await ResolverAsync();

        var result = await resolver.ResolveAsync(DnsName.Parse("www.good.test."), RecordType.A, None);

        Assert.Equal(ResolutionStatus.Answer, result.Status);
        Assert.Equal([Lab.Addresses.Data(80)], result.Answers.Select(r => ((ARData)r.Data).Address));
        Assert.Equal(Lab.RootServerAddress, result.Steps[0].Server.Address);
        Assert.True(result.Response!.Header.IsAuthoritative);
    }

    [Fact]
    public async Task Follows_the_cname_of_alias_provider_test()
    {
        var resolver = await ResolverAsync();

        var result = await resolver.ResolveAsync(DnsName.Parse("alias.provider.test."), RecordType.A, None);

        Assert.Equal(ResolutionStatus.Answer, result.Status);
        Assert.Equal([RecordType.CNAME, RecordType.A], result.Answers.Select(r => r.Type));
    }

    [Fact]
    public async Task Reports_nxdomain_for_the_gone_provider()
    {
        var resolver = await ResolverAsync();

        var result = await resolver.ResolveAsync(DnsName.Parse("ns1.gone-provider.test."), RecordType.A, None);

        Assert.Equal(ResolutionStatus.NXDomain, result.Status);
    }

    [Fact]
    public async Task Resolves_through_the_big_referral()
    {
        var resolver = await ResolverAsync();

        var result = await resolver.ResolveAsync(DnsName.Parse("big-referral.test."), RecordType.SOA, None);

        Assert.Equal(ResolutionStatus.Answer, result.Status);
        Assert.Equal(RecordType.SOA, Assert.Single(result.Answers).Type);
    }

    [Fact]
    public async Task Asking_each_server_of_port_closed_test_reports_the_closed_one_as_refused_and_keeps_that()
    {
        var resolver = await ResolverAsync();
        var question = new DnsQuestion(DnsName.Parse("port-closed.test."), RecordType.SOA);
        var zone = Lab.Zones["port-closed.test."];
        var closed = new System.Net.IPEndPoint(zone.Glue["ns2.port-closed.test."].Single(), 53);
        var open = new System.Net.IPEndPoint(zone.Glue["ns1.port-closed.test."].Single(), 53);

        var refused = await resolver.QueryAsync(closed, question, None);
        var answered = await resolver.QueryAsync(open, question, None);
        var again = await resolver.QueryAsync(closed, question, None);

        Assert.Equal(QueryStatus.ConnectionRefused, refused.Status);
        Assert.Equal(QueryStatus.Answer, answered.Status);
        Assert.True(answered.Response!.Header.IsAuthoritative);
        Assert.Same(refused, again);
    }
}
