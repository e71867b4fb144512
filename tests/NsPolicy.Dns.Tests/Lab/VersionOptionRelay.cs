using System.Net;

namespace NsPolicy.Dns.Tests.Lab;

/// <summary>
/// Relays UDP and TCP to a real server; a UDP query with an EDNS version other than 0 that also
/// carries an option goes on as version 0, so it gets an ordinary answer instead of BADVERS. Either
/// alone is relayed as it is: only the combination is mishandled, as by a server that reads a
/// query's options before its version.
/// </summary>
internal sealed class VersionOptionRelay : LabRelay
{
    private VersionOptionRelay(IPEndPoint upstream)
        : base(upstream)
    {
    }

    public static LabRelay Start(IPAddress listen, IPAddress server)
    {
        var relay = new VersionOptionRelay(new IPEndPoint(server, 53));
        relay.Listen(listen, tcp: true);
        return relay;
    }

    protected override byte[]? AnswerUdpQuery(byte[] query)
    {
        if (LabRelayWire.QueryOptAt(query) is { } opt && query[opt + 6] != 0 && LabRelayWire.OptionsLength(query, opt) > 0)
        {
            query[opt + 6] = 0;
        }

        return null;
    }
}
