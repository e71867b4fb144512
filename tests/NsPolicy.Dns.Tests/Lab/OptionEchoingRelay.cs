using System.Buffers.Binary;
using System.Net;

namespace NsPolicy.Dns.Tests.Lab;

/// <summary>
/// Relays UDP and TCP to a real server and copies the EDNS options of each query into the OPT
/// record of its answer: options it does not know come back, as RFC 6891 §6.1.2 says they must not.
/// </summary>
internal sealed class OptionEchoingRelay : LabRelay
{
    private OptionEchoingRelay(IPEndPoint upstream)
        : base(upstream)
    {
    }

    public static LabRelay Start(IPAddress listen, IPAddress server)
    {
        var relay = new OptionEchoingRelay(new IPEndPoint(server, 53));
        relay.Listen(listen, tcp: true);
        return relay;
    }

    protected override byte[] Rewrite(byte[] query, byte[] answer)
    {
        if (LabRelayWire.QueryOptAt(query) is not { } queryOpt || LabRelayWire.ResponseOptAt(answer) is not { } answerOpt)
        {
            return answer;
        }

        var options = query.AsSpan(queryOpt + 11, LabRelayWire.OptionsLength(query, queryOpt));
        var end = answerOpt + 11 + LabRelayWire.OptionsLength(answer, answerOpt);
        var echoed = new byte[answer.Length + options.Length];
        answer.AsSpan(0, end).CopyTo(echoed);
        options.CopyTo(echoed.AsSpan(end));
        answer.AsSpan(end).CopyTo(echoed.AsSpan(end + options.Length));
        BinaryPrimitives.WriteUInt16BigEndian(echoed.AsSpan(answerOpt + 9), (ushort)(end - answerOpt - 11 + options.Length));
        return echoed;
    }
}
