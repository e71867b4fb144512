using System.Globalization;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Zone;

/// <summary>The zone file's apex lists at least the policy's min-nameservers distinct nameservers.</summary>
public sealed class ZoneNameserverCountCheck : IZoneCheck
{
    public static readonly Rule BelowMinimum = new(
        "ZONE_NS_BELOW_MIN",
        Severity.Error,
        "The zone file's apex has fewer nameservers than min-nameservers",
        "The apex NS records name fewer distinct nameservers than the policy's min-nameservers (default 2, as RFC 1034 §4.1 and RFC 2182 ask), so one failure can take the zone off the net. Add nameservers, preferably on other networks.");

    public IReadOnlyList<Rule> Rules { get; } = [BelowMinimum];

    public bool NeedsPolicy => true;

    public IEnumerable<Finding> Run(ZoneCheckContext context)
    {
        var nameservers = context.Zone.ApexNameservers;
        var count = nameservers.Select(n => n.Target).Distinct().Count();
        var minimum = context.Policy!.MinNameservers.Value;
        if (count == 0 || count >= minimum)
        {
            // No NS at all is ZONE_APEX_NS_MISSING.
            yield break;
        }

        yield return new Finding(BelowMinimum.Code, ZoneCheckContext.At(nameservers[0].Position),
            string.Create(CultureInfo.InvariantCulture, $"zone {context.ZoneName} has {count} distinct apex NS record(s) in {context.File}; the policy asks for at least {minimum}"),
            context.ZoneName)
        {
            Expected = string.Create(CultureInfo.InvariantCulture, $"at least {minimum}"),
            Found = count.ToString(CultureInfo.InvariantCulture),
            MentionedFile = context.File,
            Subject = "NS",
        };
    }
}
