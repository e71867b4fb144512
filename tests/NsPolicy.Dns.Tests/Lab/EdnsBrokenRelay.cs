using System.Net;

namespace NsPolicy.Dns.Tests.Lab;

/// <summary>
/// Relays UDP and TCP to a real server, mishandling EDNS over UDP: a query with an EDNS version
/// other than 0 goes on as version 0, and a query carrying an EDNS option gets FORMERR.
/// </summary>
internal sealed class EdnsBrokenRelay : LabRelay
{
    private EdnsBrokenRelay(IPEndPoint upstream)
        : base(upstream)
    {
    }

    public static LabRelay Start(IPAddress listen, IPAddress server)
    {
        var relay = new EdnsBrokenRelay(new IPEndPoint(server, 53));
        relay.Listen(listen, tcp: true);
        return relay;
    }

    protected override byte[]? AnswerUdpQuery(byte[] query)
    {
        if (LabRelayWire.QueryOptAt(query) is not { } opt)
        {
            return null;
        }

        if (LabRelayWire.OptionsLength(query, opt) > 0)
        {
            return LabRelayWire.FormErr(query, opt);
        }

        query[opt + 6] = 0;
        return null;
    }
}
