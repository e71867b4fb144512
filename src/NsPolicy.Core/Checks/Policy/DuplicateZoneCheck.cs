using System.Globalization;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;
using NsPolicy.Dns;

namespace NsPolicy.Core.Checks.Policy;

/// <summary>A zone listed twice, with the same or another spelling (case, trailing dot, IDN form).</summary>
public sealed class DuplicateZoneCheck : IPolicyCheck
{
    public static readonly Rule Duplicate = new(
        "POLICY_ZONE_DUPLICATE",
        Severity.Error,
        "A zone is listed more than once",
        "Each zone may appear once in the policy. Two entries for one zone (perhaps spelled differently: upper case, a trailing dot, a Unicode and an A-label form) would state two expectations for one delegation, and only one can hold. Merge the entries.");

    public IReadOnlyList<Rule> Rules { get; } = [Duplicate];

    public IEnumerable<Finding> Run(PolicyCheckContext context)
    {
        var first = new Dictionary<DnsName, ZonePolicy>();
        foreach (var zone in context.Policy.Zones)
        {
            if (!first.TryGetValue(zone.Zone, out var earlier))
            {
                first[zone.Zone] = zone;
                continue;
            }

            var line = earlier.Position.Line.ToString(CultureInfo.InvariantCulture);
            var message = earlier.Spelling == zone.Spelling
                ? $"zone {zone.Zone} is listed again; it is first listed at line {line}"
                : $"zone '{Excerpt.Of(zone.Spelling)}' is {zone.Zone}, already listed at line {line} as '{Excerpt.Of(earlier.Spelling)}'";
            yield return new Finding(Duplicate.Code, context.At(zone.Position), message, zone.Zone);
        }
    }
}
