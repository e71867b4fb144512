using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Live;

/// <summary>An NS record must name a host, not an alias (RFC 2181 §10.3).</summary>
public sealed class NsCnameCheck : ILiveCheck
{
    public static readonly Rule Cname = new(
        "NS_CNAME",
        Severity.Error,
        "A nameserver name is a CNAME",
        "RFC 2181 section 10.3 forbids NS records that point to an alias. Some resolvers follow it, others do not, so the server is reachable for some users only; and whoever controls the alias target controls the zone. Use the canonical host name in the NS record.");

    public IReadOnlyList<Rule> Rules { get; } = [Cname];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones)
        {
            foreach (var nameserver in zone.Evidence.Nameservers.Where(n => n.Resolution.CnameChain.Count > 0))
            {
                var chain = string.Join(" -> ", nameserver.Resolution.CnameChain.Select(n => n.ToString()));
                yield return zone.Finding(Cname, zone.NameserverLocation(nameserver.Name),
                    $"nameserver {nameserver.Name} of zone {zone.Name} is an alias (CNAME -> {chain}), not a host name") with
                {
                    Expected = "A/AAAA records",
                    Found = "CNAME -> " + chain,
                    Subject = nameserver.Name.ToString(),
                };
            }
        }
    }
}
