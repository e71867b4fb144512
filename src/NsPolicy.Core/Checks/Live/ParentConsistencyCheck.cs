using System.Globalization;
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Findings;
using NsPolicy.Dns.Records;

namespace NsPolicy.Core.Checks.Live;

/// <summary>All of the parent's servers give the same delegation: NS set, glue and DS.</summary>
public sealed class ParentConsistencyCheck : ILiveCheck
{
    public static readonly Rule Disagree = new(
        "PARENT_SERVERS_DISAGREE",
        Severity.Warning,
        "The parent's servers give different delegations",
        "Resolvers pick any of the parent's servers, so a delegation that differs between them gives different answers to different users. It is normal for a few minutes after a change at the registry; if it lasts, one of the parent's servers is stale.");

    public IReadOnlyList<Rule> Rules { get; } = [Disagree];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        if (!context.TargetIsParent)
        {
            yield break;
        }

        foreach (var zone in context.Zones)
        {
            var views = zone.Referrals
                .GroupBy(s => View(zone, s))
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToList();
            if (views.Count < 2)
            {
                continue;
            }

            var described = string.Join("; ", views.Select(g =>
                string.Create(CultureInfo.InvariantCulture, $"{string.Join(", ", g.Select(s => $"{s.Name} ({s.Address})"))} {(g.Count() == 1 ? "gives" : "give")} {g.Key}")));
            yield return zone.Finding(Disagree, zone.ZoneLocation,
                string.Create(CultureInfo.InvariantCulture, $"the parent's servers give {views.Count} different delegations of zone {zone.Name}: {described}")) with
            {
                Found = described,
            };
        }
    }

    private static string View(LiveZone zone, ParentServerEvidence server)
    {
        var referral = server.Referral;
        var ns = LiveZone.List(LiveZone.Names(zone.ReferralNs(referral)));
        var glue = string.Join(" ", referral.Additional
            .Select(r => (r.Owner, Address: LiveZone.AddressOf(r)))
            .Where(g => g.Address is not null)
            .Select(g => $"{g.Owner}={g.Address}")
            .Distinct()
            .Order(StringComparer.Ordinal));
        var ds = string.Join(" ", referral.Authority
            .Where(r => r.Owner == zone.Policy.Zone && r.Data is DsRData)
            .Select(r => r.Data.ToString())
            .Distinct()
            .Order(StringComparer.Ordinal));
        return $"NS {ns}, glue {(glue.Length == 0 ? "none" : glue)}, DS {(ds.Length == 0 ? "none" : ds)}";
    }
}
