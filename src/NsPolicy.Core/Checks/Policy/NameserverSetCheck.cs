using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;

namespace NsPolicy.Core.Checks.Policy;

/// <summary>References to nameserver sets that are not defined, and sets that no zone uses.</summary>
public sealed class NameserverSetCheck : IPolicyCheck
{
    public static readonly Rule Undefined = new(
        "POLICY_NAMESERVER_SET_UNDEFINED",
        Severity.Error,
        "A zone refers to a nameserver set that is not defined",
        "A `$name` in a zone's nameservers must name an entry of `nameserver-sets`. An undefined set contributes no nameservers, so the zone's expected delegation is incomplete. Define the set or fix the spelling.");

    public static readonly Rule Unused = new(
        "POLICY_NAMESERVER_SET_UNUSED",
        Severity.Warning,
        "A nameserver set is not used by any zone",
        "A set that no zone refers to is dead policy: perhaps a zone that should use it spells it differently. Use it or remove it.");

    public IReadOnlyList<Rule> Rules { get; } = [Undefined, Unused];

    public IEnumerable<Finding> Run(PolicyCheckContext context)
    {
        var defined = context.Policy.NameserverSets.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var zone in context.Policy.Zones)
        {
            foreach (var reference in zone.SetReferences)
            {
                used.Add(reference.Name);
                if (!defined.Contains(reference.Name))
                {
                    yield return new Finding(Undefined.Code, context.At(reference.Position), $"zone {zone.Zone} refers to nameserver set ${reference.Name}, which is not defined under nameserver-sets", zone.Zone)
                    {
                        Subject = "$" + reference.Name,
                    };
                }
            }
        }

        foreach (var set in context.Policy.NameserverSets)
        {
            if (!used.Contains(set.Name))
            {
                yield return new Finding(Unused.Code, context.At(set.Position), $"nameserver set {set.Name} is not used by any zone")
                {
                    Subject = "$" + set.Name,
                };
            }
        }
    }
}
