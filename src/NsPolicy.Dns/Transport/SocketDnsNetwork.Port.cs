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
using System.Net;
using System.Net.Sockets;

namespace NsPolicy.Dns.Transport;

public sealed partial class SocketDnsNetwork
{
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
}
