using System.Net;
using System.Net.Sockets;
using DnsClient;

namespace NsPolicy.Dns.Tests.Evaluation;

/// <summary>
/// DnsClient 1.8.0 put to the tests its reported weaknesses call for, against small DNS servers on
/// loopback that answer exactly as each test needs. Each test asserts what DnsClient does; the
/// README's dependency section draws the conclusion (nspolicy's own transport does none of this).
/// </summary>
public sealed class DnsClientEvaluationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Confirmed_it_accepts_an_answer_to_a_different_question_when_the_id_matches()
    {
        await using var server = new OneShotServer(IPAddress.Loopback, (query, _) => Answer(query, "evil.test.", IPAddress.Parse("192.0.2.66")));
        var client = Client(server.EndPoint);

        var response = await client.QueryAsync("good.test.", QueryType.A);

        Assert.Equal("evil.test.", response.Questions.Single().QueryName.Value);
        Assert.Equal(IPAddress.Parse("192.0.2.66"), response.Answers.ARecords().Single().Address);
    }

    [Fact]
    public async Task Confirmed_it_accepts_an_answer_from_another_address_than_the_one_asked()
    {
        using var other = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        await using var server = new OneShotServer(IPAddress.Loopback, (query, _) => Answer(query, null, IPAddress.Parse("192.0.2.77")), replyFrom: other);
        var client = Client(server.EndPoint);

        var response = await client.QueryAsync("good.test.", QueryType.A);

        Assert.Equal(IPAddress.Parse("192.0.2.77"), response.Answers.ARecords().Single().Address);
        Assert.Equal(server.EndPoint.Address.ToString(), response.NameServer.Address);
    }

    [Fact]
    public async Task Confirmed_its_cache_returns_server_As_answer_for_a_question_put_to_server_B()
    {
        await using var a = new OneShotServer(IPAddress.Loopback, (query, _) => Answer(query, null, IPAddress.Parse("192.0.2.1")));
        await using var b = new OneShotServer(IPAddress.Loopback, (query, _) => Answer(query, null, IPAddress.Parse("192.0.2.2")));
        var client = new LookupClient(new LookupClientOptions(a.EndPoint) { UseCache = true, Timeout = Timeout, Retries = 0 });

        await client.QueryServerAsync([a.EndPoint], "ns.test.", QueryType.A);
        var fromB = await client.QueryServerAsync([b.EndPoint], "ns.test.", QueryType.A);

        Assert.Equal(IPAddress.Parse("192.0.2.1"), fromB.Answers.ARecords().Single().Address);
        Assert.Equal(0, b.Queries);
    }

    [Fact]
    public async Task Refuted_it_does_not_hand_back_a_truncated_answer_as_whole_without_TCP_fallback_it_fails()
    {
        await using var server = new OneShotServer(IPAddress.Loopback, (query, _) => Truncated(Answer(query, null, IPAddress.Parse("192.0.2.9"))));
        var client = new LookupClient(new LookupClientOptions(server.EndPoint) { UseCache = false, UseTcpFallback = false, Timeout = Timeout, Retries = 0, ThrowDnsErrors = true });

        var e = await Assert.ThrowsAsync<DnsResponseException>(() => client.QueryAsync("big.test.", QueryType.A));

        Assert.Contains("truncated", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static LookupClient Client(IPEndPoint server) =>
        new(new LookupClientOptions(server) { UseCache = false, Timeout = Timeout, Retries = 0, UseTcpFallback = false, ContinueOnEmptyResponse = false });

    /// <summary>An answer with the query's id: its question (or <paramref name="name"/> instead) and one A record.</summary>
    private static byte[] Answer(byte[] query, string? name, IPAddress address)
    {
        var question = name is null ? WireBytes.Question(query) : [.. WireBytes.Name(name), 0, 1, 0, 1];
        var answer = new List<byte> { query[0], query[1], 0x85, 0x80, 0, 1, 0, 1, 0, 0, 0, 0 };
        answer.AddRange(question);
        answer.AddRange([0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0x0E, 0x10, 0, 4]);
        answer.AddRange(address.GetAddressBytes());
        return [.. answer];
    }

    private static byte[] Truncated(byte[] answer)
    {
        answer[2] |= 0x02;
        return answer;
    }

    /// <summary>A UDP DNS server on loopback that answers every query with what the test says (from another socket when given).</summary>
    private sealed class OneShotServer : IAsyncDisposable
    {
        private readonly UdpClient socket;
        private readonly CancellationTokenSource stop = new();
        private readonly Task serving;
        private int queries;

        public OneShotServer(IPAddress address, Func<byte[], IPEndPoint, byte[]> answer, UdpClient? replyFrom = null)
        {
            socket = new UdpClient(new IPEndPoint(address, 0));
            EndPoint = (IPEndPoint)socket.Client.LocalEndPoint!;
            serving = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    UdpReceiveResult received;
                    try
                    {
                        received = await socket.ReceiveAsync(stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    Interlocked.Increment(ref queries);
                    var reply = answer(received.Buffer, received.RemoteEndPoint);
                    await (replyFrom ?? socket).SendAsync(reply, received.RemoteEndPoint, stop.Token);
                }
            });
        }

        public IPEndPoint EndPoint { get; }

        public int Queries => Volatile.Read(ref queries);

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await serving;
            socket.Dispose();
            stop.Dispose();
        }
    }
}
