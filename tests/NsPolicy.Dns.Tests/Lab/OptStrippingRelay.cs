using System.Buffers.Binary;
using System.Net;

namespace NsPolicy.Dns.Tests.Lab;

/// <summary>Relays UDP and TCP to a real server and takes the OPT record out of every answer, as a middlebox that does not know EDNS does.</summary>
internal sealed class OptStrippingRelay : LabRelay
{
    private OptStrippingRelay(IPEndPoint upstream)
        : base(upstream)
    {
    }

    public static LabRelay Start(IPAddress listen, IPAddress server)
    {
        var relay = new OptStrippingRelay(new IPEndPoint(server, 53));
        relay.Listen(listen, tcp: true);
        return relay;
    }

    protected override byte[] Rewrite(byte[] query, byte[] answer)
    {
        if (LabRelayWire.ResponseOptAt(answer) is not { } opt)
        {
            return answer;
        }

        var end = opt + 11 + LabRelayWire.OptionsLength(answer, opt);
        answer = [.. answer.AsSpan(0, opt), .. answer.AsSpan(end)];
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(10), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(10)) - 1));
        return answer;
    }
}
