using System.Globalization;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;

namespace NsPolicy.Core.Checks.Policy;

/// <summary>Fewer distinct nameservers than two (RFC 1034 §4.1) or than the zone's own minimum.</summary>
public sealed class NameserverCountCheck : IPolicyCheck
{
    public static readonly Rule TooFew = new(
        "POLICY_TOO_FEW_NAMESERVERS",
        Severity.Error,
        "A zone lists fewer than two nameservers",
        "RFC 1034 section 4.1 and RFC 2182 ask for at least two nameservers per zone, so that one outage or one hijacked host does not take the zone with it. List a second nameserver, ideally on another network.");

    public static readonly Rule BelowMinimum = new(
        "POLICY_BELOW_MIN_NAMESERVERS",
        Severity.Error,
        "A zone lists fewer nameservers than its min-nameservers",
        "The policy's own min-nameservers for the zone cannot be met by the nameservers it lists, so every live check of the count would fail. List more nameservers or lower min-nameservers.");

    public IReadOnlyList<Rule> Rules { get; } = [TooFew, BelowMinimum];

    public IEnumerable<Finding> Run(PolicyCheckContext context)
    {
        foreach (var zone in context.Policy.Zones)
        {
            var count = zone.Nameservers.Select(n => n.Name).Distinct().Count();
            var zoneName = zone.Zone;
            var at = context.At(zone.Position);
            if (count < 2)
            {
                yield return new Finding(TooFew.Code, at, string.Create(CultureInfo.InvariantCulture, $"zone {zoneName} lists {count} distinct nameserver(s); at least 2 are needed"), zoneName)
                {
                    Expected = "2",
                    Found = count.ToString(CultureInfo.InvariantCulture),
                };
            }
            else if (count < zone.MinNameservers.Value)
            {
                yield return new Finding(BelowMinimum.Code, context.At(zone.MinNameservers.Position), string.Create(CultureInfo.InvariantCulture, $"zone {zoneName} lists {count} distinct nameservers, fewer than its min-nameservers of {zone.MinNameservers.Value}"), zoneName)
                {
                    Expected = zone.MinNameservers.Value.ToString(CultureInfo.InvariantCulture),
                    Found = count.ToString(CultureInfo.InvariantCulture),
                };
            }
        }
    }
}
