using System.Globalization;
using NsPolicy.Core.Findings;
using NsPolicy.Dns.Records;

namespace NsPolicy.Core.Checks.Live;

/// <summary>All authoritative servers serve the same SOA serial (RFC 1034 §4.3.5).</summary>
public sealed class SoaSerialCheck : ILiveCheck
{
    public static readonly Rule Mismatch = new(
        "CHILD_SOA_SERIAL_MISMATCH",
        Severity.Warning,
        "The zone's servers serve different SOA serials",
        "Different serials mean the servers serve different versions of the zone. Right after a change this is normal for a moment; if it lasts, zone transfers to a secondary are failing and it serves stale data. Check the secondary's transfer logs and its access to the primary.");

    public IReadOnlyList<Rule> Rules { get; } = [Mismatch];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones)
        {
            var serials = zone.Servers
                .Select(x => (x.Nameserver, x.Server, Soa: x.Server.SoaUdp.IsAuthoritativeAnswer ? x.Server.SoaUdp : x.Server.SoaTcp))
                .Where(x => x.Soa.IsAuthoritativeAnswer)
                .Select(x => (x.Nameserver, x.Server, Serial: x.Soa.Answer.Where(r => r.Owner == zone.Policy.Zone).Select(r => r.Data).OfType<SoaRData>().FirstOrDefault()?.Serial))
                .Where(x => x.Serial is not null)
                .GroupBy(x => x.Serial!.Value)
                .OrderBy(g => g.Key)
                .ToList();
            if (serials.Count < 2)
            {
                continue;
            }

            var described = string.Join("; ", serials.Select(g => string.Create(CultureInfo.InvariantCulture,
                $"{g.Key} from {string.Join(", ", g.Select(x => LiveZone.Describe(x.Nameserver, x.Server)).Distinct())}")));
            yield return zone.Finding(Mismatch, zone.ZoneLocation, $"the servers of zone {zone.Name} serve different SOA serials: {described}") with
            {
                Found = described,
            };
        }
    }
}
