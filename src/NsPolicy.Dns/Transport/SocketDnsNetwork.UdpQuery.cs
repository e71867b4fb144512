using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace NsPolicy.Dns.Transport;

// The per-query side of SocketDnsNetwork: the ids a query sent and what its ports delivered.
public sealed partial class SocketDnsNetwork
{
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
