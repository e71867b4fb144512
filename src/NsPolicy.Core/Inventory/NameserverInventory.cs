using NsPolicy.Core.Policy;
using NsPolicy.Dns;

namespace NsPolicy.Core.Inventory;

public enum ProviderKind
{
    /// <summary>A nameserver set of the policy.</summary>
    Set,

    /// <summary>The domain a nameserver host sits in.</summary>
    Domain,
}

/// <summary>
/// Who runs a nameserver host, as far as the policy alone can tell: the nameserver set that lists
/// it, or else the domain it sits in. See <see cref="NameserverInventory.ProviderOf"/>.
/// </summary>
public sealed record Provider(string Name, ProviderKind Kind) : IComparable<Provider>
{
    /// <summary><c>$name</c> for a set (as the policy writes it), the domain name otherwise.</summary>
    public string Display => Kind == ProviderKind.Set ? "$" + Name : Name;

    public string KindName => Kind == ProviderKind.Set ? "set" : "domain";

    public int CompareTo(Provider? other) =>
        other is null ? 1 : Kind != other.Kind ? Kind.CompareTo(other.Kind) : string.CompareOrdinal(Name, other.Name);
}

/// <summary>One nameserver host a zone is delegated to.</summary>
/// <param name="InZone">The host's name is inside the zone, so the parent must publish glue for it.</param>
public sealed record ZoneNameserver(DnsName Host, Provider Provider, bool InZone);

/// <summary>A zone and the hosts and providers it depends on.</summary>
/// <param name="Spelling">The zone as the policy spells it (Unicode for an IDN).</param>
public sealed record ZoneDependencies(DnsName Zone, string Spelling, IReadOnlyList<ZoneNameserver> Nameservers, IReadOnlyList<Provider> Providers);

/// <summary>A provider and the hosts of it that zones use, and those zones.</summary>
public sealed record ProviderUsage(Provider Provider, IReadOnlyList<DnsName> Hosts, IReadOnlyList<DnsName> Zones);

/// <summary>A nameserver host and the zones that depend on it: what one compromised host takes down.</summary>
public sealed record NameserverUsage(DnsName Host, Provider Provider, IReadOnlyList<DnsName> Zones);

/// <summary>
/// Which zones depend on which nameserver hosts and providers, and which hosts and providers many
/// zones share (the blast radius of one of them failing or being taken over). Built from the
/// policy alone: no network, no clock. Every list is sorted: zones and hosts in DNS canonical
/// order (RFC 4034 §6.1); providers and hosts by the number of zones, most first, then by name.
/// </summary>
public sealed record NameserverInventory(
    IReadOnlyList<ZoneDependencies> Zones,
    IReadOnlyList<ProviderUsage> Providers,
    IReadOnlyList<NameserverUsage> Nameservers)
{
    /// <summary>The provider rule, in words, for --help and the README.</summary>
    public const string ProviderRule =
        "A host listed in a nameserver set belongs to that set (if several sets list it, the first by name), " +
        "wherever a zone lists it; any other host belongs to the domain it sits in: its name without the first label " +
        "(ns1.example.net. belongs to example.net.). No public-suffix list is used, so ns1.example.co.uk. belongs to " +
        "example.co.uk. and ns-1.awsdns-01.org. to awsdns-01.org.";

    /// <summary>Zones that depend on one provider only: when it fails, the zone fails.</summary>
    public IEnumerable<ZoneDependencies> SingleProviderZones => Zones.Where(z => z.Providers.Count == 1);

    public static NameserverInventory Build(PolicyDocument policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var setOf = new Dictionary<DnsName, string>();
        foreach (var set in policy.NameserverSets.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            foreach (var host in set.Nameservers)
            {
                setOf.TryAdd(host.Value, set.Name);
            }
        }

        Provider Of(DnsName host) => ProviderOf(host, setOf);

        var zones = policy.Zones
            .GroupBy(z => z.Zone)
            .Select(g => g.First())
            .OrderBy(z => z.Zone)
            .Select(z =>
            {
                var hosts = z.Nameservers.Select(n => n.Name).Distinct().Order().ToList();
                var nameservers = hosts.Select(h => new ZoneNameserver(h, Of(h), h.IsSubdomainOf(z.Zone))).ToList();
                return new ZoneDependencies(z.Zone, z.Spelling, nameservers, [.. nameservers.Select(n => n.Provider).Distinct().Order()]);
            })
            .ToList();

        var uses = zones.SelectMany(z => z.Nameservers.Select(n => (z.Zone, n.Host, n.Provider))).ToList();
        var nameserverUsage = uses
            .GroupBy(u => u.Host)
            .Select(g => new NameserverUsage(g.Key, g.First().Provider, [.. g.Select(u => u.Zone).Distinct().Order()]))
            .OrderByDescending(n => n.Zones.Count)
            .ThenBy(n => n.Host)
            .ToList();
        var providerUsage = uses
            .GroupBy(u => u.Provider)
            .Select(g => new ProviderUsage(g.Key, [.. g.Select(u => u.Host).Distinct().Order()], [.. g.Select(u => u.Zone).Distinct().Order()]))
            .OrderByDescending(p => p.Zones.Count)
            .ThenBy(p => p.Provider)
            .ToList();
        return new NameserverInventory(zones, providerUsage, nameserverUsage);
    }

    /// <summary>The provider of <paramref name="host"/>: see <see cref="ProviderRule"/>.</summary>
    public static Provider ProviderOf(DnsName host, IReadOnlyDictionary<DnsName, string> setOfHost)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(setOfHost);
        return setOfHost.TryGetValue(host, out var set)
            ? new Provider(set, ProviderKind.Set)
            : new Provider(host.IsRoot ? host.ToString() : host.Parent.ToString(), ProviderKind.Domain);
    }
}
