using System.Net;

namespace NsPolicy.Dns.Tests.Lab;

/// <summary>Passes DNS messages to a real server and back, optionally clearing AA, optionally over UDP only.</summary>
internal sealed class ForwardingRelay : LabRelay
{
    private readonly bool clearAuthoritative;

    private ForwardingRelay(IPEndPoint upstream, bool clearAuthoritative)
        : base(upstream)
    {
        this.clearAuthoritative = clearAuthoritative;
    }

    /// <summary>Relays UDP (and TCP unless <paramref name="udpOnly"/>) from <paramref name="listen"/> to <paramref name="server"/>.</summary>
    public static LabRelay Start(IPAddress listen, IPAddress server, bool clearAuthoritative, bool udpOnly)
    {
        var relay = new ForwardingRelay(new IPEndPoint(server, 53), clearAuthoritative);
        relay.Listen(listen, tcp: !udpOnly);
        return relay;
    }

    protected override byte[] Rewrite(byte[] query, byte[] answer)
    {
        if (clearAuthoritative && answer.Length >= 12)
        {
            answer[2] &= 0xFB;
        }

        return answer;
    }
}
