using System.Globalization;
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Findings;
using NsPolicy.Dns.Records;

namespace NsPolicy.Core.Checks.Live;

/// <summary>
/// All of the parent's servers give the same delegation: NS set, glue and DS (a server that also
/// serves the child: the DS; see <see cref="ParentEvidence.Delegations"/>). Address records for
/// names outside the parent's authority are no glue (nobody uses them; PARENT_GLUE_OUT_OF_BAILIWICK
/// reports them), so they do not make servers disagree.
/// </summary>
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
            // A server that also serves the child answers from the child's zone: its NS set is the
            // child's view and it has no glue of its own, so only its DS (asked explicitly) is compared
            // with the referrals; its NS set counts only when no server referred.
            var referrals = zone.Referrals;
            var parent = zone.Evidence.Parent;
            var nameservers = parent.Delegations.Select(Ns).Distinct(StringComparer.Ordinal).Count();
            var glue = referrals.Where(s => !s.ServesChild).Select(s => Glue(s, parent)).Distinct(StringComparer.Ordinal).Count();
            var ds = referrals.Select(Ds).Distinct(StringComparer.Ordinal).Count();
            if (nameservers < 2 && glue < 2 && ds < 2)
            {
                continue;
            }

            var views = referrals
                .GroupBy(s => View(s, parent))
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToList();
            var described = string.Join("; ", views.Select(g =>
                string.Create(CultureInfo.InvariantCulture, $"{string.Join(", ", g.Select(s => $"{s.Name} ({s.Address})"))} {(g.Count() == 1 ? "gives" : "give")} {g.Key}")));
            yield return zone.Finding(Disagree, zone.ZoneLocation,
                string.Create(CultureInfo.InvariantCulture, $"the parent's servers give {views.Count} different delegations of zone {zone.Name}: {described}")) with
            {
                Found = described,
            };
        }
    }

    private static string View(ParentServerEvidence server, ParentEvidence parent) =>
        !server.ServesChild ? $"{Ns(server)}, {Glue(server, parent)}, {Ds(server)}"
        : parent.OnlyChildViews ? $"{Ns(server)}, glue none (it serves the zone itself), {Ds(server)}"
        : $"no referral (it serves the zone itself), {Ds(server)}";

    private static string Ns(ParentServerEvidence server) => $"NS {LiveZone.List(server.Nameservers)}";

    private static string Glue(ParentServerEvidence server, ParentEvidence parent)
    {
        var glue = string.Join(" ", server.AddressRecords.Where(g => parent.InBailiwick(g.Name)).Select(g => $"{g.Name}={g.Address}").Distinct().Order(StringComparer.Ordinal));
        return "glue " + (glue.Length == 0 ? "none" : glue);
    }

    private static string Ds(ParentServerEvidence server)
    {
        var ds = string.Join(" ", server.Ds.Select(d => d.ToString()).Distinct().Order(StringComparer.Ordinal));
        return "DS " + (ds.Length == 0 ? "none" : ds);
    }
}
