// The real network: System.Net.Sockets, no other dependency.
//
// UDP sockets are reused, one query at a time: creating, binding and closing a socket per query
// costs more than the query itself at a few thousand queries per second. A socket goes back to the
// idle pool only when its last operation was a completed receive and nothing else is waiting in its
// queue, so a late or duplicate datagram can never be read by the next query (a timed-out or failed
// query's socket is closed). Each socket serves a bounded number of queries and is then closed, so
// the source port keeps changing (RFC 5452 §9.2 asks for unpredictable ports as well as ids).
//
// A UDP socket is connected to the destination of its last send: the kernel then drops datagrams
// from anyone else and reports ICMP port unreachable as ConnectionRefused (an unconnected socket on
// Linux hears nothing, so a closed port would look like a timeout).
using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace NsPolicy.Dns.Transport;

/// <summary>UDP and TCP through <see cref="Socket"/>.</summary>
public sealed class SocketDnsNetwork : IDnsNetwork
{
    /// <summary>Idle UDP sockets kept per address family.</summary>
    internal const int MaxIdleSockets = 256;

    /// <summary>Queries one UDP socket serves before it is closed and another port is taken.</summary>
    internal const int MaxQueriesPerSocket = 32;

    private readonly IdlePool _idleV4 = new();
    private readonly IdlePool _idleV6 = new();

    public static SocketDnsNetwork Instance { get; } = new();

    public IUdpChannel OpenUdp(AddressFamily family)
    {
        var pool = family == AddressFamily.InterNetworkV6 ? _idleV6 : _idleV4;
        if (pool.TryTake(out var reused))
        {
            reused.Lease();
            return reused;
        }

        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
            var channel = new SocketUdpChannel(socket, pool);
            channel.Lease();
            return channel;
        }
        catch
        {
            socket.Dispose();
            throw;
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

    private sealed class IdlePool
    {
        private readonly ConcurrentQueue<SocketUdpChannel> _queue = new();
        private int _count;

        public bool TryTake(out SocketUdpChannel channel)
        {
            if (_queue.TryDequeue(out channel!))
            {
                Interlocked.Decrement(ref _count);
                return true;
            }

            return false;
        }

        public bool TryReturn(SocketUdpChannel channel)
        {
            if (Interlocked.Increment(ref _count) > MaxIdleSockets)
            {
                Interlocked.Decrement(ref _count);
                return false;
            }

            _queue.Enqueue(channel);
            return true;
        }
    }

    private sealed class SocketUdpChannel(Socket socket, IdlePool pool) : IUdpChannel
    {
        // Rented: sockets come and go every few dozen queries, and a fresh 64 KiB array each time
        // costs the garbage collector and the kernel (new pages to clear) more than the query.
        private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(65535);
        private readonly SocketAddress _from = new(socket.AddressFamily);
        private int _uses;
        private bool _reusable;
        private bool _closed;
        private IPEndPoint? _destination;
        private SocketAddress? _destinationAddress;

        public void Lease()
        {
            _uses++;
            _reusable = false;
        }

        public async ValueTask SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(destination);
            _reusable = false;
            if (!ReferenceEquals(destination, _destination) && !destination.Equals(_destination))
            {
                await socket.ConnectAsync(destination, cancellationToken).ConfigureAwait(false);
                _destination = destination;
                _destinationAddress = destination.Serialize();
            }

            await socket.SendAsync(datagram, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }

        public async ValueTask<UdpDatagram> ReceiveAsync(CancellationToken cancellationToken)
        {
            _reusable = false;
            var received = await socket.ReceiveFromAsync(_buffer.AsMemory(0, 65535), SocketFlags.None, _from, cancellationToken).ConfigureAwait(false);
            var source = _destination is { } sent && _from.Equals(_destinationAddress)
                ? sent
                : (IPEndPoint)AnyEndPoint().Create(_from);
            var data = _buffer.AsSpan(0, received).ToArray();
            _reusable = true;
            return new UdpDatagram(data, source);
        }

        public void Dispose()
        {
            if (_reusable && _uses < MaxQueriesPerSocket && socket.Available == 0 && pool.TryReturn(this))
            {
                return;
            }

            if (!_closed)
            {
                _closed = true;
                socket.Dispose();
                ArrayPool<byte>.Shared.Return(_buffer);
            }
        }

        private IPEndPoint AnyEndPoint() =>
            new(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
    }
}
