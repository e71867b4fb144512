using NsPolicy.Core.Evidence;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Live;

/// <summary>
/// Every nameserver name resolves to an address, and the domain it belongs to exists. A name
/// whose domain does not exist can be registered by anyone, who then answers for the zone
/// ("dangling delegation", the "Sitting Ducks" takeover).
/// </summary>
public sealed class NsResolutionCheck : ILiveCheck
{
    public static readonly Rule Unresolvable = new(
        "NS_UNRESOLVABLE",
        Severity.Error,
        "A nameserver name does not resolve to an address",
        "A nameserver without an address is never asked, so the zone has one server fewer than its delegation says; resolvers still spend time trying it. Add the A/AAAA records of the server, or remove it from the delegation.");

    public static readonly Rule DomainMissing = new(
        "NS_DOMAIN_MISSING",
        Severity.Error,
        "A nameserver name's domain does not exist (takeover risk)",
        "The domain of this nameserver name is not registered: anyone who registers it can run a server under that name and answer for your zone (a dangling delegation, as in the Sitting Ducks attacks). Remove the nameserver from the delegation at once, or register the domain yourself.");

    public IReadOnlyList<Rule> Rules { get; } = [Unresolvable, DomainMissing];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones)
        {
            foreach (var nameserver in zone.Evidence.Nameservers)
            {
                var resolution = nameserver.Resolution;
                var at = zone.NameserverLocation(nameserver.Name);
                if (resolution.Result == ResolutionResult.NXDomain && !nameserver.Name.IsSubdomainOf(zone.Policy.Zone) && MissingDomain(nameserver) is { } domain)
                {
                    var where = resolution.CnameChain.Count > 0 ? $"is an alias of {resolution.CnameChain[^1]}" : "is";
                    yield return zone.Finding(DomainMissing, at,
                        $"nameserver {nameserver.Name} of zone {zone.Name} {where} in the domain {domain}, which does not exist in {resolution.NXDomainZone}: whoever registers {domain} can answer for zone {zone.Name}") with
                    {
                        Expected = $"{domain} exists",
                        Found = $"NXDOMAIN from {resolution.NXDomainZone}",
                        Subject = nameserver.Name.ToString(),
                    };
                    continue;
                }

                var glued = nameserver.Servers.Any(s => s.Sources.Contains(AddressSource.PolicyGlue));
                // A failed lookup while even the parent cannot be reached says more about the network than about the name.
                var failedForNow = resolution.Result == ResolutionResult.Failed && zone.ParentUnreachable;
                if ((resolution.Result is ResolutionResult.NXDomain or ResolutionResult.NoAddresses or ResolutionResult.Failed) && !glued && !failedForNow)
                {
                    var found = resolution.Result switch
                    {
                        ResolutionResult.NXDomain => "NXDOMAIN",
                        ResolutionResult.NoAddresses => "no A or AAAA records",
                        _ => "resolution failed" + (resolution.Error is null ? string.Empty : ": " + Dns.Excerpt.Of(resolution.Error, 300)),
                    };
                    yield return zone.Finding(Unresolvable, at,
                        $"nameserver {nameserver.Name} of zone {zone.Name} does not resolve to an address ({found})") with
                    {
                        Expected = "an address",
                        Found = found,
                        Subject = nameserver.Name.ToString(),
                    };
                }
            }
        }
    }

    /// <summary>The name directly below the zone that answered NXDOMAIN, when it is an ancestor of the nameserver name (its domain), not the name itself.</summary>
    private static Dns.DnsName? MissingDomain(NameserverEvidence nameserver)
    {
        var zone = nameserver.Resolution.NXDomainZone;
        var name = nameserver.Resolution.CnameChain.Count > 0 ? nameserver.Resolution.CnameChain[^1] : nameserver.Name;
        if (zone is null || !name.IsStrictSubdomainOf(zone) || name.LabelCount <= zone.LabelCount + 1)
        {
            return null;
        }

        return name.Suffix(zone.LabelCount + 1);
    }
}
