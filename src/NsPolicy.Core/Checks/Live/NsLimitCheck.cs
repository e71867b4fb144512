using System.Globalization;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Live;

/// <summary>Says when a zone names more nameservers than one run asks (the fan-out bound).</summary>
public sealed class NsLimitCheck : ILiveCheck
{
    public static readonly Rule TooMany = new(
        "NS_TOO_MANY",
        Severity.Warning,
        "The zone names more nameservers than nspolicy asks",
        "nspolicy asks at most 32 nameserver names per zone, so a hostile or broken delegation cannot turn one check into thousands of queries to other people's servers. The names beyond the limit (the policy's first, then the parent's, then the zone's own) were not resolved or asked, so findings about them are missing. No real zone needs that many: RFC 1034 asks for two or more, and a referral with more than a dozen rarely fits a UDP response.");

    private const int Shown = 5;

    public IReadOnlyList<Rule> Rules { get; } = [TooMany];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones)
        {
            var skipped = zone.Evidence.NameserversNotAsked ?? [];
            if (skipped.Count == 0)
            {
                continue;
            }

            var asked = zone.Evidence.Nameservers.Count;
            var shown = LiveZone.List(skipped.Take(Shown)) + (skipped.Count > Shown ? string.Create(CultureInfo.InvariantCulture, $" and {skipped.Count - Shown} more") : string.Empty);
            yield return zone.Finding(TooMany, zone.NameserversLocation,
                string.Create(CultureInfo.InvariantCulture, $"zone {zone.Name} names {asked + skipped.Count} nameservers; {asked} were asked and {skipped.Count} {(skipped.Count == 1 ? "was" : "were")} not: {shown}")) with
            {
                Expected = string.Create(CultureInfo.InvariantCulture, $"at most {asked} nameservers"),
                Found = string.Create(CultureInfo.InvariantCulture, $"{asked + skipped.Count} nameservers"),
            };
        }
    }
}
