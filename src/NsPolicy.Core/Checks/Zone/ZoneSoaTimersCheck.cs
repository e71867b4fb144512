using System.Globalization;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Zone;

/// <summary>
/// The SOA timers within the ranges RFC 1912 §2.2 recommends (refresh, retry, expire) and RFC 2308
/// §5 for the negative-caching TTL (the MINIMUM field), and in sensible order.
/// </summary>
public sealed class ZoneSoaTimersCheck : IZoneCheck
{
    public static readonly Rule Timers = new(
        "ZONE_SOA_TIMERS",
        Severity.Warning,
        "An SOA timer is outside its recommended range",
        "Secondaries poll every REFRESH seconds (RFC 1912 §2.2: 1200 to 43200), retry a failed poll after RETRY (at least 120, below REFRESH) and stop serving after EXPIRE (at least a week, RFC 1912 recommends two to four weeks, at most 2419200, and above REFRESH + RETRY). MINIMUM is how long resolvers cache a 'no such name' (RFC 2308 §5: 300 to 86400). Values outside these make secondaries hammer the primary, serve stale data for months, or drop the zone after a short outage.");

    public IReadOnlyList<Rule> Rules { get; } = [Timers];

    public bool NeedsPolicy => false;

    public IEnumerable<Finding> Run(ZoneCheckContext context)
    {
        if (context.Zone.Soas.Count == 0)
        {
            yield break;
        }

        var soa = context.Zone.Soas[0];
        var problems = SoaTimerRanges.Problems(soa.Data);
        foreach (var (field, value, expected) in problems)
        {
            yield return new Finding(Timers.Code, ZoneCheckContext.At(soa.Position),
                string.Create(CultureInfo.InvariantCulture, $"SOA {field} of zone {context.ZoneName} is {value} seconds; expected {expected}"),
                context.ZoneName)
            {
                Expected = expected,
                Found = value.ToString(CultureInfo.InvariantCulture),
                Subject = "SOA " + field,
            };
        }
    }
}
