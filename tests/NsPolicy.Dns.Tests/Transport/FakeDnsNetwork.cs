using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using NsPolicy.Dns.Transport;

namespace NsPolicy.Dns.Tests.Transport;

/// <summary>
/// A hand-written network for unit tests: records every datagram sent and every TCP connection,
/// and answers with what the test's responder functions return for the parsed query.
/// </summary>
internal sealed class FakeDnsNetwork : IDnsNetwork
{
    private int udpSends;

    /// <summary>Datagrams to deliver for a UDP query sent to the given server; none: silence.</summary>
    public Func<DnsMessage, IPEndPoint, IEnumerable<UdpDatagram>> Udp { get; init; } = (_, _) => [];

    /// <summary>Wire messages (without length prefix) to send back on TCP, after which the server closes.</summary>
    public Func<DnsMessage, IEnumerable<byte[]>> Tcp { get; init; } = _ => [];

    /// <summary>When set, answers all the queries written on a connection at once (pipelining, RFC 7766), instead of <see cref="Tcp"/> per query.</summary>
    public Func<IReadOnlyList<DnsMessage>, IEnumerable<byte[]>>? TcpTogether { get; init; }

    /// <summary>When set, connecting over TCP fails with this error.</summary>
    public SocketError? TcpConnectError { get; init; }

    /// <summary>
    /// When set, TCP connection n (0-based) fails with the n-th error, or never completes when that
    /// is null (its SYN or the reset lost: only the caller's timeout ends it); past the list, as <see cref="TcpConnectError"/> says.
    /// </summary>
    public IReadOnlyList<SocketError?>? TcpConnectSequence { get; init; }

    /// <summary>
    /// When set, waiting for the response to UDP datagram n (0-based, counted over the whole network)
    /// fails with the n-th error, or waits for what <see cref="Udp"/> delivers when that is null; past the list, as <see cref="UdpReceiveError"/> says.
    /// </summary>
    public IReadOnlyList<SocketError?>? UdpReceiveSequence { get; init; }

    /// <summary>When set, waiting for a UDP response fails with this error (ConnectionRefused: ICMP port unreachable).</summary>
    public SocketError? UdpReceiveError { get; init; }

    /// <summary>When set, UDP replies are delivered only once this task completes (a slow server).</summary>
    public Task? HoldReplies { get; init; }

    public ConcurrentQueue<(IPEndPoint Destination, DnsMessage Query)> UdpSent { get; } = new();

    public ConcurrentQueue<IPEndPoint> TcpConnects { get; } = new();

    public ConcurrentQueue<DnsMessage> TcpQueries { get; } = new();

    public int UdpSendCount => Volatile.Read(ref udpSends);

    public int TotalSent => UdpSent.Count + TcpConnects.Count;

    public IUdpChannel OpenUdp(AddressFamily family) => new FakeUdpChannel(this);

    public async Task<Stream> ConnectTcpAsync(IPEndPoint server, CancellationToken cancellationToken)
    {
        TcpConnects.Enqueue(server);
        var connect = TcpConnects.Count - 1;
        if (TcpConnectSequence is { } sequence && connect < sequence.Count)
        {
            if (sequence[connect] is not { } refusal)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            else
            {
                throw new SocketException((int)refusal);
            }
        }

        if (TcpConnectError is { } error)
        {
            throw new SocketException((int)error);
        }

        return new FakeTcpStream(this);
    }

    /// <summary>A response to <paramref name="query"/>: same id and question, QR set.</summary>
    public static DnsMessage Reply(DnsMessage query, params ResourceRecord[] answers) => new()
    {
        Header = new DnsHeader { Id = query.Header.Id, IsResponse = true, IsAuthoritative = true },
        Questions = query.Questions,
        Answers = [.. answers],
    };

    public static UdpDatagram From(IPEndPoint source, DnsMessage message) => new(message.ToWire(), source);

    private sealed class FakeUdpChannel(FakeDnsNetwork network) : IUdpChannel
    {
        private readonly Channel<UdpDatagram> inbox = Channel.CreateUnbounded<UdpDatagram>();

        public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, CancellationToken cancellationToken)
        {
            var query = DnsMessage.FromWire(datagram.Span);
            network.UdpSent.Enqueue((destination, query));
            Interlocked.Increment(ref network.udpSends);
            var replies = network.Udp(query, destination).ToList();
            if (network.HoldReplies is { } hold)
            {
                _ = hold.ContinueWith(_ => Deliver(replies), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }
            else
            {
                Deliver(replies);
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask<UdpDatagram> ReceiveAsync(CancellationToken cancellationToken)
        {
            var sent = network.UdpSendCount - 1;
            var error = network.UdpReceiveSequence is { } sequence && sent < sequence.Count ? sequence[sent] : network.UdpReceiveError;
            return error is { } refusal
                ? ValueTask.FromException<UdpDatagram>(new SocketException((int)refusal))
                : inbox.Reader.ReadAsync(cancellationToken);
        }

        private void Deliver(List<UdpDatagram> replies)
        {
            foreach (var reply in replies)
            {
                inbox.Writer.TryWrite(reply);
            }
        }

        public void Dispose()
        {
        }
    }

    /// <summary>Collects what the client writes; on the first read, answers the framed queries written so far.</summary>
    private sealed class FakeTcpStream(FakeDnsNetwork network) : Stream
    {
        private readonly MemoryStream written = new();
        private MemoryStream? replies;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (replies is null)
            {
                var bytes = written.ToArray();
                var queries = new List<DnsMessage>();
                for (var at = 0; at < bytes.Length;)
                {
                    var length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at));
                    Assert.True(at + 2 + length <= bytes.Length, "a query cut short");
                    var query = DnsMessage.FromWire(bytes.AsSpan(at + 2, length));
                    network.TcpQueries.Enqueue(query);
                    queries.Add(query);
                    at += 2 + length;
                }

                replies = new MemoryStream();
                foreach (var message in network.TcpTogether?.Invoke(queries) ?? queries.SelectMany(network.Tcp))
                {
                    var prefix = new byte[2];
                    BinaryPrimitives.WriteUInt16BigEndian(prefix, (ushort)message.Length);
                    replies.Write(prefix);
                    replies.Write(message);
                }

                replies.Position = 0;
            }

            return replies.Read(buffer, offset, count);
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => written.Write(buffer, offset, count);
    }
}
