using System.Runtime.InteropServices;

namespace NsPolicy.Lab.Delay;

/// <summary>A failure of the netfilter queue: a system call or the kernel said no. Its message names what was tried.</summary>
internal sealed class NetfilterQueueException(string message) : Exception(message);

/// <summary>
/// One netfilter queue of this network namespace, bound through a NETLINK_NETFILTER socket (raw
/// system calls: .NET's sockets know no netlink family). Packets an iptables NFQUEUE rule sends to
/// the queue wait in the kernel until a verdict for their id comes back. One thread receives
/// (<see cref="Receive"/>), another may send verdicts (<see cref="SendVerdicts"/>) at the same time.
/// </summary>
internal sealed class NetfilterQueue : IDisposable
{
    private const int NetlinkFamily = 16; // AF_NETLINK
    private const int NetlinkNetfilter = 12; // NETLINK_NETFILTER
    private const int SocketRaw = 3; // SOCK_RAW
    private const int CloseOnExec = 0x80000; // SOCK_CLOEXEC: the commands of the lab must not inherit it
    private const int SocketLevel = 1; // SOL_SOCKET
    private const int ReceiveBuffer = 8; // SO_RCVBUF
    private const int ReceiveBufferForce = 33; // SO_RCVBUFFORCE (root: past net.core.rmem_max)
    private const int ReceiveTimeout = 20; // SO_RCVTIMEO
    private const int Truncated = 0x20; // MSG_TRUNC: recv returns the datagram's real length
    private const int Interrupted = 4; // EINTR
    private const int WouldBlock = 11; // EAGAIN: the receive timeout passed
    private const int NoBufferSpace = 105; // ENOBUFS: the kernel could not hand over messages

    private readonly int socket;
    private readonly ushort queue;
    private readonly byte[] receiveBuffer = new byte[256 * 1024];
    private uint sequence;

    private NetfilterQueue(int socket, ushort queue)
    {
        this.socket = socket;
        this.queue = queue;
    }

    public ushort Number => queue;

    /// <summary>
    /// Opens a netlink socket with a receive buffer of <paramref name="receiveBufferBytes"/>, binds
    /// queue <paramref name="queue"/> in copy-metadata mode with room for <paramref name="maxLength"/>
    /// packets, and waits for the kernel's acknowledgements. <paramref name="tick"/> bounds a wait in
    /// <see cref="Receive"/>, so that the caller can look at its stop flag.
    /// </summary>
    public static NetfilterQueue Bind(ushort queue, uint maxLength, int receiveBufferBytes, TimeSpan tick)
    {
        var fd = Socket(NetlinkFamily, SocketRaw | CloseOnExec, NetlinkNetfilter);
        if (fd < 0)
        {
            throw Failure("socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER)");
        }

        var opened = new NetfilterQueue(fd, queue);
        try
        {
            opened.Configure(maxLength, receiveBufferBytes, tick);
            return opened;
        }
        catch
        {
            opened.Dispose();
            throw;
        }
    }

    private void Configure(uint maxLength, int receiveBufferBytes, TimeSpan tick)
    {
        var size = receiveBufferBytes;
        if (SetOption(socket, SocketLevel, ReceiveBufferForce, ref size, sizeof(int)) != 0 &&
            SetOption(socket, SocketLevel, ReceiveBuffer, ref size, sizeof(int)) != 0)
        {
            throw Failure($"setsockopt(SO_RCVBUF {receiveBufferBytes})");
        }

        var interval = new TimeValue { Seconds = tick.Ticks / TimeSpan.TicksPerSecond, Microseconds = tick.Ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMicrosecond };
        if (SetTimeOption(socket, SocketLevel, ReceiveTimeout, ref interval, Marshal.SizeOf<TimeValue>()) != 0)
        {
            throw Failure("setsockopt(SO_RCVTIMEO)");
        }

        // struct sockaddr_nl: family, padding, port id 0 (the kernel picks one), no multicast groups.
        var address = new byte[12];
        address[0] = NetlinkFamily;
        if (BindSocket(socket, address, address.Length) != 0)
        {
            throw Failure("bind(AF_NETLINK)");
        }

        Request(NfqueueMessages.Bind(++sequence, queue), $"binding netfilter queue {queue}");
        Request(NfqueueMessages.Parameters(++sequence, queue, maxLength), $"configuring netfilter queue {queue} (copy metadata, {maxLength} packets)");
    }

