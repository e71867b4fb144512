using System.Buffers.Binary;
using System.Net;

namespace NsPolicy.Dns.Tests.Lab;

/// <summary>
/// Relays UDP and TCP to a real server, but answers a UDP query that offers room for 512 octets or
/// less itself: TC set, the question and no records, and no OPT record, as a middlebox that enforces
/// 512 octets and drops OPT does (RFC 6891 §7 wants the OPT record kept in a truncated answer).
/// </summary>
internal sealed class TruncatingRelay : LabRelay
{
    private TruncatingRelay(IPEndPoint upstream)
        : base(upstream)
    {
    }

    public static LabRelay Start(IPAddress listen, IPAddress server)
    {
        var relay = new TruncatingRelay(new IPEndPoint(server, 53));
        relay.Listen(listen, tcp: true);
        return relay;
    }

    protected override byte[]? AnswerUdpQuery(byte[] query)
    {
        if (LabRelayWire.QueryOptAt(query) is not { } opt || BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(opt + 3)) > 512)
        {
            return null;
        }

        // Header and question; QR, AA and TC set, RD kept; NOERROR; no answer, authority or additional records.
        var answer = query.AsSpan(0, opt).ToArray();
        answer[2] = (byte)((answer[2] & 0x01) | 0x80 | 0x04 | 0x02);
        answer[3] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(10), 0);
        return answer;
    }
}
