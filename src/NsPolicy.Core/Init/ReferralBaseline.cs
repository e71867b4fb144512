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

        var views = parent.Servers.Select(s => (Server: s, View: ViewOf(zone, s))).ToList();
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

        // A server that also serves the child answers with the child's NS set and no glue of its own:
        // only its NS set and DS (asked explicitly) are compared with the referrals.
        var groups = answered.GroupBy(a => a.View.Describe(), StringComparer.Ordinal).ToList();
        var delegations = answered.Select(a => a.View.Describe(withGlue: false)).Distinct(StringComparer.Ordinal).Count();
        var glueViews = answered.Where(a => !a.Server.ServesChild).Select(a => a.View.Describe()).Distinct(StringComparer.Ordinal).Count();
        if (delegations > 1 || glueViews > 1)
        {
            var parts = groups.Select(g => $"From {string.Join(", ", g.Select(a => Describe(a.Server)))}: {g.Key}.");
            problems.Add($"the parent's servers disagree. {string.Join(" ", parts)} The entry holds all of it together.");
        }

        var nameservers = LiveZone.Names(answered.SelectMany(a => a.View.Nameservers));
        if (ZoneBaseline.Unwritable(zone, source, nameservers) is { } unwritable)
        {
            return unwritable;
        }

        var inZoneGlue = answered.SelectMany(a => a.View.Glue)
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
    private static ReferralView? ViewOf(DnsName zone, ParentServerEvidence server)
    {
        if (!server.IsReferral)
        {
            return null;
        }

        var glue = server.ServesChild
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
        public string Describe(bool withGlue = true)
        {
            var text = "NS " + LiveZone.List(Nameservers);
            if (ServesChild && withGlue)
            {
                text += " (it serves the zone itself)";
            }
            else if (Glue.Count > 0 && withGlue)
            {
                text += "; glue " + string.Join(", ", Glue.GroupBy(g => g.Name).Select(g => $"{g.Key} {string.Join(" ", g.Select(x => x.Address))}"));
            }

            return text + "; DS " + (Ds.Count == 0 ? "none" : string.Join(", ", Ds.Select(ReferralBaseline.Describe)));
        }
    }
}
