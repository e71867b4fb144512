// A zone's delegation as its parent publishes it (RFC 1034 §4.2.1, RFC 4035 §3.1.4): the NS set,
// the glue of nameservers inside the zone (RFC 9471) and the DS records, from every parent server
// address that gave a referral. Pure: evidence in, baseline out.
using System.Globalization;
using System.Net;
using NsPolicy.Core.Checks;
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Live;
using NsPolicy.Dns;
using NsPolicy.Dns.Records;

namespace NsPolicy.Core.Init;

public static class ReferralBaseline
{
    /// <summary>
    /// The union of what the parent's servers delegate to, with a problem for every server that gave
    /// no referral and one when the referrals differ.
    /// </summary>
    public static ZoneBaseline Capture(ZoneEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var zone = evidence.Zone;
        var parent = evidence.Parent;
        var parentName = parent.Zone switch
        {
            null => "the parent",
            { IsRoot: true } => "the root",
            var name => $"the parent {name}",
        };
        if (parent.Error is not null || parent.Servers.Count == 0)
        {
            return new ZoneBaseline
            {
                Zone = zone,
                Source = parentName,
                Problems = [$"not captured: {parent.Error ?? "no server of the parent was found"}"],
            };
        }

        var onlyChildViews = parent.OnlyChildViews;
        var views = parent.Servers.Select(s => (Server: s, View: ViewOf(zone, s, onlyChildViews))).ToList();
        var answered = views.Where(v => v.View is not null).Select(v => (v.Server, View: v.View!)).ToList();
        var silent = views.Where(v => v.View is null).Select(v => v.Server).ToList();
        var source = string.Create(CultureInfo.InvariantCulture,
            $"as {parentName} delegates it ({answered.Count} of {parent.Servers.Count} server addresses gave a referral)");
        if (answered.Count == 0)
        {
            return new ZoneBaseline
            {
                Zone = zone,
                Source = parentName,
                Problems = [$"not captured: {parentName} gives no delegation for it: {Outcomes(silent)}"],
            };
        }

        var problems = new List<string>();
        if (silent.Count > 0)
        {
            problems.Add($"some of the parent's servers gave no referral: {Outcomes(silent)}; the entry holds what the others gave");
        }

        // A server that also serves the child answers from the child's zone: its NS set is the child's
        // view and it has no glue of its own, so only its DS (asked explicitly) is compared with the
        // referrals, and the entry takes NS set and glue from the referrals (ParentEvidence.Delegations).
        var groups = answered.GroupBy(a => a.View.Describe(), StringComparer.Ordinal).ToList();
        var delegating = answered.Where(a => onlyChildViews || !a.Server.ServesChild).ToList();
        var nsViews = delegating.Select(a => LiveZone.List(a.View.Nameservers)).Distinct(StringComparer.Ordinal).Count();
        var glueViews = delegating.Select(a => a.View.Describe()).Distinct(StringComparer.Ordinal).Count();
        var dsViews = answered.Select(a => a.View.Describe(withNameservers: false)).Distinct(StringComparer.Ordinal).Count();
        if (nsViews > 1 || glueViews > 1 || dsViews > 1)
        {
            var parts = groups.Select(g => $"From {string.Join(", ", g.Select(a => Describe(a.Server)))}: {g.Key}.");
            problems.Add($"the parent's servers disagree. {string.Join(" ", parts)} The entry holds all of it together.");
        }

        if (onlyChildViews)
        {
            problems.Add($"every server of {parentName} that answered serves the zone itself, so the parent's own NS set and glue cannot be seen: the entry holds the zone's own NS set and addresses as those servers give them; confirm them with the registry");
        }

        var nameservers = LiveZone.Names(delegating.SelectMany(a => a.View.Nameservers));
        if (ZoneBaseline.Unwritable(zone, source, nameservers) is { } unwritable)
        {
            return unwritable;
        }

        var inZoneGlue = delegating.SelectMany(a => a.View.Glue)
            .GroupBy(g => g.Name)
            .ToDictionary(g => g.Key, g => LiveZone.Addresses(g.Select(x => x.Address)));
        var glue = nameservers.Where(n => n.IsSubdomainOf(zone))
            .Where(inZoneGlue.ContainsKey)
            .Select(n => new BaselineGlue(n, inZoneGlue[n]))
            .ToList();
        foreach (var name in nameservers.Where(n => n.IsSubdomainOf(zone) && !inZoneGlue.ContainsKey(n)))
        {
            problems.Add($"{parentName} publishes no glue for {name}, a nameserver inside the zone; add its addresses under glue");
        }

        foreach (var (name, addresses) in inZoneGlue.Where(g => !nameservers.Contains(g.Key)).OrderBy(g => g.Key))
        {
            problems.Add($"{parentName} publishes glue {LiveZone.List(addresses)} for {name}, which is not one of the zone's nameservers; left out");
        }

        if (nameservers.Count < 2)
        {
            problems.Add("only one nameserver is delegated; RFC 1034 asks for at least two");
        }

        return new ZoneBaseline
        {
            Zone = zone,
            Source = source,
            Nameservers = nameservers,
            Glue = glue,
            Ds = Sorted(answered.SelectMany(a => a.View.Ds)),
            Problems = problems,
        };
    }

