using System.Globalization;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Live;

/// <summary>The live delegation has at least the zone's min-nameservers nameservers (RFC 1034 §4.1, RFC 2182 §5).</summary>
public sealed class NsCountCheck : ILiveCheck
{
    public static readonly Rule TooFew = new(
        "NS_TOO_FEW",
        Severity.Error,
        "The zone is delegated to fewer nameservers than its minimum",
        "With fewer nameservers than the policy's min-nameservers, one outage or one compromised host takes more of the zone with it than the policy accepts. Add nameservers to the delegation, ideally on other networks.");

    public IReadOnlyList<Rule> Rules { get; } = [TooFew];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        if (!context.TargetIsParent)
        {
            yield break;
        }

        foreach (var zone in context.Zones)
        {
            var count = zone.ParentNs.Count;
            var minimum = zone.Policy.MinNameservers.Value;
            if (count > 0 && count < minimum)
            {
                yield return zone.Finding(TooFew, zone.SettingLocation(zone.Policy.MinNameservers.Position),
                    string.Create(CultureInfo.InvariantCulture, $"zone {zone.Name} is delegated to {count} nameserver(s) ({LiveZone.List(zone.ParentNs)}); at least {minimum} are required")) with
                {
                    Expected = minimum.ToString(CultureInfo.InvariantCulture),
                    Found = count.ToString(CultureInfo.InvariantCulture),
                };
            }
        }
    }
}
