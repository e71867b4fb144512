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
            // Every server's SOA judged on its own; each problem (a field with a value) once, naming
            // the servers that serve it when not every answering server does.
            var served = zone.Servers
                .Where(x => x.Server.SoaUdp.IsAuthoritativeAnswer)
                .SelectMany(x => x.Server.SoaUdp.Answer.Where(r => r.Owner == zone.Policy.Zone).Select(r => r.Data).OfType<SoaRData>().Take(1)
                    .Select(soa => (Who: LiveZone.Describe(x.Nameserver, x.Server), Soa: soa)))
                .ToList();
            var everyone = served.Select(x => x.Who).Distinct().Count();
            var problems = served
                .SelectMany(x => SoaTimerRanges.Problems(x.Soa).Select(p => (x.Who, Problem: p)))
                .GroupBy(x => x.Problem)
                .OrderBy(g => g.Key.Field, StringComparer.Ordinal)
                .ThenBy(g => g.Key.Value)
                .ThenBy(g => g.Key.Expected, StringComparer.Ordinal);
            foreach (var group in problems)
            {
                var (field, value, expected) = group.Key;
                var who = group.Select(x => x.Who).Distinct().ToList();
                var servers = who.Count == everyone
                    ? $"the servers of zone {zone.Name} serve"
                    : $"{string.Join(", ", who)} of zone {zone.Name} {(who.Count == 1 ? "serves" : "serve")}";
                yield return zone.Finding(Timers, zone.ZoneLocation,
                    string.Create(CultureInfo.InvariantCulture, $"the SOA {field} that {servers} is {value} seconds; expected {expected}")) with
                {
                    Expected = expected,
                    Found = value.ToString(CultureInfo.InvariantCulture),
                    Subject = "SOA " + field,
                };
            }
        }
    }
}
