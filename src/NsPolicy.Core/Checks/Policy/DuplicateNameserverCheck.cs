using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;
using NsPolicy.Dns;

namespace NsPolicy.Core.Checks.Policy;

/// <summary>The same nameserver listed twice for one zone, directly or through a set.</summary>
public sealed class DuplicateNameserverCheck : IPolicyCheck
{
    public static readonly Rule Duplicate = new(
        "POLICY_NAMESERVER_DUPLICATE",
        Severity.Warning,
        "A nameserver is listed twice for one zone",
        "A nameserver listed twice (perhaps once by name and once through a nameserver set) counts once in the delegation, so the zone has fewer nameservers than the list suggests. Remove the repeat.");

    public IReadOnlyList<Rule> Rules { get; } = [Duplicate];

    public IEnumerable<Finding> Run(PolicyCheckContext context)
    {
        foreach (var zone in context.Policy.Zones)
        {
            var seen = new Dictionary<DnsName, NameserverEntry>();
            foreach (var ns in zone.Nameservers)
            {
                if (!seen.TryAdd(ns.Name, ns))
                {
                    var via = ns.ViaSet is null ? string.Empty : $" (through ${ns.ViaSet})";
                    yield return new Finding(Duplicate.Code, context.At(ns.Position), $"nameserver {ns.Name} is listed more than once for zone {zone.Zone}{via}", zone.Zone)
                    {
                        Subject = ns.Name.ToString(),
                    };
                }
            }
        }
    }
}
