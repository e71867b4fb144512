using System.Globalization;
using NsPolicy.Core.Findings;
using NsPolicy.Dns.Records;

namespace NsPolicy.Core.Checks.Live;

/// <summary>The SOA timers the zone's servers serve are within RFC 1912 §2.2 and RFC 2308 §5 ranges.</summary>
public sealed class SoaTimersCheck : ILiveCheck
{
    public static readonly Rule Timers = new(
        "CHILD_SOA_TIMERS",
        Severity.Warning,
        "An SOA timer the zone's servers serve is outside its recommended range",
        "Secondaries poll every REFRESH seconds (RFC 1912 §2.2: 1200 to 43200), retry a failed poll after RETRY (at least 120, below REFRESH) and stop serving after EXPIRE (604800 to 2419200, above REFRESH + RETRY). MINIMUM is how long resolvers cache a 'no such name' (RFC 2308 §5: 300 to 86400). Values outside these make secondaries hammer the primary, serve stale data for months, or drop the zone after a short outage. Fix the SOA record at the primary.");

    public IReadOnlyList<Rule> Rules { get; } = [Timers];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones)
        {
            // Each distinct set of timers once, whichever servers serve it (serials may differ).
            var served = zone.Servers
                .Select(x => x.Server.SoaUdp)
                .Where(q => q.IsAuthoritativeAnswer)
                .SelectMany(q => q.Answer.Where(r => r.Owner == zone.Policy.Zone).Select(r => r.Data).OfType<SoaRData>())
                .DistinctBy(s => (s.Refresh, s.Retry, s.Expire, s.Minimum))
                .OrderBy(s => s.Refresh).ThenBy(s => s.Retry).ThenBy(s => s.Expire).ThenBy(s => s.Minimum);
            foreach (var soa in served)
            {
                foreach (var (field, value, expected) in SoaTimerRanges.Problems(soa))
                {
                    yield return zone.Finding(Timers, zone.ZoneLocation,
                        string.Create(CultureInfo.InvariantCulture, $"the SOA {field} that the servers of zone {zone.Name} serve is {value} seconds; expected {expected}")) with
                    {
                        Expected = expected,
                        Found = value.ToString(CultureInfo.InvariantCulture),
                        Subject = "SOA " + field,
                    };
                }
            }
        }
    }
}
