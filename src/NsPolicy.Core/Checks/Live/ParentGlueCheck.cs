using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Live;

/// <summary>The parent's glue for in-bailiwick nameservers is the glue the policy states (RFC 9471).</summary>
public sealed class ParentGlueCheck : ILiveCheck
{
    public static readonly Rule Missing = new(
        "PARENT_GLUE_MISSING",
        Severity.Error,
        "The parent publishes no glue for an in-bailiwick nameserver",
        "A nameserver named inside the zone it serves can only be reached through glue at the parent; without it resolvers cannot find the server (RFC 9471). Add the glue (host records) at the registrar.");

    public static readonly Rule Mismatch = new(
        "PARENT_GLUE_MISMATCH",
        Severity.Error,
        "The parent's glue addresses differ from the policy",
        "Glue sends resolvers to the addresses it names, whatever the zone itself says. Stale glue breaks resolution after a server moves; foreign glue sends users to someone else's server. Update the host records at the registrar, or the policy.");

    public static readonly Rule Extra = new(
        "PARENT_GLUE_EXTRA",
        Severity.Warning,
        "The parent publishes glue for a name inside the zone that the policy does not list",
        "Glue the policy does not know about is either a leftover from an earlier delegation or addresses someone else put there. Resolvers may use it. Remove it at the registrar, or add it to the policy.");

    public IReadOnlyList<Rule> Rules { get; } = [Missing, Mismatch, Extra];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.ReferredZones)
        {
            var policyGlue = zone.Policy.Glue
                .GroupBy(g => g.Nameserver)
                .ToDictionary(g => g.Key, g => LiveZone.Addresses(g.SelectMany(e => e.Addresses).Select(a => a.Value)));
            var inBailiwick = zone.ParentNs.Where(n => n.IsSubdomainOf(zone.Policy.Zone));
            foreach (var name in inBailiwick.Union(policyGlue.Keys).Distinct().Order())
            {
                var found = zone.ParentGlue.GetValueOrDefault(name) ?? [];
                var expected = policyGlue.GetValueOrDefault(name);
                if (found.Count == 0 && zone.ParentNs.Contains(name))
                {
                    yield return zone.Finding(Missing, zone.GlueLocation(name),
                        $"the parent publishes no glue for {name}, a nameserver inside zone {zone.Name}{(expected is null ? string.Empty : "; the policy expects " + LiveZone.List(expected))}") with
                    {
                        Expected = expected is null ? "glue addresses" : LiveZone.List(expected),
                        Found = "none",
                        Subject = name.ToString(),
                    };
                }
                else if (found.Count > 0 && expected is not null && !found.SequenceEqual(expected))
                {
                    yield return zone.Finding(Mismatch, zone.GlueLocation(name),
                        $"the parent's glue for {name} is {LiveZone.List(found)}; the policy expects {LiveZone.List(expected)}") with
                    {
                        Expected = LiveZone.List(expected),
                        Found = LiveZone.List(found),
                        Subject = name.ToString(),
                    };
                }
            }

            // Glue for names outside the zone (sibling glue) belongs to other delegations of the parent.
            foreach (var (name, addresses) in zone.ParentGlue.Where(g => g.Key.IsSubdomainOf(zone.Policy.Zone)).OrderBy(g => g.Key))
            {
                if (!policyGlue.ContainsKey(name))
                {
                    yield return zone.Finding(Extra, zone.ZoneLocation,
                        $"the parent publishes glue {LiveZone.List(addresses)} for {name}, which the policy does not list for zone {zone.Name}") with
                    {
                        Expected = "no glue",
                        Found = LiveZone.List(addresses),
                        Subject = name.ToString(),
                    };
                }
            }
        }
    }
}
