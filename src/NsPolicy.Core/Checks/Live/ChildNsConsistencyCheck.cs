using NsPolicy.Core.Findings;
using NsPolicy.Dns.Records;

namespace NsPolicy.Core.Checks.Live;

/// <summary>All authoritative servers give the same apex NS set.</summary>
public sealed class ChildNsConsistencyCheck : ILiveCheck
{
    public static readonly Rule Disagree = new(
        "CHILD_NS_DISAGREE",
        Severity.Warning,
        "The zone's servers give different apex NS sets",
        "Servers of one zone that disagree on its NS set serve different versions of the zone: a transfer is failing, or one server was forgotten in a change. Resolvers then see different delegations depending on whom they ask. Check zone transfers and serials.");

    public IReadOnlyList<Rule> Rules { get; } = [Disagree];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones)
        {
            var views = zone.Servers
                .Where(x => x.Server.NsUdp.IsAuthoritativeAnswer)
                .GroupBy(x => LiveZone.List(LiveZone.Names(x.Server.NsUdp.Answer.Where(r => r.Owner == zone.Policy.Zone).Select(r => r.Data).OfType<NsRData>().Select(n => n.Target))))
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToList();
            if (views.Count < 2)
            {
                continue;
            }

            var described = string.Join("; ", views.Select(g => $"{string.Join(", ", g.Select(x => LiveZone.Describe(x.Nameserver, x.Server)).Distinct())} {(g.Count() == 1 ? "gives" : "give")} {g.Key}"));
            yield return zone.Finding(Disagree, zone.NameserversLocation, $"the servers of zone {zone.Name} give different NS sets: {described}") with
            {
                Found = described,
            };
        }
    }
}
