using System.Net;
using NsPolicy.Dns.Tests.Lab;
using NsPolicy.Dns.Transport;

namespace NsPolicy.Dns.Tests.LabTests;

/// <summary>The transport against the lab's real servers (BIND, NSD, Knot) on loopback.</summary>
[Collection(DnsLabCollection.Name)]
public sealed class TransportLabTests(DnsLabFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly QueryOptions Options = new() { Timeout = TimeSpan.FromSeconds(2), Retries = 1 };

    private DnsLab Lab => fixture.Lab;

    private static DnsTransport Transport => new(NetworkGuard.Loopback);

    private IPEndPoint At(LabHost host) => new(Lab.AddressOf(host), 53);

    [Theory]
    [InlineData(LabHost.ChildBind, false)]
    [InlineData(LabHost.ChildNsd, false)]
    [InlineData(LabHost.ChildKnot, false)]
    [InlineData(LabHost.ChildBind, true)]
    [InlineData(LabHost.ChildNsd, true)]
    [InlineData(LabHost.ChildKnot, true)]
    public async Task Every_server_of_good_test_answers_its_soa_authoritatively_over_udp_and_tcp(LabHost host, bool tcp)
    {
        var outcome = await Transport.QueryAsync(At(host), DnsName.Parse("good.test."), RecordType.SOA, Options with { TcpOnly = tcp }, None);

        Assert.Equal(QueryStatus.Answer, outcome.Status);
        Assert.Equal(tcp ? DnsTransportKind.Tcp : DnsTransportKind.Udp, outcome.Transport);
        Assert.True(outcome.Response!.Header.IsAuthoritative, outcome.Response.ToString());
        Assert.Equal(DnsResponseCode.NoError, outcome.Response.ResponseCode);
        Assert.Equal(RecordType.SOA, Assert.Single(outcome.Response.Answers).Type);
        Assert.True(outcome.ResponseSize > 12);
        Assert.Equal(0, outcome.DroppedPackets);
    }

    [Theory]
    [InlineData(LabHost.ChildBind)]
    [InlineData(LabHost.ChildNsd)]
    [InlineData(LabHost.ChildKnot)]
    public async Task Every_server_of_good_test_answers_soa_and_ns_asked_together_on_one_tcp_connection(LabHost host)
    {
        var zone = DnsName.Parse("good.test.");

        var outcomes = await Transport.QueryTcpTogetherAsync(At(host), [new(zone, RecordType.SOA), new(zone, RecordType.NS)], Options with { TcpOnly = true }, None);
        var alone = await Transport.QueryAsync(At(host), zone, RecordType.NS, Options with { TcpOnly = true }, None);

        Assert.All(outcomes, o => Assert.Equal((QueryStatus.Answer, DnsTransportKind.Tcp, 1, DnsResponseCode.NoError, true), (o.Status, o.Transport, o.Attempts, o.Response!.ResponseCode, o.Response.Header.IsAuthoritative)));
        Assert.Equal(RecordType.SOA, Assert.Single(outcomes[0].Response!.Answers).Type);
        Assert.Equal(
            alone.Response!.Answers.Select(r => r.ToString()).Order(StringComparer.Ordinal),
            outcomes[1].Response!.Answers.Select(r => r.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_lame_server_is_recorded_as_an_answer_with_rcode_refused()
    {
        var outcome = await Transport.QueryAsync(At(LabHost.ChildNsd), DnsName.Parse("lame.test."), RecordType.SOA, Options, None);

        Assert.Equal(QueryStatus.Answer, outcome.Status);
        Assert.Equal(DnsResponseCode.Refused, outcome.Response!.ResponseCode);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_within_the_configured_time()
    {
        var options = new QueryOptions { Timeout = TimeSpan.FromMilliseconds(300), Retries = 1 };

        var outcome = await Transport.QueryAsync(At(LabHost.BlackHole), DnsName.Parse("timeout.test."), RecordType.SOA, options, None);

        Assert.Equal(QueryStatus.Timeout, outcome.Status);
        Assert.Equal(2, outcome.Attempts);
        Assert.True(outcome.RoundTripTime < TimeSpan.FromSeconds(5), outcome.RoundTripTime.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_closed_port_is_reported_as_refused_at_once_not_as_a_timeout(bool tcp)
    {
        var options = new QueryOptions { Timeout = TimeSpan.FromSeconds(5), Retries = 1, TcpOnly = tcp };
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var outcome = await Transport.QueryAsync(At(LabHost.Closed), DnsName.Parse("port-closed.test."), RecordType.SOA, options, None);

        Assert.Equal(QueryStatus.ConnectionRefused, outcome.Status);
        Assert.Equal(tcp ? DnsTransportKind.Tcp : DnsTransportKind.Udp, outcome.Transport);
        Assert.Equal(2, outcome.Attempts);
        Assert.Contains("ConnectionRefused", outcome.Error, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), clock.Elapsed.ToString());
    }

    [Fact]
    public async Task Tcp_to_a_closed_port_is_refused()
    {
        var outcome = await Transport.QueryAsync(At(LabHost.RelayUdpOnly), DnsName.Parse("tcp-broken.test."), RecordType.SOA, Options with { TcpOnly = true, Retries = 0 }, None);

        Assert.Equal(QueryStatus.ConnectionRefused, outcome.Status);
        Assert.Equal(DnsTransportKind.Tcp, outcome.Transport);
    }

    [Fact]
    public async Task Knots_big_referral_is_truncated_over_udp_and_fetched_again_over_tcp()
    {
        var server = At(LabHost.TldKnot);
        var options = Options with { UdpPayloadSize = 512 };

        var outcome = await Transport.QueryAsync(server, DnsName.Parse("www.big-referral.test."), RecordType.A, options, None);

        Assert.Equal(QueryStatus.Answer, outcome.Status);
        Assert.True(outcome.FellBackToTcp, outcome.Response?.ToString());
        Assert.Equal(DnsTransportKind.Tcp, outcome.Transport);
        Assert.Equal(13, outcome.Response!.Authority.Count(r => r.Type == RecordType.NS));
        Assert.True(outcome.ResponseSize > 512);
    }

    [Fact]
    public async Task The_do_bit_brings_signatures_and_without_it_none()
    {
        var server = At(LabHost.ChildKnot);
        var name = DnsName.Parse("good.test.");

        var signed = await Transport.QueryAsync(server, name, RecordType.SOA, Options with { DnssecOk = true }, None);
        var plain = await Transport.QueryAsync(server, name, RecordType.SOA, Options, None);

        Assert.Contains(signed.Response!.Answers, r => r.Type == RecordType.RRSIG);
        Assert.DoesNotContain(plain.Response!.Answers, r => r.Type == RecordType.RRSIG);
    }

    [Fact]
    public async Task Bind_allows_the_transfer_of_axfr_open_test_and_nsd_refuses_it()
    {
        var zone = DnsName.Parse("axfr-open.test.");

        var open = await Transport.TransferAsync(At(LabHost.ChildBind), zone, Options, None);
        var refused = await Transport.TransferAsync(At(LabHost.ChildNsd), zone, Options, None);

        Assert.Equal(TransferStatus.Completed, open.Status);
        Assert.True(open.MessageCount > 1, $"the transfer came in {open.MessageCount} message(s); axfr-open.test. is meant to need several");
        Assert.Equal(LabCatalogue.TransferRecords + 6, open.RecordCount);
        Assert.Equal(RecordType.SOA, open.Records[0].Type);
        Assert.Equal(RecordType.SOA, open.Records[^1].Type);
        Assert.Contains(open.Records, r => r.Type == RecordType.NS);
        Assert.NotEqual(TransferStatus.Completed, refused.Status);
        Assert.Empty(refused.Records);
    }

    [Fact]
    public async Task Bind_refuses_the_transfer_of_a_zone_that_is_not_open()
    {
        var outcome = await Transport.TransferAsync(At(LabHost.ChildBind), DnsName.Parse("good.test."), Options, None);

        Assert.Equal(TransferStatus.Refused, outcome.Status);
        Assert.Equal(DnsResponseCode.Refused, outcome.ResponseCode);
    }
}
