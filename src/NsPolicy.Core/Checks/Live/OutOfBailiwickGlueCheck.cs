using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Live;

/// <summary>The parent hands out addresses only for names inside its own authority (RFC 2181 §5.4.1, RFC 9471).</summary>
public sealed class OutOfBailiwickGlueCheck : ILiveCheck
{
    public static readonly Rule OutOfBailiwick = new(
        "PARENT_GLUE_OUT_OF_BAILIWICK",
        Severity.Notice,
        "The parent hands out an address for a name it has no authority over",
        "An address record in a referral for a name outside the parent zone cannot be trusted: the parent has no say over that name, and such records are how cache poisoning works. Resolvers (and nspolicy) ignore them, so they do no harm but say the parent's data is stale or tampered with. nspolicy records them and never sends a query to them.");

    public IReadOnlyList<Rule> Rules { get; } = [OutOfBailiwick];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.ReferredZones)
        {
            foreach (var (name, addresses) in zone.OutOfBailiwickGlue.OrderBy(g => g.Key))
            {
                yield return zone.Finding(OutOfBailiwick, zone.ZoneLocation,
                    $"the parent {zone.Evidence.Parent.Zone} hands out {LiveZone.List(addresses)} for {name}, a name outside its authority, with the referral for zone {zone.Name}; ignored") with
                {
                    Expected = "no address records outside the parent zone",
                    Found = LiveZone.List(addresses),
                    Subject = name.ToString(),
                };
            }
        }
    }
}