    /// <summary>Sends one acknowledged request and waits for its acknowledgement; a refusal throws, naming <paramref name="what"/>.</summary>
    private void Request(byte[] message, string what)
    {
        Send(message, message.Length, what);
        var expected = sequence;
        while (true)
        {
            var length = ReceiveOnce(what);
            if (length is null)
            {
                continue;
            }

            foreach (var received in NfqueueMessages.Split(receiveBuffer, length.Value))
            {
                if (received.Type != NfqueueMessages.Error)
                {
                    continue;
                }

                var (errno, about) = NfqueueMessages.ReadError(received.Payload);
                if (about != expected)
                {
                    continue;
                }

                if (errno != 0)
                {
                    throw new NetfilterQueueException($"{what}: the kernel refused: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})"
                        + (errno == 1 ? "; another process holds this queue in this network namespace, or this one lacks CAP_NET_ADMIN" : ""));
                }

                return;
            }
        }
    }

    /// <summary>
    /// Waits up to one tick for the kernel's next datagram and hands each queued packet's id to
    /// <paramref name="onPacket"/>. Returns false when the tick passed with nothing. Throws on a
    /// netlink error message or a failed receive; <paramref name="onOverrun"/> is told when the
    /// kernel could not hand over messages (ENOBUFS: packets were lost in the kernel, not by intent).
    /// </summary>
    public bool Receive(Action<uint> onPacket, Action onOverrun)
    {
        int? length;
        try
        {
            length = ReceiveOnce("receiving queued packets");
        }
        catch (NoBufferSpaceException)
        {
            onOverrun();
            return true;
        }

        if (length is null)
        {
            return false;
        }

        foreach (var message in NfqueueMessages.Split(receiveBuffer, length.Value))
        {
            switch (message.Type)
            {
                case NfqueueMessages.Packet:
                    onPacket(NfqueueMessages.ReadPacketId(message.Payload));
                    break;
                case NfqueueMessages.Error:
                    var (errno, about) = NfqueueMessages.ReadError(message.Payload);
                    if (errno != 0)
                    {
                        throw new NetfilterQueueException($"netfilter queue {queue}: the kernel refused message {about}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
                    }

                    break;
                case NfqueueMessages.Overrun:
                    onOverrun();
                    break;
            }
        }

        return true;
    }

    /// <summary>Sends the verdicts in <paramref name="batch"/> (whole messages, back to back) in one datagram.</summary>
    public void SendVerdicts(byte[] batch, int length) => Send(batch, length, $"sending verdicts to netfilter queue {queue}");

    /// <summary>Writes an NF_ACCEPT verdict for packet <paramref name="id"/> into <paramref name="destination"/>; returns its length.</summary>
    public int WriteAccept(Span<byte> destination, uint id) =>
        NfqueueMessages.WriteVerdict(destination, Interlocked.Increment(ref sequence), queue, id, NfqueueMessages.Accept);

    public void Dispose() => _ = Close(socket);

    private void Send(byte[] data, int length, string what)
    {
        while (true)
        {
            var sent = SendTo(socket, data, length, 0);
            if (sent == length)
            {
                return;
            }

            if (sent < 0 && Marshal.GetLastPInvokeError() == Interrupted)
            {
                continue;
            }

            throw sent < 0 ? Failure(what) : new NetfilterQueueException($"{what}: sent {sent} of {length} bytes");
        }
    }

    /// <summary>The length of the next datagram, or null when the receive timeout passed.</summary>
    private int? ReceiveOnce(string what)
    {
        while (true)
        {
            var length = ReceiveFrom(socket, receiveBuffer, receiveBuffer.Length, Truncated);
            if (length > receiveBuffer.Length)
            {
                throw new NetfilterQueueException($"{what}: a datagram of {length} bytes, more than the buffer's {receiveBuffer.Length}");
            }

            if (length >= 0)
            {
                return (int)length;
            }

            switch (Marshal.GetLastPInvokeError())
            {
                case Interrupted:
                    continue;
                case WouldBlock:
                    return null;
                case NoBufferSpace:
                    throw new NoBufferSpaceException();
                default:
                    throw Failure(what);
            }
        }
    }

    private static NetfilterQueueException Failure(string what)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new NetfilterQueueException($"{what}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
    }

    private sealed class NoBufferSpaceException : Exception;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeValue
    {
        public long Seconds;
        public long Microseconds;
    }

    [DllImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static extern int Socket(int domain, int type, int protocol);

    [DllImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static extern int SetOption(int socket, int level, int name, ref int value, int length);

    [DllImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static extern int SetTimeOption(int socket, int level, int name, ref TimeValue value, int length);

    [DllImport("libc", EntryPoint = "bind", SetLastError = true)]
    private static extern int BindSocket(int socket, byte[] address, int length);

    [DllImport("libc", EntryPoint = "send", SetLastError = true)]
    private static extern nint SendTo(int socket, byte[] data, nint length, int flags);

    [DllImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static extern nint ReceiveFrom(int socket, byte[] buffer, nint length, int flags);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int socket);
}
