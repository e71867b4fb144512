using System.Net;
using System.Net.Sockets;
using NsPolicy.Dns.Records;
using NsPolicy.Dns.Transport;

namespace NsPolicy.Dns.Tests.Transport;

/// <summary>Several questions to one server over one TCP connection (RFC 7766 §6.2.1.1), each with the checks and outcome it would get alone.</summary>
public sealed class TcpTogetherTests
{
    private static readonly IPEndPoint Server = new(IPAddress.Parse("127.0.0.53"), 53);
    private static readonly DnsName Zone = DnsName.Parse("example.test.");
    private static readonly DnsQuestion Soa = new(Zone, RecordType.SOA);
    private static readonly DnsQuestion Ns = new(Zone, RecordType.NS);
    private static readonly ResourceRecord NsRecord = new(Zone, 3600, new NsRData(DnsName.Parse("ns1.example.test.")));
    private static readonly QueryOptions Tcp = QueryOptions.Default with { TcpOnly = true };

    private static DnsTransport Transport(FakeDnsNetwork network, NetworkGuard? guard = null) =>
        new(network, guard ?? NetworkGuard.Loopback, TimeProvider.System);

    private static byte[] Answer(DnsMessage query) => FakeDnsNetwork.Reply(query, query.Question!.Type == RecordType.NS ? [NsRecord] : []).ToWire();

    [Fact]
    public async Task Two_questions_share_one_connection_and_answers_in_any_order_reach_their_question()
    {
        var network = new FakeDnsNetwork { TcpTogether = queries => queries.Reverse().Select(Answer) };

        var outcomes = await Transport(network).QueryTcpTogetherAsync(Server, [Soa, Ns], Tcp, CancellationToken.None);

        Assert.Equal([Server], network.TcpConnects);
        Assert.Equal([QueryStatus.Answer, QueryStatus.Answer], outcomes.Select(o => o.Status));
        Assert.Equal([Soa, Ns], outcomes.Select(o => o.Question));
        Assert.Equal([Soa, Ns], outcomes.Select(o => o.Response!.Question));
        Assert.Empty(outcomes[0].Response!.Answers);
        Assert.Single(outcomes[1].Response!.Answers);
        Assert.All(outcomes, o => Assert.Equal((DnsTransportKind.Tcp, 1, 0), (o.Transport, o.Attempts, o.DroppedPackets)));
        Assert.Equal(2, network.TcpQueries.Select(q => q.Header.Id).Distinct().Count());
    }

    [Fact]
    public async Task An_answer_with_a_query_id_but_another_question_is_dropped_and_the_right_one_taken()
    {
        var network = new FakeDnsNetwork
        {
            TcpTogether = queries =>
            [
                (FakeDnsNetwork.Reply(queries[0]) with { Questions = [Ns] }).ToWire(),
                (FakeDnsNetwork.Reply(queries[0]) with { Header = new DnsHeader { Id = (ushort)(queries[0].Header.Id ^ queries[1].Header.Id ^ 0x5555), IsResponse = true } }).ToWire(),
                .. queries.Select(Answer),
            ],
        };

        var outcomes = await Transport(network).QueryTcpTogetherAsync(Server, [Soa, Ns], Tcp, CancellationToken.None);

        Assert.Equal([QueryStatus.Answer, QueryStatus.Answer], outcomes.Select(o => o.Status));
        Assert.Equal([Soa, Ns], outcomes.Select(o => o.Response!.Question));
        Assert.Equal(2, outcomes.Sum(o => o.DroppedPackets));
        Assert.Single(network.TcpConnects);
    }

    [Fact]
    public async Task A_server_that_closes_after_one_answer_gets_the_other_question_on_a_new_connection()
    {
        var network = new FakeDnsNetwork { TcpTogether = queries => [Answer(queries[0])] };

        var outcomes = await Transport(network).QueryTcpTogetherAsync(Server, [Soa, Ns], Tcp with { Retries = 0 }, CancellationToken.None);

        Assert.Equal([QueryStatus.Answer, QueryStatus.Answer], outcomes.Select(o => o.Status));
        Assert.Equal([Soa, Ns], outcomes.Select(o => o.Response!.Question));
        Assert.Equal(2, network.TcpConnects.Count);
        Assert.Equal([1, 2], outcomes.Select(o => o.Attempts));
    }

    [Fact]
    public async Task A_connection_that_closes_without_an_answer_is_a_network_error_for_every_question()
    {
        var network = new FakeDnsNetwork();

        var outcomes = await Transport(network).QueryTcpTogetherAsync(Server, [Soa, Ns], Tcp with { Retries = 0 }, CancellationToken.None);

        Assert.All(outcomes, o => Assert.Equal((QueryStatus.NetworkError, DnsTransportKind.Tcp), (o.Status, o.Transport)));
        Assert.Single(network.TcpConnects);
    }

    [Fact]
    public async Task A_refused_connection_is_refused_for_every_question_after_every_retry()
    {
        var network = new FakeDnsNetwork { TcpConnectError = SocketError.ConnectionRefused };
        var quick = Tcp with { Timeout = TimeSpan.FromMilliseconds(50), Retries = 2 };

        var outcomes = await Transport(network).QueryTcpTogetherAsync(Server, [Soa, Ns], quick, CancellationToken.None);

        Assert.All(outcomes, o => Assert.Equal((QueryStatus.ConnectionRefused, 3), (o.Status, o.Attempts)));
        Assert.Equal(3, network.TcpConnects.Count);
    }

    [Fact]
    public async Task A_refused_connection_stays_refused_for_every_question_when_the_retry_hears_nothing()
    {
        // The retry's SYN (or the reset to it) is lost: silence says nothing new about a closed port.
        var network = new FakeDnsNetwork { TcpConnectSequence = [SocketError.ConnectionRefused, null] };
        var quick = Tcp with { Timeout = TimeSpan.FromMilliseconds(50), Retries = 1 };

        var outcomes = await Transport(network).QueryTcpTogetherAsync(Server, [Soa, Ns], quick, CancellationToken.None);

        Assert.All(outcomes, o => Assert.Equal((QueryStatus.ConnectionRefused, 2), (o.Status, o.Attempts)));
        Assert.Equal(2, network.TcpConnects.Count);
    }

    [Fact]
    public async Task A_malformed_answer_ends_every_question_still_waiting_as_malformed()
    {
        var network = new FakeDnsNetwork { TcpTogether = queries => [Answer(queries[0]), [0x12, 0x34, 0x81]] };

        var outcomes = await Transport(network).QueryTcpTogetherAsync(Server, [Soa, Ns], Tcp, CancellationToken.None);

        Assert.Equal([QueryStatus.Answer, QueryStatus.Malformed], outcomes.Select(o => o.Status));
        Assert.Single(network.TcpConnects);
    }

    [Fact]
    public async Task A_server_the_guard_refuses_gets_nothing()
    {
        var network = new FakeDnsNetwork();
        var outside = new IPEndPoint(IPAddress.Parse("192.0.2.53"), 53);

        var outcomes = await Transport(network).QueryTcpTogetherAsync(outside, [Soa, Ns], Tcp, CancellationToken.None);

        Assert.All(outcomes, o => Assert.Equal(QueryStatus.Blocked, o.Status));
        Assert.Empty(network.TcpConnects);
    }
}