    internal static IReadOnlyList<DsRData> Sorted(IEnumerable<DsRData> ds) =>
        [.. ds.DistinctBy(Describe)
            .OrderBy(d => d.KeyTag)
            .ThenBy(d => d.Algorithm)
            .ThenBy(d => d.DigestType)
            .ThenBy(d => Convert.ToHexString(d.Digest.AsSpan()), StringComparer.Ordinal)];

    internal static string Describe(DsRData ds) =>
        string.Create(CultureInfo.InvariantCulture, $"{ds.KeyTag} {(byte)ds.Algorithm} {(byte)ds.DigestType} {Convert.ToHexString(ds.Digest.AsSpan())}");

    private static string Describe(ParentServerEvidence server) => string.Create(CultureInfo.InvariantCulture, $"{server.Name} ({server.Address})");

    /// <summary>"timeout from a.nic.test. (192.0.2.1); NXDOMAIN from b.nic.test. (192.0.2.2), c.nic.test. (192.0.2.3)".</summary>
    private static string Outcomes(IEnumerable<ParentServerEvidence> servers) =>
        string.Join("; ", servers
            .GroupBy(s => Outcome(s.Referral), StringComparer.Ordinal)
            .Select(g => $"{g.Key} from {string.Join(", ", g.Select(Describe))}"));

    private static string Outcome(QueryEvidence query) => query switch
    {
        { Result: QueryResult.Answer, Rcode: { } rcode } when rcode != DnsResponseCode.NoError => EvidenceJson.Mnemonic(rcode),
        { Result: QueryResult.Answer, Authoritative: true } => "an authoritative answer without NS records (the name is not delegated)",
        { Result: QueryResult.Answer } => "NOERROR without a delegation",
        _ => LiveZone.Outcome(query),
    };

    /// <summary>What one server's referral says, or null when it is not a referral for the zone.</summary>
    private static ReferralView? ViewOf(DnsName zone, ParentServerEvidence server, bool onlyChildViews)
    {
        if (!server.IsReferral)
        {
            return null;
        }

        var glue = server.ServesChild && !onlyChildViews
            ? []
            : server.AddressRecords
                .Where(g => g.Name.IsSubdomainOf(zone))
                .Select(g => (g.Name, g.Address))
                .OrderBy(g => g.Name)
                .ThenBy(g => g.Address, AddressOrder.Instance)
                .ToList();
        return new ReferralView(server.Nameservers, glue, Sorted(server.Ds), server.ServesChild);
    }

    private sealed record ReferralView(IReadOnlyList<DnsName> Nameservers, IReadOnlyList<(DnsName Name, IPAddress Address)> Glue, IReadOnlyList<DsRData> Ds, bool ServesChild)
    {
        /// <summary>"NS a, b; glue …; DS …", or only "DS …" without the nameservers (a server that serves the zone itself has no glue of its own).</summary>
        public string Describe(bool withNameservers = true)
        {
            if (!withNameservers)
            {
                return "DS " + DsText();
            }

            var text = "NS " + LiveZone.List(Nameservers);
            if (ServesChild)
            {
                text += " (it serves the zone itself)";
            }
            else if (Glue.Count > 0)
            {
                text += "; glue " + string.Join(", ", Glue.GroupBy(g => g.Name).Select(g => $"{g.Key} {string.Join(" ", g.Select(x => x.Address))}"));
            }

            return text + "; DS " + DsText();
        }

        private string DsText() => Ds.Count == 0 ? "none" : string.Join(", ", Ds.Select(ReferralBaseline.Describe));
    }
}
