using System.Net;

namespace NsPolicy.Dns.Tests.Lab;

/// <summary>
/// Relays UDP and TCP to a real server and, in every BADVERS answer, puts the query's EDNS version
/// in the answer's OPT record instead of the server's own (0): RFC 6891 §6.1.3 wants the version the
/// responder does implement there.
/// </summary>
internal sealed class BadversVersionRelay : LabRelay
{
    private BadversVersionRelay(IPEndPoint upstream)
        : base(upstream)
    {
    }

    public static LabRelay Start(IPAddress listen, IPAddress server)
    {
        var relay = new BadversVersionRelay(new IPEndPoint(server, 53));
        relay.Listen(listen, tcp: true);
        return relay;
    }

    protected override byte[] Rewrite(byte[] query, byte[] answer)
    {
        // BADVERS is 16: extended RCODE 1 in the OPT record, 0 in the header.
        if (LabRelayWire.QueryOptAt(query) is { } queryOpt && LabRelayWire.ResponseOptAt(answer) is { } answerOpt
            && answer[answerOpt + 5] == 1 && (answer[3] & 0x0F) == 0)
        {
            answer[answerOpt + 6] = query[queryOpt + 6];
        }

        return answer;
    }
}
