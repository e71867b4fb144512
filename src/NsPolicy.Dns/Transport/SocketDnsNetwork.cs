// The real network: System.Net.Sockets, no other dependency.
//
// UDP: queries to one server share a few connected sockets ("ports"), each with one receive loop
// that hands every datagram to the query waiting for its id (the pending table of the port). A
// socket per query, or a receive per query, costs more than the query itself at tens of thousands
// of queries per second: the loop reads the datagrams that arrive together one after the other,
// and the waiting query continues on the loop's thread without another wake-up.
//
// A port takes a bounded number of queries and is then retired: it is closed when its last query
// ends, and the next query opens another with a new source port (RFC 5452 §9.2 asks for
// unpredictable ports as well as ids). A port is also retired when a query on it ends without a
// clean exchange (it timed out, failed, or left a datagram unread) and when an id is already
// waiting on it, so a late or duplicate datagram is never read by another query: a datagram whose
// id no query on the port waits for is dropped.
//
// A port is connected to its server: the kernel then drops datagrams from anyone else and reports
// ICMP port unreachable as ConnectionRefused (an unconnected socket on Linux hears nothing, so a
// closed port would look like a timeout); that error goes to every query waiting on the port.
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace NsPolicy.Dns.Transport;

/// <summary>UDP and TCP through <see cref="Socket"/>.</summary>
public sealed class SocketDnsNetwork : IDnsNetwork
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

    /// <summary>One connected UDP socket, its receive loop and its table of waiting queries.</summary>
    private sealed class Port
    {
        private readonly SocketDnsNetwork _network;
        private readonly Socket _socket;
        private readonly Dictionary<ushort, UdpQuery> _pending = [];
        private int _queries;
        private bool _retired;
        private bool _idle;
        private bool _closed;

        public Port(SocketDnsNetwork network, Server server)
        {
            _network = network;
            Server = server;
            _socket = new Socket(server.EndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                _socket.Bind(new IPEndPoint(server.EndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
                _socket.Connect(server.EndPoint);
            }
            catch
            {
                _socket.Dispose();
                throw;
            }
        }

        public Server Server { get; }

        public bool TryRegister(ushort id, UdpQuery query)
        {
            lock (_pending)
            {
                if (_retired || _closed || !_pending.TryAdd(id, query))
                {
                    return false;
                }

                if (_idle)
                {
                    _idle = false;
                    _network.LeaveIdle();
                }

                if (++_queries >= MaxQueriesPerSocket)
                {
                    _retired = true;
                }
            }

            if (Volatile.Read(ref _retired))
            {
                _network.Retire(this);
            }

            return true;
        }

        public void Start() => _ = ReceiveLoopAsync();

        public async ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken)
        {
            try
            {
                await _socket.SendAsync(datagram, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                // The kernel reports an earlier ICMP port unreachable on whichever call comes next: the
                // queries waiting here asked the same closed port and hear it too.
                FailWaiting(e);
                throw;
            }
        }

        private void FailWaiting(SocketException error)
        {
            foreach (var query in Waiting())
            {
                query.Fail(error);
            }
        }

        /// <summary>Ends the wait for <paramref name="id"/>; a port with nothing left waiting closes when retired, else may stay idle.</summary>
        public void Unregister(ushort id, UdpQuery query)
        {
            lock (_pending)
            {
                if (!_pending.TryGetValue(id, out var owner) || !ReferenceEquals(owner, query))
                {
                    return;
                }

                _pending.Remove(id);
                if (_pending.Count > 0 || _closed)
                {
                    return;
                }

                if (!_retired && !_idle && _network.TryKeepIdle())
                {
                    _idle = true;
                    return;
                }

                if (_idle)
                {
                    return;
                }

                _retired = true;
            }

            _network.Retire(this);
        }

        public void Retire()
        {
            lock (_pending)
            {
                _retired = true;
                if (_pending.Count > 0 || _closed)
                {
                    return;
                }

                if (_idle)
                {
                    _idle = false;
                    _network.LeaveIdle();
                }

                _closed = true;
            }

            _socket.Dispose();
        }

        private async Task ReceiveLoopAsync()
        {
            var buffer = ArrayPool<byte>.Shared.Rent(65535);
            try
            {
                while (true)
                {
                    int received;
                    try
                    {
                        received = await _socket.ReceiveAsync(buffer.AsMemory(0, 65535), SocketFlags.None).ConfigureAwait(false);
                    }
                    catch (SocketException e) when (e.SocketErrorCode is not SocketError.OperationAborted and not SocketError.Interrupted && !Volatile.Read(ref _closed))
                    {
                        // ICMP port unreachable or another error for the connected server: every query waiting
                        // here hears it, and the port takes no new query (it closes when the last one ends, which
                        // also ends this loop, so an error that repeats cannot keep it spinning).
                        _network.Retire(this);
                        FailWaiting(e);
                        continue;
                    }

                    UdpQuery? owner = null;
                    if (received >= 2)
                    {
                        lock (_pending)
                        {
                            _pending.TryGetValue(BinaryPrimitives.ReadUInt16BigEndian(buffer), out owner);
                        }
                    }

                    if (owner is null)
                    {
                        // Nobody waits for this id (a late, duplicate or forged datagram): dropped, and the port retired.
                        _network.Retire(this);
                        continue;
                    }

                    owner.Deliver(new UdpDatagram(buffer.AsSpan(0, received).ToArray(), Server.EndPoint));
                }
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                // Closed: the loop ends with the socket.
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        private UdpQuery[] Waiting()
        {
            lock (_pending)
            {
                return [.. _pending.Values];
            }
        }
    }

    /// <summary>
    /// One query's view of the network: the ids it sent, and the datagrams and errors its ports
    /// delivered for them. The waiting query is resumed on the receive loop's thread.
    /// </summary>
    private sealed class UdpQuery(SocketDnsNetwork network) : IUdpChannel, IValueTaskSource<UdpDatagram>
    {
        private readonly List<(Port Port, ushort Id)> _sent = new(1);
        private ManualResetValueTaskSourceCore<UdpDatagram> _core = new() { RunContinuationsAsynchronously = false };
        private Queue<object>? _queued;
        private CancellationTokenRegistration _registration;
        private bool _waiting;
        private bool _clean;
        private bool _disposed;

        public async ValueTask SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(destination);
            ObjectDisposedException.ThrowIf(_disposed, this);
            var id = datagram.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(datagram.Span) : (ushort)0;
            var port = network.Register(destination, id, this);
            lock (this)
            {
                _clean = false;
                _sent.Add((port, id));
            }

            await port.SendAsync(datagram, cancellationToken).ConfigureAwait(false);
        }

        public ValueTask<UdpDatagram> ReceiveAsync(CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            lock (this)
            {
                _clean = false;
                if (_queued is { Count: > 0 } queued)
                {
                    var next = queued.Dequeue();
                    if (next is UdpDatagram ready)
                    {
                        _clean = queued.Count == 0;
                        return ValueTask.FromResult(ready);
                    }

                    return ValueTask.FromException<UdpDatagram>((Exception)next);
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    return ValueTask.FromCanceled<UdpDatagram>(cancellationToken);
                }

                _core.Reset();
                _waiting = true;
            }

            var version = _core.Version;
            if (cancellationToken.CanBeCanceled)
            {
                var registration = cancellationToken.UnsafeRegister(static (state, token) => ((UdpQuery)state!).Cancel(token), this);
                lock (this)
                {
                    if (_waiting)
                    {
                        _registration = registration;
                        registration = default;
                    }
                }

                // Already answered (or cancelled) meanwhile: the registration is not needed.
                registration.Unregister();
            }

            return new ValueTask<UdpDatagram>(this, version);
        }

        public void Deliver(UdpDatagram datagram)
        {
            CancellationTokenRegistration registration;
            lock (this)
            {
                if (!_waiting)
                {
                    _queued ??= new Queue<object>(2);
                    if (_queued.Count < MaxQueued)
                    {
                        _queued.Enqueue(datagram);
                    }

                    _clean = false;
                    return;
                }

                _waiting = false;
                _clean = true;
                registration = _registration;
                _registration = default;
            }

            registration.Unregister();
            _core.SetResult(datagram);
        }

        public void Fail(Exception error)
        {
            CancellationTokenRegistration registration;
            lock (this)
            {
                if (!_waiting)
                {
                    _queued ??= new Queue<object>(2);
                    if (_queued.Count < MaxQueued)
                    {
                        _queued.Enqueue(error);
                    }

                    return;
                }

                _waiting = false;
                registration = _registration;
                _registration = default;
            }

            registration.Unregister();
            _core.SetException(error);
        }

        private void Cancel(CancellationToken token)
        {
            lock (this)
            {
                if (!_waiting)
                {
                    return;
                }

                _waiting = false;
                _registration = default;
            }

            _core.SetException(new OperationCanceledException(token));
        }

        public void Dispose()
        {
            (Port Port, ushort Id)[] sent;
            bool clean;
            CancellationTokenRegistration registration;
            lock (this)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                clean = _clean && _queued is not { Count: > 0 };
                sent = [.. _sent];
                registration = _registration;
                _registration = default;
            }

            registration.Unregister();

            foreach (var (port, id) in sent)
            {
                if (!clean)
                {
                    // A query that timed out, failed or left a datagram unread: its port takes no new query.
                    network.Retire(port);
                }

                port.Unregister(id, this);
            }
        }

        UdpDatagram IValueTaskSource<UdpDatagram>.GetResult(short token) => _core.GetResult(token);

        ValueTaskSourceStatus IValueTaskSource<UdpDatagram>.GetStatus(short token) => _core.GetStatus(token);

        void IValueTaskSource<UdpDatagram>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
