using NsPolicy.Core.Evidence;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Live;

/// <summary>The addresses an in-bailiwick nameserver has in its own zone are its glue addresses.</summary>
public sealed class ChildAddressCheck : ILiveCheck
{
    public static readonly Rule Mismatch = new(
        "CHILD_ADDRESS_MISMATCH",
        Severity.Error,
        "A nameserver's addresses in its zone differ from its glue",
        "Resolvers reach the server through the glue, then cache the addresses from the zone itself. When the two differ, users reach different servers depending on their resolver's cache, and one side is usually stale (a server that moved). Make the glue and the zone's A/AAAA records the same.");

    public IReadOnlyList<Rule> Rules { get; } = [Mismatch];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones)
        {
            var glue = zone.Glue;
            foreach (var nameserver in zone.Evidence.Nameservers)
            {
                if (!nameserver.Name.IsSubdomainOf(zone.Policy.Zone)
                    || !glue.TryGetValue(nameserver.Name, out var expected)
                    || nameserver.Resolution.Result != ResolutionResult.Addresses)
                {
                    continue;
                }

                var found = nameserver.Resolution.Addresses;
                if (!found.SequenceEqual(expected))
                {
                    var side = context.TargetIsParent ? "the parent's glue" : "the policy's glue";
                    yield return zone.Finding(Mismatch, zone.GlueLocation(nameserver.Name),
                        $"{nameserver.Name} has the addresses {LiveZone.List(found)} in zone {zone.Name}, but {side} is {LiveZone.List(expected)}") with
                    {
                        Expected = LiveZone.List(expected),
                        Found = LiveZone.List(found),
                        Subject = nameserver.Name.ToString(),
                    };
                }
            }
        }
    }
}
