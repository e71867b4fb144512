using System.Buffers.Binary;

namespace NsPolicy.Lab.Delay;

/// <summary>
/// The netlink messages of a netfilter queue (Linux uapi: linux/netlink.h, linux/netfilter/nfnetlink.h,
/// linux/netfilter/nfnetlink_queue.h). A message is a netlink header (host byte order), an nfgenmsg
/// (family, version, big-endian queue number) and attributes (length, type, value padded to 4);
/// the values of the queue's own attributes are big-endian.
/// </summary>
internal static class NfqueueMessages
{
    public const int HeaderLength = 16;
    private const int NfgenLength = 4;

    // linux/netlink.h
    public const ushort Error = 2;
    public const ushort Done = 3;
    public const ushort Overrun = 4;
    private const ushort Request = 0x1;
    private const ushort Acknowledge = 0x4;

    // linux/netfilter/nfnetlink.h: message type = subsystem << 8 | operation.
    private const int SubsystemQueue = 3;
    public const ushort Packet = SubsystemQueue << 8 | 0;
    private const ushort Verdict = SubsystemQueue << 8 | 1;
    private const ushort Config = SubsystemQueue << 8 | 2;

    // linux/netfilter/nfnetlink_queue.h
    private const ushort PacketHeaderAttribute = 1;
    private const ushort VerdictHeaderAttribute = 2;
    private const ushort ConfigCommandAttribute = 1;
    private const ushort ConfigParamsAttribute = 2;
    private const ushort ConfigQueueMaxLengthAttribute = 3;
    private const ushort ConfigMaskAttribute = 4;
    private const ushort ConfigFlagsAttribute = 5;
    private const byte CommandBind = 1;
    private const byte CopyMeta = 1;

    /// <summary>NFQA_CFG_F_GSO: the kernel may queue a large (GSO) packet whole instead of cutting it up first.</summary>
    private const uint FlagGso = 1 << 2;

    /// <summary>NFQA_CFG_F_FAIL_OPEN: accept instead of drop when the queue is full. Never set: the delayer fails closed.</summary>
    private const uint FlagFailOpen = 1 << 0;

    /// <summary>netfilter's verdicts (linux/netfilter.h).</summary>
    public const uint Accept = 1;

    /// <summary>The longest verdict message: header, nfgenmsg, one 8-byte attribute.</summary>
    public const int VerdictLength = HeaderLength + NfgenLength + 4 + 8;

    /// <summary>NFQNL_MSG_CONFIG: NFQNL_CFG_CMD_BIND for <paramref name="queue"/> (struct nfqnl_msg_config_cmd: command, pad, pf), acknowledged.</summary>
    public static byte[] Bind(uint sequence, ushort queue) =>
        Message(Config, Request | Acknowledge, sequence, queue, [(ConfigCommandAttribute, [CommandBind, 0, 0, 0])]);

    /// <summary>
    /// NFQNL_MSG_CONFIG: copy metadata only (the delayer needs the packet id, never the bytes), a
    /// queue of <paramref name="maxLength"/> packets, GSO packets whole and fail-open off; acknowledged.
    /// </summary>
    public static byte[] Parameters(uint sequence, ushort queue, uint maxLength)
    {
        var parameters = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(parameters, 0);
        parameters[4] = CopyMeta;
        return Message(Config, Request | Acknowledge, sequence, queue, [
            (ConfigParamsAttribute, parameters),
            (ConfigQueueMaxLengthAttribute, BigEndian(maxLength)),
            (ConfigMaskAttribute, BigEndian(FlagGso | FlagFailOpen)),
            (ConfigFlagsAttribute, BigEndian(FlagGso)),
        ]);
    }

    /// <summary>Writes NFQNL_MSG_VERDICT (<paramref name="verdict"/> for packet <paramref name="id"/>) at the start of <paramref name="destination"/>; returns its length.</summary>
    public static int WriteVerdict(Span<byte> destination, uint sequence, ushort queue, uint id, uint verdict)
    {
        var message = destination[..VerdictLength];
        WriteHeader(message, Verdict, Request, sequence, queue);
        // NFQA_VERDICT_HDR: struct nfqnl_msg_verdict_hdr, big-endian verdict then id.
        var attribute = message[(HeaderLength + NfgenLength)..];
        BinaryPrimitives.WriteUInt16LittleEndian(attribute, 4 + 8);
        BinaryPrimitives.WriteUInt16LittleEndian(attribute[2..], VerdictHeaderAttribute);
        BinaryPrimitives.WriteUInt32BigEndian(attribute[4..], verdict);
        BinaryPrimitives.WriteUInt32BigEndian(attribute[8..], id);
        return VerdictLength;
    }

