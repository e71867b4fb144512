using NsPolicy.Core.Evidence;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Live;

/// <summary>Every nameserver address answers over UDP and over TCP (RFC 7766 makes TCP mandatory).</summary>
public sealed class ReachabilityCheck : ILiveCheck
{
    public static readonly Rule Unreachable = new(
        "CHILD_UNREACHABLE",
        Severity.Error,
        "A nameserver address answers neither over UDP nor over TCP",
        "A server that does not answer at all costs every resolver a timeout before it tries another one, and with it the zone has one server fewer than it seems. Fix the server or the network path, or remove the address from the delegation.");

    public static readonly Rule UdpUnreachable = new(
        "CHILD_UDP_UNREACHABLE",
        Severity.Error,
        "A nameserver address answers over TCP but not over UDP",
        "Nearly every query is sent over UDP first; a server reachable only over TCP is, for most resolvers, not reachable. A firewall dropping UDP port 53 is the usual cause.");

    public static readonly Rule TcpUnreachable = new(
        "CHILD_TCP_UNREACHABLE",
        Severity.Error,
        "A nameserver address answers over UDP but not over TCP",
        "RFC 7766 requires DNS over TCP: large answers (DNSSEC, many records) are truncated over UDP and must be retried over TCP. Without TCP those answers fail. Open TCP port 53 to the server.");

    public IReadOnlyList<Rule> Rules { get; } = [Unreachable, UdpUnreachable, TcpUnreachable];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones)
        {
            foreach (var (nameserver, server) in zone.Servers)
            {
                var udp = server.SoaUdp;
                var tcp = server.SoaTcp;
                var at = zone.NameserverLocation(nameserver.Name);
                var who = LiveZone.Describe(nameserver, server);
                if (udp.IsUnreachable && tcp.IsUnreachable)
                {
                    yield return zone.Finding(Unreachable, at,
                        $"{who} does not answer for zone {zone.Name}: UDP {LiveZone.Outcome(udp)}, TCP {LiveZone.Outcome(tcp)}") with
                    {
                        Expected = "an answer",
                        Subject = $"{nameserver.Name} {server.Address}",
                        Found = $"UDP {LiveZone.Outcome(udp)}, TCP {LiveZone.Outcome(tcp)}",
                    };
                }
                else if (udp.IsUnreachable && tcp.Result != QueryResult.NotAsked)
                {
                    yield return zone.Finding(UdpUnreachable, at,
                        $"{who} does not answer over UDP for zone {zone.Name} ({LiveZone.Outcome(udp)}) but does over TCP") with
                    {
                        Expected = "an answer over UDP",
                        Subject = $"{nameserver.Name} {server.Address}",
                        Found = LiveZone.Outcome(udp),
                    };
                }
                else if (tcp.IsUnreachable && udp.Result != QueryResult.NotAsked)
                {
                    yield return zone.Finding(TcpUnreachable, at,
                        $"{who} does not answer over TCP for zone {zone.Name} ({LiveZone.Outcome(tcp)}) but does over UDP") with
                    {
                        Expected = "an answer over TCP",
                        Subject = $"{nameserver.Name} {server.Address}",
                        Found = LiveZone.Outcome(tcp),
                    };
                }
            }
        }
    }
}
