using System.Net;
using System.Net.Sockets;
using NsPolicy.Dns.Records;
using NsPolicy.Dns.Tests.Support;
using NsPolicy.Dns.Transport;

namespace NsPolicy.Dns.Tests.Transport;

public sealed class DnsTransportTests
{
    private static readonly IPEndPoint Server = new(IPAddress.Parse("127.0.0.53"), 53);
    private static readonly DnsName Www = DnsName.Parse("www.example.test.");
    private static readonly ResourceRecord WwwA = new(Www, 300, new ARData(IPAddress.Parse("127.0.0.80")));
    private static readonly QueryOptions Quick = new() { Timeout = TimeSpan.FromMilliseconds(50), Retries = 0 };

    private static DnsTransport Transport(FakeDnsNetwork network, NetworkGuard? guard = null) =>
        new(network, guard ?? NetworkGuard.Loopback, TimeProvider.System);

    [Fact]
    public async Task Accepts_a_udp_response_with_the_same_id_source_and_question()
    {
        var reply = (DnsMessage q) => FakeDnsNetwork.Reply(q, WwwA);
        var network = new FakeDnsNetwork { Udp = (q, _) => [FakeDnsNetwork.From(Server, reply(q))] };

        var outcome = await Transport(network).QueryAsync(Server, Www, RecordType.A, QueryOptions.Default, CancellationToken.None);

        Assert.Equal(QueryStatus.Answer, outcome.Status);
        Assert.Equal(DnsTransportKind.Udp, outcome.Transport);
        Assert.Equal(Text(WwwA), Text(outcome.Response!.Answers));
        Assert.Equal(reply(network.UdpSent.Single().Query).ToWire().Length, outcome.ResponseSize);
        Assert.Equal(0, outcome.DroppedPackets);
        Assert.Equal(1, outcome.Attempts);
        Assert.Empty(network.TcpConnects);
    }

    [Fact]
    public async Task Sends_edns_with_a_1232_octet_buffer_and_the_do_bit_only_when_asked()
    {
        var network = new FakeDnsNetwork { Udp = (q, _) => [FakeDnsNetwork.From(Server, FakeDnsNetwork.Reply(q))] };
        var transport = Transport(network);

        await transport.QueryAsync(Server, Www, RecordType.A, QueryOptions.Default, CancellationToken.None);
        await transport.QueryAsync(Server, Www, RecordType.A, QueryOptions.Default with { DnssecOk = true }, CancellationToken.None);

        var sent = network.UdpSent.Select(s => s.Query.Edns!).ToList();
        Assert.All(sent, e => Assert.Equal(1232, e.UdpPayloadSize));
        Assert.Equal([false, true], sent.Select(e => e.DnssecOk));
    }

    [Fact]
    public async Task Drops_a_response_with_another_id_and_waits_for_the_right_one()
    {
        var network = new FakeDnsNetwork
        {
            Udp = (q, _) =>
            [
                FakeDnsNetwork.From(Server, FakeDnsNetwork.Reply(q) with { Header = new DnsHeader { Id = (ushort)(q.Header.Id + 1), IsResponse = true } }),
                FakeDnsNetwork.From(Server, FakeDnsNetwork.Reply(q, WwwA)),
            ],
        };

        var outcome = await Transport(network).QueryAsync(Server, Www, RecordType.A, QueryOptions.Default, CancellationToken.None);

        Assert.Equal(QueryStatus.Answer, outcome.Status);
        Assert.Equal(Text(WwwA), Text(outcome.Response!.Answers));
        Assert.Equal(1, outcome.DroppedPackets);
    }

    [Fact]
    public async Task Drops_responses_from_another_address_or_port()
    {
        var network = new FakeDnsNetwork
        {
            Udp = (q, _) =>
            [
                FakeDnsNetwork.From(new IPEndPoint(IPAddress.Parse("127.0.0.54"), 53), FakeDnsNetwork.Reply(q)),
                FakeDnsNetwork.From(new IPEndPoint(Server.Address, 5353), FakeDnsNetwork.Reply(q)),
                FakeDnsNetwork.From(Server, FakeDnsNetwork.Reply(q, WwwA)),
            ],
        };

        var outcome = await Transport(network).QueryAsync(Server, Www, RecordType.A, QueryOptions.Default, CancellationToken.None);

        Assert.Equal(Text(WwwA), Text(outcome.Response!.Answers));
        Assert.Equal(2, outcome.DroppedPackets);
    }

