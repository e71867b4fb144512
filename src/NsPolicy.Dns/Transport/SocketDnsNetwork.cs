// The real network: System.Net.Sockets, no other dependency. UDP ports in SocketDnsNetwork.Port.cs,
// each query's view of them in SocketDnsNetwork.UdpQuery.cs.
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace NsPolicy.Dns.Transport;

/// <summary>UDP and TCP through <see cref="Socket"/>.</summary>
public sealed partial class SocketDnsNetwork : IDnsNetwork
{
    /// <summary>Servers for which an idle UDP port is kept open between queries.</summary>
    internal const int MaxIdleSockets = 256;

    /// <summary>Queries one UDP port serves before it is retired and another port is taken.</summary>
    internal const int MaxQueriesPerSocket = 32;

    /// <summary>Datagrams kept for one query that has not asked for them yet; more are dropped.</summary>
    private const int MaxQueued = 8;

    private readonly ConcurrentDictionary<IPEndPoint, Server> _servers = new();
    private int _idle;

    public static SocketDnsNetwork Instance { get; } = new();

    public IUdpChannel OpenUdp(AddressFamily family) => new UdpQuery(this);

    /// <summary>Connects a UDP socket (which sends nothing): it fails at once without a route to the address.</summary>
    public bool CanRoute(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        try
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            socket.Connect(new IPEndPoint(address, 53));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async Task<Stream> ConnectTcpAsync(IPEndPoint server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The port that takes query <paramref name="id"/> to <paramref name="destination"/>, with the query registered on it.</summary>
    private Port Register(IPEndPoint destination, ushort id, UdpQuery query)
    {
        var server = _servers.GetOrAdd(destination, static d => new Server(d));
        lock (server)
        {
            if (server.Current is { } current && current.TryRegister(id, query))
            {
                return current;
            }

            // No port yet, or the current one is retired or has this id waiting: a new port.
            if (server.Current is { } old)
            {
                Retire(old);
            }

            var port = new Port(this, server);
            server.Current = port;
            if (!port.TryRegister(id, query))
            {
                throw new InvalidOperationException("a new UDP port refused its first query");
            }

            port.Start();
            return port;
        }
    }

    /// <summary>No new query goes to <paramref name="port"/>; it closes once its last query ends.</summary>
    private void Retire(Port port)
    {
        var server = port.Server;
        lock (server)
        {
            if (ReferenceEquals(server.Current, port))
            {
                server.Current = null;
            }
        }

        port.Retire();
    }

    /// <summary>Whether a port that has no query left may stay open for the next one (a bounded number may).</summary>
    private bool TryKeepIdle()
    {
        if (Interlocked.Increment(ref _idle) > MaxIdleSockets)
        {
            Interlocked.Decrement(ref _idle);
            return false;
        }

        return true;
    }

    private void LeaveIdle() => Interlocked.Decrement(ref _idle);

    private sealed class Server(IPEndPoint endPoint)
    {
        public IPEndPoint EndPoint { get; } = endPoint;

        /// <summary>The port new queries go to; guarded by locking this object.</summary>
        public Port? Current { get; set; }
    }
}
