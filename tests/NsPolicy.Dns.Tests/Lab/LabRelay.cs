using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace NsPolicy.Dns.Tests.Lab;

/// <summary>
/// In-process stand-ins for faults that no real server can be configured to show. This base
/// listens on UDP and TCP port 53, passes each query to a real server and each answer back through
/// <see cref="Rewrite"/>; each mode is a subclass in a file of its own (<see cref="ForwardingRelay"/>,
/// <see cref="EdnsBrokenRelay"/>, <see cref="PoisoningRelay"/>, <see cref="OptionEchoingRelay"/>,
/// <see cref="OptStrippingRelay"/>). Without a server it is a black hole that takes every query and
/// never answers.
/// </summary>
internal class LabRelay : IAsyncDisposable
{
    private static readonly TimeSpan UpstreamTimeout = TimeSpan.FromSeconds(3);

    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> loops = [];
    private readonly List<IDisposable> resources = [];
    private readonly IPEndPoint? upstream;

    protected LabRelay(IPEndPoint? upstream)
    {
        this.upstream = upstream;
    }

    /// <summary>Binds UDP and TCP port 53 on <paramref name="listen"/>, accepts everything, answers nothing.</summary>
    public static LabRelay StartBlackHole(IPAddress listen)
    {
        var relay = new LabRelay(null);
        relay.Listen(listen, tcp: true);
        return relay;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        lock (resources)
        {
            foreach (var resource in resources)
            {
                resource.Dispose();
            }
        }

        try
        {
            await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or TimeoutException)
        {
            // The loops end by their sockets being closed under them.
        }

        stop.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts relaying UDP (and TCP when <paramref name="tcp"/>) that arrives at <paramref name="listen"/>.</summary>
    protected void Listen(IPAddress listen, bool tcp)
    {
        var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        Keep(udp);
        udp.Bind(new IPEndPoint(listen, 53));
        loops.Add(Task.Run(() => UdpLoopAsync(udp)));
        if (tcp)
        {
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            Keep(listener);
            listener.Bind(new IPEndPoint(listen, 53));
            listener.Listen(16);
            loops.Add(Task.Run(() => TcpAcceptLoopAsync(listener)));
        }
    }

    /// <summary>
    /// A UDP query before it is relayed: an answer to send instead of relaying it, or null to relay
    /// it (the mode may change it in place first). TCP queries are always relayed as they are.
    /// </summary>
    protected virtual byte[]? AnswerUdpQuery(byte[] query) => null;

    /// <summary>What goes back to the client for <paramref name="answer"/>, the server's answer to <paramref name="query"/>.</summary>
    protected virtual byte[] Rewrite(byte[] query, byte[] answer) => answer;

    private void Keep(IDisposable resource)
    {
        lock (resources)
        {
            resources.Add(resource);
        }
    }

    private async Task UdpLoopAsync(Socket udp)
    {
        var buffer = new byte[65535];
        while (!stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stop.Token).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                continue;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            if (upstream is null)
            {
                continue;
            }

            var query = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
            var client = received.RemoteEndPoint;
            _ = Task.Run(() => RelayDatagramAsync(udp, query, client));
        }
    }

    private async Task RelayDatagramAsync(Socket udp, byte[] query, EndPoint client)
    {
        try
        {
            if (AnswerUdpQuery(query) is { } instead)
            {
                await udp.SendToAsync(instead, SocketFlags.None, client, stop.Token).ConfigureAwait(false);
                return;
            }

            using var outbound = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            limit.CancelAfter(UpstreamTimeout);
            await outbound.ConnectAsync(upstream!, limit.Token).ConfigureAwait(false);
            await outbound.SendAsync(query, SocketFlags.None, limit.Token).ConfigureAwait(false);
            var buffer = new byte[65535];
            var length = await outbound.ReceiveAsync(buffer, SocketFlags.None, limit.Token).ConfigureAwait(false);
            var answer = Rewrite(query, buffer.AsSpan(0, length).ToArray());
            await udp.SendToAsync(answer, SocketFlags.None, client, stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // An unanswered relayed query is what a client sees as a timeout, which is fine here.
        }
    }

    private async Task TcpAcceptLoopAsync(Socket listener)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await listener.AcceptAsync(stop.Token).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                continue;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            Keep(connection);
            if (upstream is not null)
            {
                _ = Task.Run(() => RelayConnectionAsync(connection));
            }
        }
    }

    private async Task RelayConnectionAsync(Socket connection)
    {
        try
        {
            using (connection)
            using (var outbound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            {
                await outbound.ConnectAsync(upstream!, stop.Token).ConfigureAwait(false);
                while (true)
                {
                    var query = await ReadFramedAsync(connection).ConfigureAwait(false);
                    if (query is null)
                    {
                        return;
                    }

                    await WriteFramedAsync(outbound, query).ConfigureAwait(false);
                    using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                    limit.CancelAfter(UpstreamTimeout);
                    var answer = await ReadFramedAsync(outbound).WaitAsync(limit.Token).ConfigureAwait(false);
                    if (answer is null)
                    {
                        return;
                    }

                    await WriteFramedAsync(connection, Rewrite(query, answer)).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client or the server went away.
        }
    }

    /// <summary>RFC 1035 §4.2.2: two-byte length, then the message. Null at a clean end of stream.</summary>
    private async Task<byte[]?> ReadFramedAsync(Socket socket)
    {
        var prefix = new byte[2];
        if (!await ReadExactlyAsync(socket, prefix).ConfigureAwait(false))
        {
            return null;
        }

        var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        return await ReadExactlyAsync(socket, message).ConfigureAwait(false) ? message : null;
    }

    private async Task<bool> ReadExactlyAsync(Socket socket, byte[] buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, stop.Token).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    private async Task WriteFramedAsync(Socket socket, byte[] message)
    {
        var framed = new byte[message.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
        message.CopyTo(framed, 2);
        await socket.SendAsync(framed, SocketFlags.None, stop.Token).ConfigureAwait(false);
    }
}