    [Fact]
    public async Task Drops_a_response_to_another_question_but_accepts_one_that_differs_only_in_case()
    {
        var other = new DnsQuestion(DnsName.Parse("mail.example.test."), RecordType.A);
        var upper = new DnsQuestion(DnsName.Parse("WWW.Example.TEST."), RecordType.A);
        var network = new FakeDnsNetwork
        {
            Udp = (q, _) =>
            [
                FakeDnsNetwork.From(Server, FakeDnsNetwork.Reply(q) with { Questions = [other] }),
                FakeDnsNetwork.From(Server, FakeDnsNetwork.Reply(q) with { Questions = [new DnsQuestion(Www, RecordType.AAAA)] }),
                FakeDnsNetwork.From(Server, FakeDnsNetwork.Reply(q, WwwA) with { Questions = [upper] }),
            ],
        };

        var outcome = await Transport(network).QueryAsync(Server, Www, RecordType.A, QueryOptions.Default, CancellationToken.None);

        Assert.Equal(QueryStatus.Answer, outcome.Status);
        Assert.Equal(2, outcome.DroppedPackets);
    }

    [Fact]
    public async Task Accepts_a_refusal_without_a_question_but_not_an_answer_without_one()
    {
        // Unbound with access-control "refuse" sends the header alone: REFUSED, no question.
        static DnsMessage Bare(DnsMessage q, DnsResponseCode rcode) =>
            FakeDnsNetwork.Reply(q) with { Header = new DnsHeader { Id = q.Header.Id, IsResponse = true, HeaderRcode = (byte)rcode }, Questions = [] };
        var refusing = new FakeDnsNetwork { Udp = (q, _) => [FakeDnsNetwork.From(Server, Bare(q, DnsResponseCode.Refused))] };
        var bare = new FakeDnsNetwork { Udp = (q, _) => [FakeDnsNetwork.From(Server, Bare(q, DnsResponseCode.NoError))] };

        var refused = await Transport(refusing).QueryAsync(Server, Www, RecordType.A, Quick, CancellationToken.None);
        var dropped = await Transport(bare).QueryAsync(Server, Www, RecordType.A, Quick, CancellationToken.None);

        Assert.Equal((QueryStatus.Answer, DnsResponseCode.Refused), (refused.Status, refused.Response!.ResponseCode));
        Assert.Equal((QueryStatus.Timeout, 1), (dropped.Status, dropped.DroppedPackets));
    }

    [Fact]
    public async Task Drops_a_query_echoed_back_without_the_response_bit()
    {
        var network = new FakeDnsNetwork { Udp = (q, _) => [FakeDnsNetwork.From(Server, q)] };

        var outcome = await Transport(network).QueryAsync(Server, Www, RecordType.A, Quick, CancellationToken.None);

        Assert.Equal(QueryStatus.Timeout, outcome.Status);
        Assert.Equal(1, outcome.DroppedPackets);
    }

    [Fact]
    public async Task Reports_malformed_bytes_with_the_queries_id_as_malformed_with_the_offset()
    {
        var network = new FakeDnsNetwork
        {
            Udp = (q, _) =>
            {
                var wire = FakeDnsNetwork.Reply(q, WwwA).ToWire();
                return [new UdpDatagram(wire.AsMemory(0, wire.Length - 3), Server)];
            },
        };

        var outcome = await Transport(network).QueryAsync(Server, Www, RecordType.A, Quick with { Retries = 2 }, CancellationToken.None);

        Assert.Equal(QueryStatus.Malformed, outcome.Status);
        Assert.NotNull(outcome.Error);
        Assert.NotNull(outcome.MalformedOffset);
        Assert.Equal(1, outcome.Attempts);
        Assert.Null(outcome.Response);
    }

