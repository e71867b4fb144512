using System.Net.Sockets;
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Live;

/// <summary>
/// At least one nameserver of the zone answers over IPv6; and a run that could not ask IPv6 says so
/// once, as a finding of the policy as a whole (the host, not a zone, lacks IPv6: it must not open an
/// issue for whichever zone came first).
/// </summary>
public sealed class IPv6Check : ILiveCheck
{
    public static readonly Rule NoIPv6 = new(
        "NS_NO_IPV6",
        Severity.Notice,
        "No nameserver of the zone answers over IPv6",
        "Clients and resolvers on IPv6-only networks (many mobile networks, behind NAT64/DNS64 only with help) reach a zone only through nameservers with IPv6 addresses. None of this zone's nameservers has an IPv6 address that answered for it. Give at least one nameserver an AAAA record (and glue, when it is inside the zone). Off with --ipv6 off.");

    public static readonly Rule Untested = new(
        "NS_IPV6_UNTESTED",
        Severity.Notice,
        "This host cannot reach IPv6, so no IPv6 address was asked",
        "With --ipv6 auto (the default) nspolicy first checks whether this run may reach the first IPv6 root server: the host has a route to it, and NSPOLICY_LOOPBACK_ONLY (with NSPOLICY_ALLOW_PREFIXES) does not keep it in; it may not, so IPv6 addresses of parent servers and nameservers were recorded but not asked, and nothing is said about them. Run on a host with IPv6 (or --ipv6 on) to check them, or --ipv6 off to say it is deliberate.");

    public IReadOnlyList<Rule> Rules { get; } = [NoIPv6, Untested];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        if (context.Evidence.IPv6 == IPv6Use.Unavailable && context.Zones.Count > 0)
        {
            var at = context.Policy.Settings.IPv6?.Position is { } written
                ? new SourceLocation(context.Policy.File, written)
                : new SourceLocation(context.Policy.File, 1, 1);
            yield return new Finding(Untested.Code, at,
                "this run cannot reach IPv6 (no route to it, or NSPOLICY_LOOPBACK_ONLY keeps queries in), so the IPv6 addresses of parent servers and nameservers were not asked (--ipv6 on to ask them anyway, --ipv6 off to silence this)");
        }

        if (context.Evidence.IPv6 != IPv6Use.Asked)
        {
            yield break;
        }

        foreach (var zone in context.Zones.Where(z => z.Servers.Count > 0))
        {
            var v6 = zone.Servers.Where(x => x.Server.Address.AddressFamily == AddressFamily.InterNetworkV6).ToList();
            if (v6.Any(x => x.Server.SoaUdp.IsAuthoritativeAnswer || x.Server.SoaTcp.IsAuthoritativeAnswer))
            {
                continue;
            }

            yield return zone.Finding(NoIPv6, zone.NameserversLocation,
                v6.Count == 0
                    ? $"no nameserver of zone {zone.Name} has an IPv6 address"
                    : $"none of the IPv6 addresses of the nameservers of zone {zone.Name} answers for it ({string.Join(", ", v6.Select(x => LiveZone.Describe(x.Nameserver, x.Server)))})") with
            {
                Expected = "at least one nameserver that answers over IPv6",
                Found = v6.Count == 0 ? "no IPv6 address" : "no IPv6 answer",
            };
        }
    }
}
