// The real network: System.Net.Sockets, no other dependency.
using System.Net;
using System.Net.Sockets;

namespace NsPolicy.Dns.Transport;

/// <summary>UDP and TCP through <see cref="Socket"/>.</summary>
public sealed class SocketDnsNetwork : IDnsNetwork
{
    public static SocketDnsNetwork Instance { get; } = new();

    public IUdpChannel OpenUdp(AddressFamily family)
    {
        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
            return new SocketUdpChannel(socket);
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

    /// <summary>
    /// Connected to the destination of its last send: the kernel then drops datagrams from anyone
    /// else and reports ICMP port unreachable as ConnectionRefused (an unconnected socket on Linux
    /// hears nothing, so a closed port would look like a timeout).
    /// </summary>
    private sealed class SocketUdpChannel(Socket socket) : IUdpChannel
    {
        private readonly byte[] buffer = new byte[65535];
        private IPEndPoint? connectedTo;

        public async ValueTask SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(destination);
            if (!destination.Equals(connectedTo))
            {
                await socket.ConnectAsync(destination, cancellationToken).ConfigureAwait(false);
                connectedTo = destination;
            }

            await socket.SendAsync(datagram, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }

        public async ValueTask<UdpDatagram> ReceiveAsync(CancellationToken cancellationToken)
        {
            EndPoint any = socket.AddressFamily == AddressFamily.InterNetworkV6
                ? new IPEndPoint(IPAddress.IPv6Any, 0)
                : new IPEndPoint(IPAddress.Any, 0);
            var result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
            return new UdpDatagram(buffer.AsSpan(0, result.ReceivedBytes).ToArray(), (IPEndPoint)result.RemoteEndPoint);
        }

        public void Dispose() => socket.Dispose();
    }
}