    [Fact]
    public async Task Drops_malformed_bytes_with_another_id_and_reports_a_timeout()
    {
        var network = new FakeDnsNetwork
        {
            Udp = (q, _) => [new UdpDatagram(new byte[] { (byte)(q.Header.Id >> 8), (byte)(q.Header.Id ^ 1), 1 }, Server)],
        };

        var outcome = await Transport(network).QueryAsync(Server, Www, RecordType.A, Quick, CancellationToken.None);

        Assert.Equal(QueryStatus.Timeout, outcome.Status);
        Assert.Equal(1, outcome.DroppedPackets);
    }

    [Fact]
    public async Task Repeats_a_truncated_udp_response_over_tcp()
    {
        var network = new FakeDnsNetwork
        {
            Udp = (q, _) => [FakeDnsNetwork.From(Server, FakeDnsNetwork.Reply(q) with { Header = new DnsHeader { Id = q.Header.Id, IsResponse = true, IsTruncated = true } })],
            Tcp = q => [FakeDnsNetwork.Reply(q, WwwA).ToWire()],
        };

        var outcome = await Transport(network).QueryAsync(Server, Www, RecordType.A, QueryOptions.Default, CancellationToken.None);

        Assert.Equal(QueryStatus.Answer, outcome.Status);
        Assert.Equal(DnsTransportKind.Tcp, outcome.Transport);
        Assert.True(outcome.FellBackToTcp);
        Assert.Equal(Text(WwwA), Text(outcome.Response!.Answers));
        Assert.Equal(2, outcome.Attempts);
        Assert.Equal([Server], network.TcpConnects);
        Assert.Equal(Www, network.TcpQueries.Single().Question!.Name);
    }

    [Fact]
    public async Task Keeps_a_truncated_udp_response_when_asked_to_and_opens_no_connection()
    {
        var network = new FakeDnsNetwork
        {
            Udp = (q, _) => [FakeDnsNetwork.From(Server, FakeDnsNetwork.Reply(q) with { Header = new DnsHeader { Id = q.Header.Id, IsResponse = true, IsTruncated = true } })],
            Tcp = q => [FakeDnsNetwork.Reply(q, WwwA).ToWire()],
        };

        var outcome = await Transport(network).QueryAsync(Server, Www, RecordType.A, QueryOptions.Default with { KeepTruncated = true }, CancellationToken.None);

        Assert.Equal(QueryStatus.Answer, outcome.Status);
        Assert.Equal(DnsTransportKind.Udp, outcome.Transport);
        Assert.True(outcome.Response!.Header.IsTruncated);
        Assert.False(outcome.FellBackToTcp);
        Assert.Empty(network.TcpConnects);
    }

    [Fact]
    public async Task Sends_the_asked_edns_flag_bits_beside_do_and_never_sets_do_from_them()
    {
        var network = new FakeDnsNetwork { Udp = (q, _) => [FakeDnsNetwork.From(Server, FakeDnsNetwork.Reply(q, WwwA))] };
        var transport = Transport(network);

        await transport.QueryAsync(Server, Www, RecordType.A, QueryOptions.Default with { EdnsFlags = 0x0001, DnssecOk = true }, CancellationToken.None);
        await transport.QueryAsync(Server, Www, RecordType.A, QueryOptions.Default with { EdnsFlags = 0x8001 }, CancellationToken.None);

        Assert.Equal([(ushort)0x8001, (ushort)0x0001], network.UdpSent.Select(s => s.Query.Edns!.Flags));
    }

    [Fact]
    public async Task Reports_a_truncated_response_over_tcp_and_keeps_the_message()
    {
        var network = new FakeDnsNetwork
        {
            Tcp = q => [(FakeDnsNetwork.Reply(q, WwwA) with { Header = new DnsHeader { Id = q.Header.Id, IsResponse = true, IsTruncated = true } }).ToWire()],
        };

        var outcome = await Transport(network).QueryAsync(Server, Www, RecordType.A, QueryOptions.Default with { TcpOnly = true }, CancellationToken.None);

        Assert.Equal(QueryStatus.TruncatedOverTcp, outcome.Status);
        Assert.Equal(Text(WwwA), Text(outcome.Response!.Answers));
        Assert.Empty(network.UdpSent);
    }

