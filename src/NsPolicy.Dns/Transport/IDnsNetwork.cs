// The seam between the transport and the operating system's sockets. The transport does all the
// protocol work (ids, question matching, framing, retries); implementations only move bytes, so
// tests can replace them with small hand-written fakes.
using System.Net;
using System.Net.Sockets;

namespace NsPolicy.Dns.Transport;

/// <summary>Opens UDP channels and TCP connections. The real one is <see cref="SocketDnsNetwork"/>.</summary>
public interface IDnsNetwork
{
    /// <summary>An unconnected UDP channel for one query (possibly several attempts).</summary>
    IUdpChannel OpenUdp(AddressFamily family);

    /// <summary>A connected TCP stream to <paramref name="server"/>; the caller disposes it.</summary>
    Task<Stream> ConnectTcpAsync(IPEndPoint server, CancellationToken cancellationToken);

    /// <summary>Whether this host has a route to <paramref name="address"/> (nothing is sent).</summary>
    bool CanRoute(IPAddress address) => true;
}

/// <summary>A UDP socket: send datagrams, receive datagrams with the address they came from.</summary>
public interface IUdpChannel : IDisposable
{
    ValueTask SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, CancellationToken cancellationToken);

    /// <summary>Waits for the next datagram from anyone; cancellation ends the wait.</summary>
    ValueTask<UdpDatagram> ReceiveAsync(CancellationToken cancellationToken);
}

/// <summary>One received datagram and its source.</summary>
public sealed record UdpDatagram(ReadOnlyMemory<byte> Data, IPEndPoint Source);
