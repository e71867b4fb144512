using System.Globalization;
using NsPolicy.Core.Findings;
using NsPolicy.Dns.Records;

namespace NsPolicy.Core.Checks.Live;

/// <summary>The TTL of the zone's apex NS records lies within the policy's ns-ttl range.</summary>
public sealed class NsTtlCheck : ILiveCheck
{
    public static readonly Rule OutOfRange = new(
        "NS_TTL_OUT_OF_RANGE",
        Severity.Warning,
        "The zone's NS TTL is outside the policy's range",
        "A short NS TTL makes every resolver ask again often, adding load and latency and shortening how long a cached delegation survives an outage; a very long one delays every planned change. Set the TTL of the apex NS records within the policy's ns-ttl range (default 3600 to 172800 seconds).");

    public IReadOnlyList<Rule> Rules { get; } = [OutOfRange];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones)
        {
            var range = zone.Policy.NsTtl.Value;
            var ttls = zone.Servers
                .Select(x => x.Server.NsUdp)
                .Where(q => q.IsAuthoritativeAnswer)
                .SelectMany(q => q.Answer)
                .Where(r => r.Owner == zone.Policy.Zone && r.Data is NsRData)
                .Select(r => r.Ttl)
                .Distinct()
                .Order()
                .ToList();
            var outside = ttls.Where(t => !range.Contains(t)).ToList();
            if (outside.Count == 0)
            {
                continue;
            }

            var found = string.Join(", ", outside.Select(t => t.ToString(CultureInfo.InvariantCulture)));
            yield return zone.Finding(OutOfRange, zone.SettingLocation(zone.Policy.NsTtl.Position),
                string.Create(CultureInfo.InvariantCulture, $"the NS records of zone {zone.Name} have TTL {found}; the policy allows {range.Min} to {range.Max}")) with
            {
                Expected = string.Create(CultureInfo.InvariantCulture, $"{range.Min}-{range.Max}"),
                Found = found,
            };
        }
    }
}