    [Fact]
    public async Task Skips_a_tcp_message_with_another_id_and_reads_the_next()
    {
        var network = new FakeDnsNetwork
        {
            Tcp = q =>
            [
                (FakeDnsNetwork.Reply(q) with { Header = new DnsHeader { Id = (ushort)(q.Header.Id ^ 0x5555), IsResponse = true } }).ToWire(),
                FakeDnsNetwork.Reply(q, WwwA).ToWire(),
            ],
        };

        var outcome = await Transport(network).QueryAsync(Server, Www, RecordType.A, QueryOptions.Default with { TcpOnly = true }, CancellationToken.None);

        Assert.Equal(QueryStatus.Answer, outcome.Status);
        Assert.Equal(1, outcome.DroppedPackets);
    }

    [Fact]
    public async Task Reports_a_tcp_connection_that_closes_without_a_response_as_a_network_error()
    {
        var network = new FakeDnsNetwork();

        var outcome = await Transport(network).QueryAsync(Server, Www, RecordType.A, QueryOptions.Default with { TcpOnly = true, Retries = 0 }, CancellationToken.None);

        Assert.Equal(QueryStatus.NetworkError, outcome.Status);
        Assert.Equal(DnsTransportKind.Tcp, outcome.Transport);
    }

    [Fact]
    public async Task Reports_a_refused_tcp_connection_as_refused_after_every_retry()
    {
        var network = new FakeDnsNetwork { TcpConnectError = SocketError.ConnectionRefused };

        var outcome = await Transport(network).QueryAsync(Server, Www, RecordType.A, Quick with { TcpOnly = true, Retries = 2 }, CancellationToken.None);

        Assert.Equal(QueryStatus.ConnectionRefused, outcome.Status);
        Assert.Contains("ConnectionRefused", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(3, outcome.Attempts);
        Assert.Equal(3, network.TcpConnects.Count);
    }

    [Fact]
    public async Task A_refused_tcp_connection_stays_refused_when_the_retry_hears_nothing()
    {
        // The retry's SYN (or the reset to it) is lost: silence says nothing new about a closed port.
        var network = new FakeDnsNetwork { TcpConnectSequence = [SocketError.ConnectionRefused, null] };

        var outcome = await Transport(network).QueryAsync(Server, Www, RecordType.A, Quick with { TcpOnly = true, Retries = 1 }, CancellationToken.None);

        Assert.Equal((QueryStatus.ConnectionRefused, 2), (outcome.Status, outcome.Attempts));
        Assert.Equal(2, network.TcpConnects.Count);
    }

    [Fact]
    public async Task A_refused_udp_query_stays_refused_when_the_retry_hears_nothing()
    {
        var network = new FakeDnsNetwork { UdpReceiveSequence = [SocketError.ConnectionRefused, null] };

        var outcome = await Transport(network).QueryAsync(Server, Www, RecordType.A, Quick with { Retries = 1 }, CancellationToken.None);

        Assert.Equal((QueryStatus.ConnectionRefused, 2), (outcome.Status, outcome.Attempts));
        Assert.Equal(2, network.UdpSendCount);
    }

    [Fact]
    public async Task A_timed_out_query_then_refused_is_refused()
    {
        var network = new FakeDnsNetwork { TcpConnectSequence = [null, SocketError.ConnectionRefused] };

        var outcome = await Transport(network).QueryAsync(Server, Www, RecordType.A, Quick with { TcpOnly = true, Retries = 1 }, CancellationToken.None);

        Assert.Equal((QueryStatus.ConnectionRefused, 2), (outcome.Status, outcome.Attempts));
    }

    [Fact]
    public async Task Times_out_after_the_first_attempt_and_every_retry_each_with_a_new_id()
    {
        var network = new FakeDnsNetwork();

        var outcome = await Transport(network).QueryAsync(Server, Www, RecordType.A, Quick with { Retries = 1 }, CancellationToken.None);

        Assert.Equal(QueryStatus.Timeout, outcome.Status);
        Assert.Equal(2, outcome.Attempts);
        Assert.Equal(2, network.UdpSent.Count);
        Assert.All(network.UdpSent, s => Assert.Equal(Server, s.Destination));
    }

    [Fact]
    public async Task Counts_every_answer_rcode_as_an_answer()
    {
        var network = new FakeDnsNetwork
        {
            Udp = (q, _) => [FakeDnsNetwork.From(Server, FakeDnsNetwork.Reply(q) with { Header = new DnsHeader { Id = q.Header.Id, IsResponse = true, HeaderRcode = (byte)DnsResponseCode.Refused } })],
        };

        var outcome = await Transport(network).QueryAsync(Server, Www, RecordType.A, QueryOptions.Default, CancellationToken.None);

        Assert.Equal(QueryStatus.Answer, outcome.Status);
        Assert.Equal(DnsResponseCode.Refused, outcome.Response!.ResponseCode);
    }

    [Fact]
    public async Task Reports_icmp_port_unreachable_over_udp_as_refused_not_as_a_timeout()
    {
        var network = new FakeDnsNetwork { UdpReceiveError = SocketError.ConnectionRefused };

        var outcome = await Transport(network).QueryAsync(Server, Www, RecordType.A, QueryOptions.Default with { Retries = 1, RetryDelay = TimeSpan.FromMilliseconds(1) }, CancellationToken.None);

        Assert.Equal(QueryStatus.ConnectionRefused, outcome.Status);
        Assert.Equal(DnsTransportKind.Udp, outcome.Transport);
        Assert.Equal(2, outcome.Attempts);
        Assert.Equal(2, network.UdpSent.Count);
        Assert.True(outcome.RoundTripTime < QueryOptions.Default.Timeout, outcome.RoundTripTime.ToString());
    }

    [Fact]
    public async Task Doubles_the_wait_for_each_retry_after_a_timeout()
    {
        var time = new ManualTimeProvider();
        var network = new FakeDnsNetwork();
        var transport = new DnsTransport(network, NetworkGuard.Loopback, time);
        var options = new QueryOptions { Timeout = TimeSpan.FromSeconds(1), Retries = 2 };
        var started = time.GetUtcNow();

        var query = transport.QueryAsync(Server, Www, RecordType.A, options, CancellationToken.None);
        await RunClockUntil(time, query);
        var outcome = await query;

        Assert.Equal(QueryStatus.Timeout, outcome.Status);
        Assert.Equal(3, outcome.Attempts);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], time.Scheduled);
        Assert.Equal(TimeSpan.FromSeconds(7), time.GetUtcNow() - started);
        Assert.Equal(TimeSpan.FromSeconds(4), outcome.RoundTripTime);
    }

    [Fact]
    public async Task Pauses_before_each_retry_after_a_refusal_doubling_the_pause()
    {
        var time = new ManualTimeProvider();
        var network = new FakeDnsNetwork { UdpReceiveError = SocketError.ConnectionRefused };
        var transport = new DnsTransport(network, NetworkGuard.Loopback, time);
        var options = new QueryOptions { Timeout = TimeSpan.FromSeconds(1), Retries = 3, RetryDelay = TimeSpan.FromMilliseconds(100) };
        var started = time.GetUtcNow();

        var query = transport.QueryAsync(Server, Www, RecordType.A, options, CancellationToken.None);
        await RunClockUntil(time, query);
        var outcome = await query;

        Assert.Equal(QueryStatus.ConnectionRefused, outcome.Status);
        Assert.Equal(4, network.UdpSent.Count);
        var pauses = time.Scheduled.Where(t => t < TimeSpan.FromSeconds(1)).ToList();
        Assert.Equal([TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400)], pauses);
        Assert.Equal(TimeSpan.FromMilliseconds(700), time.GetUtcNow() - started);
    }

    /// <summary>Moves the manual clock in 10 ms steps, letting the transport run between steps, until <paramref name="task"/> ends.</summary>
    private static async Task RunClockUntil(ManualTimeProvider time, Task task)
    {
        for (var step = 0; !task.IsCompleted; step++)
        {
            Assert.True(step < 100_000, "the query did not end");
            await Task.Delay(1);
            if (time.PendingTimers > 0 && !task.IsCompleted)
            {
                time.Advance(TimeSpan.FromMilliseconds(10));
            }
        }
    }

    private static string[] Text(params IEnumerable<ResourceRecord> records) => [.. records.Select(r => r.ToString())];
}
