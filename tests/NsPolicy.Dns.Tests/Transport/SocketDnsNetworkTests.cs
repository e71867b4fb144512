using System.Net;
using System.Net.Sockets;
using NsPolicy.Dns.Transport;

namespace NsPolicy.Dns.Tests.Transport;

/// <summary>
/// The real UDP channels on 127.0.0.1, against an in-process socket that plays the server: queries
/// share a port only after clean exchanges, each gets only the datagrams with its own id, and the
/// server sees which source port each query came from.
/// </summary>
public sealed class SocketDnsNetworkTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private readonly Socket _server = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly SocketDnsNetwork _network = new();

    public SocketDnsNetworkTests() => _server.Bind(new IPEndPoint(IPAddress.Loopback, 0));

    private IPEndPoint ServerEndPoint => (IPEndPoint)_server.LocalEndPoint!;

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Reuses_the_socket_of_a_query_that_was_answered()
    {
        var first = await ExchangeAsync(replies: 1);
        var second = await ExchangeAsync(replies: 1);

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Closes_the_socket_of_a_query_that_timed_out()
    {
        int first;
        using (var channel = _network.OpenUdp(AddressFamily.InterNetwork))
        {
            await channel.SendAsync(new byte[] { 1, 2 }, ServerEndPoint, CancellationToken.None);
            first = await ServerReceiveAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await channel.ReceiveAsync(timeout.Token));
        }

        var second = await ExchangeAsync(replies: 1);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Closes_a_socket_that_still_holds_an_unread_datagram()
    {
        var first = await ExchangeAsync(replies: 2);
        var second = await ExchangeAsync(replies: 1);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Takes_a_new_source_port_after_a_bounded_number_of_queries()
    {
        var ports = new List<int>();
        for (var i = 0; i < SocketDnsNetwork.MaxQueriesPerSocket + 1; i++)
        {
            ports.Add(await ExchangeAsync(replies: 1));
        }

        Assert.Single(ports[..SocketDnsNetwork.MaxQueriesPerSocket].Distinct());
        Assert.NotEqual(ports[0], ports[^1]);
    }

    [Fact]
    public async Task Queries_in_flight_together_share_a_port_and_each_gets_its_own_reply()
    {
        using var first = _network.OpenUdp(AddressFamily.InterNetwork);
        using var second = _network.OpenUdp(AddressFamily.InterNetwork);
        await first.SendAsync(new byte[] { 0x11, 0x11, 1 }, ServerEndPoint, CancellationToken.None);
        await second.SendAsync(new byte[] { 0x22, 0x22, 2 }, ServerEndPoint, CancellationToken.None);

        // The server answers the second query first, and adds a datagram with an id nobody sent.
        var buffer = new byte[512];
        using var timeout = new CancellationTokenSource(Wait);
        var one = await _server.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
        var firstQuery = buffer.AsSpan(0, one.ReceivedBytes).ToArray();
        var two = await _server.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
        var secondQuery = buffer.AsSpan(0, two.ReceivedBytes).ToArray();
        Assert.Equal(((IPEndPoint)one.RemoteEndPoint).Port, ((IPEndPoint)two.RemoteEndPoint).Port);
        await _server.SendToAsync(new byte[] { 0x33, 0x33, 3 }, SocketFlags.None, two.RemoteEndPoint);
        await _server.SendToAsync(secondQuery, SocketFlags.None, two.RemoteEndPoint);
        await _server.SendToAsync(firstQuery, SocketFlags.None, one.RemoteEndPoint);

        Assert.Equal(new byte[] { 0x22, 0x22, 2 }, (await second.ReceiveAsync(timeout.Token)).Data.ToArray());
        Assert.Equal(new byte[] { 0x11, 0x11, 1 }, (await first.ReceiveAsync(timeout.Token)).Data.ToArray());
    }

    [Fact]
    public async Task A_late_reply_to_a_query_that_timed_out_never_reaches_the_next_query()
    {
        byte[] late;
        using (var channel = _network.OpenUdp(AddressFamily.InterNetwork))
        {
            await channel.SendAsync(new byte[] { 0x44, 0x44 }, ServerEndPoint, CancellationToken.None);
            late = [0x44, 0x44];
            await ServerReceiveAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await channel.ReceiveAsync(timeout.Token));
        }

        using var next = _network.OpenUdp(AddressFamily.InterNetwork);
        await next.SendAsync(new byte[] { 0x55, 0x55, 5 }, ServerEndPoint, CancellationToken.None);
        var buffer = new byte[512];
        using var wait = new CancellationTokenSource(Wait);
        var received = await _server.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), wait.Token);
        await _server.SendToAsync(late, SocketFlags.None, received.RemoteEndPoint);
        await _server.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), SocketFlags.None, received.RemoteEndPoint);

        Assert.Equal(new byte[] { 0x55, 0x55, 5 }, (await next.ReceiveAsync(wait.Token)).Data.ToArray());
    }

    [Fact]
    public async Task Reports_the_server_as_the_source_of_its_reply()
    {
        using var channel = _network.OpenUdp(AddressFamily.InterNetwork);
        await channel.SendAsync(new byte[] { 7, 7, 7 }, ServerEndPoint, CancellationToken.None);
        await ServerReplyAsync(replies: 1);

        using var timeout = new CancellationTokenSource(Wait);
        var datagram = await channel.ReceiveAsync(timeout.Token);

        Assert.Equal(ServerEndPoint, datagram.Source);
        Assert.Equal(new byte[] { 7, 7, 7 }, datagram.Data.ToArray());
    }

    /// <summary>One query and its replies (the first one read); returns the query's source port as the server saw it.</summary>
    private async Task<int> ExchangeAsync(int replies)
    {
        using var channel = _network.OpenUdp(AddressFamily.InterNetwork);
        await channel.SendAsync(new byte[] { 1, 2, 3 }, ServerEndPoint, CancellationToken.None);
        var port = await ServerReplyAsync(replies);
        using var timeout = new CancellationTokenSource(Wait);
        await channel.ReceiveAsync(timeout.Token);
        if (replies > 1)
        {
            // Loopback delivers at once, but give the second datagram time to be queued before Dispose looks.
            await Task.Delay(20);
        }

        return port;
    }

    private async Task<int> ServerReplyAsync(int replies)
    {
        var buffer = new byte[512];
        using var timeout = new CancellationTokenSource(Wait);
        var received = await _server.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
        var client = (IPEndPoint)received.RemoteEndPoint;
        for (var i = 0; i < replies; i++)
        {
            await _server.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), SocketFlags.None, client);
        }

        return client.Port;
    }

    private async Task<int> ServerReceiveAsync()
    {
        var buffer = new byte[512];
        using var timeout = new CancellationTokenSource(Wait);
        var received = await _server.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
        return ((IPEndPoint)received.RemoteEndPoint).Port;
    }
}
