using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;

namespace NsPolicy.Core.Checks.Policy;

/// <summary>
/// Glue belongs to nameservers inside the zone (RFC 9471): required for them, meaningless for the rest.
/// </summary>
public sealed class GlueCheck : IPolicyCheck
{
    public static readonly Rule Missing = new(
        "POLICY_GLUE_MISSING",
        Severity.Error,
        "An in-bailiwick nameserver has no glue",
        "A nameserver whose name lies inside the zone it serves can only be found through glue addresses at the parent (RFC 9471). Without glue in the policy, nspolicy cannot tell stale or hijacked glue from the right one. Add the nameserver's addresses under glue.");

    public static readonly Rule OutOfBailiwick = new(
        "POLICY_GLUE_OUT_OF_BAILIWICK",
        Severity.Error,
        "Glue is declared for a nameserver outside the zone",
        "Resolvers take a nameserver's address from glue only when the name lies inside the delegated zone; an out-of-zone nameserver's address comes from its own zone. Glue declared for it would never be checked. Remove it, and keep those addresses correct in the nameserver's own zone.");

    public static readonly Rule NotANameserver = new(
        "POLICY_GLUE_NOT_A_NAMESERVER",
        Severity.Warning,
        "Glue is declared for a name that is not one of the zone's nameservers",
        "Glue only makes sense for a nameserver the zone is delegated to. A glue entry for another name is most likely a typo or a leftover from a nameserver that was removed.");

    public IReadOnlyList<Rule> Rules { get; } = [Missing, OutOfBailiwick, NotANameserver];

    public IEnumerable<Finding> Run(PolicyCheckContext context)
    {
        foreach (var zone in context.Policy.Zones)
        {
            var zoneName = zone.Zone;
            var nameservers = zone.Nameservers.Select(n => n.Name).ToHashSet();
            foreach (var glue in zone.Glue)
            {
                if (!glue.Nameserver.IsSubdomainOf(zone.Zone))
                {
                    yield return new Finding(OutOfBailiwick.Code, context.At(glue.Position), $"glue is declared for {glue.Nameserver}, which is outside zone {zoneName}; its addresses come from its own zone", zoneName)
                    {
                        Subject = glue.Nameserver.ToString(),
                    };
                }
                else if (!nameservers.Contains(glue.Nameserver))
                {
                    yield return new Finding(NotANameserver.Code, context.At(glue.Position), $"glue is declared for {glue.Nameserver}, which is not a nameserver of zone {zoneName}", zoneName)
                    {
                        Subject = glue.Nameserver.ToString(),
                    };
                }
            }

            var withGlue = zone.Glue.Select(g => g.Nameserver).ToHashSet();
            foreach (var ns in zone.Nameservers.DistinctBy(n => n.Name))
            {
                if (ns.Name.IsSubdomainOf(zone.Zone) && !withGlue.Contains(ns.Name))
                {
                    yield return new Finding(Missing.Code, context.At(ns.Position), $"nameserver {ns.Name} is inside zone {zoneName} but has no glue addresses in the policy", zoneName)
                    {
                        Expected = "glue addresses",
                        Found = "none",
                        Subject = ns.Name.ToString(),
                    };
                }
            }
        }
    }
}
