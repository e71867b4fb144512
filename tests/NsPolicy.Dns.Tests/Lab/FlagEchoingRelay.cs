using System.Net;

namespace NsPolicy.Dns.Tests.Lab;

/// <summary>
/// Relays UDP and TCP to a real server and copies the EDNS flag bits of each query other than DO
/// (the undefined Z bits) into the OPT record of its answer, as RFC 6891 §6.1.4 says a server must not.
/// </summary>
internal sealed class FlagEchoingRelay : LabRelay
{
    private FlagEchoingRelay(IPEndPoint upstream)
        : base(upstream)
    {
    }

    public static LabRelay Start(IPAddress listen, IPAddress server)
    {
        var relay = new FlagEchoingRelay(new IPEndPoint(server, 53));
        relay.Listen(listen, tcp: true);
        return relay;
    }

    protected override byte[] Rewrite(byte[] query, byte[] answer)
    {
        if (LabRelayWire.QueryOptAt(query) is { } queryOpt && LabRelayWire.ResponseOptAt(answer) is { } answerOpt)
        {
            // Flags are the last two octets of the OPT TTL; DO is the top bit of the first.
            answer[answerOpt + 7] |= (byte)(query[queryOpt + 7] & 0x7F);
            answer[answerOpt + 8] |= query[queryOpt + 8];
        }

        return answer;
    }
}