    /// <summary>
    /// The messages of one datagram from the kernel, in order. Throws <see cref="InvalidDataException"/>
    /// on a length that does not fit (the kernel never sends one; a bug here must not read past the data).
    /// </summary>
    public static IEnumerable<ReceivedMessage> Split(byte[] data, int length)
    {
        var offset = 0;
        while (offset + HeaderLength <= length)
        {
            var messageLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset));
            if (messageLength < HeaderLength || messageLength > length - offset)
            {
                throw new InvalidDataException($"netlink message at offset {offset} claims {messageLength} bytes; {length - offset} are left");
            }

            var type = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(offset + 4));
            var sequence = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset + 8));
            yield return new ReceivedMessage(type, sequence, new ArraySegment<byte>(data, offset + HeaderLength, messageLength - HeaderLength));
            offset += Align(messageLength);
        }
    }

    /// <summary>NLMSG_ERROR's payload: a negative errno (0: an acknowledgement), then the request's header.</summary>
    public static (int Errno, uint Sequence) ReadError(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 4 + HeaderLength)
        {
            throw new InvalidDataException($"netlink error message of {payload.Length} bytes; at least {4 + HeaderLength} expected");
        }

        return (-BinaryPrimitives.ReadInt32LittleEndian(payload), BinaryPrimitives.ReadUInt32LittleEndian(payload[(4 + 8)..]));
    }

    /// <summary>The packet id of NFQNL_MSG_PACKET (NFQA_PACKET_HDR: big-endian id, hardware protocol, hook).</summary>
    public static uint ReadPacketId(ReadOnlySpan<byte> payload)
    {
        var offset = NfgenLength;
        while (offset + 4 <= payload.Length)
        {
            var attributeLength = BinaryPrimitives.ReadUInt16LittleEndian(payload[offset..]);
            var attributeType = BinaryPrimitives.ReadUInt16LittleEndian(payload[(offset + 2)..]) & 0x3fff;
            if (attributeLength < 4 || attributeLength > payload.Length - offset)
            {
                throw new InvalidDataException($"queued-packet attribute at offset {offset} claims {attributeLength} bytes; {payload.Length - offset} are left");
            }

            if (attributeType == PacketHeaderAttribute)
            {
                if (attributeLength < 4 + 7)
                {
                    throw new InvalidDataException($"NFQA_PACKET_HDR of {attributeLength - 4} bytes; 7 expected");
                }

                return BinaryPrimitives.ReadUInt32BigEndian(payload[(offset + 4)..]);
            }

            offset += Align(attributeLength);
        }

        throw new InvalidDataException("a queued packet without NFQA_PACKET_HDR");
    }

    private static byte[] Message(ushort type, ushort flags, uint sequence, ushort queue, IReadOnlyList<(ushort Type, byte[] Value)> attributes)
    {
        var length = HeaderLength + NfgenLength + attributes.Sum(a => Align(4 + a.Value.Length));
        var message = new byte[length];
        var span = message.AsSpan();
        WriteHeader(span, type, flags, sequence, queue);
        var offset = HeaderLength + NfgenLength;
        foreach (var (attributeType, value) in attributes)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span[offset..], (ushort)(4 + value.Length));
            BinaryPrimitives.WriteUInt16LittleEndian(span[(offset + 2)..], attributeType);
            value.CopyTo(span[(offset + 4)..]);
            offset += Align(4 + value.Length);
        }

        return message;
    }

    /// <summary>struct nlmsghdr (length, type, flags, sequence, port id 0: to the kernel) and struct nfgenmsg (AF_UNSPEC, NFNETLINK_V0, the queue big-endian).</summary>
    private static void WriteHeader(Span<byte> message, ushort type, ushort flags, uint sequence, ushort queue)
    {
        message[..(HeaderLength + NfgenLength)].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)message.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(message[6..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(message[8..], sequence);
        BinaryPrimitives.WriteUInt16BigEndian(message[(HeaderLength + 2)..], queue);
    }

    private static byte[] BigEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static int Align(int length) => (length + 3) & ~3;
}

/// <summary>One netlink message from the kernel: its type, sequence number and what follows the header.</summary>
internal readonly record struct ReceivedMessage(ushort Type, uint Sequence, ArraySegment<byte> Payload);
