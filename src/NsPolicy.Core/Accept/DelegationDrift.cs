// How a zone's live delegation, as its parent publishes it, differs from what the policy states
// about it: the NS set, the glue of in-zone nameservers, the DS records, and what `init` would
// capture beside them (min-nameservers no higher than the nameservers found, dnssec that fits the
// DS). Pure: policy entry and captured referral in, differences out.
using System.Globalization;
using System.Net;
using NsPolicy.Core.Checks;
using NsPolicy.Core.Init;
using NsPolicy.Core.Policy;
using NsPolicy.Dns;
using NsPolicy.Dns.Records;

namespace NsPolicy.Core.Accept;

/// <summary>One thing the policy states that the live delegation does not match.</summary>
public sealed record DriftItem(string What, string Expected, string Live);

/// <summary>
/// A zone's policy entry against its live delegation. <see cref="Uncertain"/> says why no change
/// can be proposed (the parent's servers disagree, some did not answer, the delegation lacks
/// something a policy needs); otherwise <see cref="Differences"/> lists what the policy would have
/// to say to match, empty when it already does.
/// </summary>
public sealed record DelegationDrift
{
    public required DnsName Zone { get; init; }

    public required ZonePolicy Policy { get; init; }

    /// <summary>The live delegation as init captures it from the parent's referrals.</summary>
    public required ZoneBaseline Live { get; init; }

    public IReadOnlyList<DriftItem> Differences { get; init; } = [];

    /// <summary>Why the live delegation cannot be written as policy; null when it can.</summary>
    public string? Uncertain { get; init; }

    public bool NameserversDiffer { get; init; }

    public bool GlueDiffers { get; init; }

    public bool DsDiffers { get; init; }

    /// <summary>The minimum the entry should state instead, when the policy's is above the nameservers found.</summary>
    public int? MinNameservers { get; init; }

    /// <summary>The dnssec expectation the entry should state instead, when the policy's contradicts the DS found.</summary>
    public DnssecExpectation? Dnssec { get; init; }

    /// <summary>There is something to propose: the live delegation is certain and differs from the policy.</summary>
    public bool Drifted => Uncertain is null && Differences.Count > 0;

    /// <summary>The risk of accepting the live delegation, in one sentence.</summary>
    public string Risk => DriftRisk.Describe(this);

    /// <summary>
    /// Compares <paramref name="zone"/> (as <paramref name="policy"/> states it) with
    /// <paramref name="live"/>, the referral captured by <see cref="ReferralBaseline.Capture"/>.
    /// </summary>
    public static DelegationDrift Find(ZonePolicy zone, ZoneBaseline live)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(live);
        var drift = new DelegationDrift { Zone = zone.Zone, Policy = zone, Live = live };
        if (!live.Captured || live.Problems.Count > 0)
        {
            var why = live.Problems.Count > 0 ? string.Join("; ", live.Problems) : "the live delegation could not be read";
            return drift with { Uncertain = why };
        }

        var differences = new List<DriftItem>();
        var expectedNs = LiveZone.Names(zone.Nameservers.Select(n => n.Name));
        var nsDiffer = !expectedNs.SequenceEqual(live.Nameservers);
        if (nsDiffer)
        {
            differences.Add(new DriftItem("nameservers", LiveZone.List(expectedNs), LiveZone.List(live.Nameservers)));
        }

        var expectedGlue = Glue(zone.Glue.Select(g => (g.Nameserver, g.Addresses.Select(a => a.Value))));
        var liveGlue = Glue(live.Glue.Select(g => (g.Nameserver, (IEnumerable<IPAddress>)g.Addresses)));
        var glueDiffer = !SameGlue(expectedGlue, liveGlue);
        if (glueDiffer)
        {
            differences.Add(new DriftItem("glue", Describe(expectedGlue), Describe(liveGlue)));
        }

        var expectedDs = zone.Ds.Select(Describe).Order(StringComparer.Ordinal).ToList();
        var liveDs = live.Ds.Select(ReferralBaseline.Describe).Order(StringComparer.Ordinal).ToList();
        var dsDiffer = !expectedDs.SequenceEqual(liveDs, StringComparer.Ordinal);
        if (dsDiffer)
        {
            differences.Add(new DriftItem("DS", List(expectedDs), List(liveDs)));
        }

        int? min = null;
        if (zone.MinNameservers.Value > live.Nameservers.Count)
        {
            min = live.Nameservers.Count;
            differences.Add(new DriftItem("min-nameservers",
                zone.MinNameservers.Value.ToString(CultureInfo.InvariantCulture), min.Value.ToString(CultureInfo.InvariantCulture)));
        }

        DnssecExpectation? dnssec = (zone.Dnssec.Value, live.Ds.Count > 0) switch
        {
            (DnssecExpectation.Signed, false) => DnssecExpectation.Unsigned,
            (DnssecExpectation.Unsigned, true) => DnssecExpectation.Signed,
            _ => null,
        };
        if (dnssec is { } wanted)
        {
            differences.Add(new DriftItem("dnssec", Spell(zone.Dnssec.Value), Spell(wanted)));
        }

        return drift with
        {
            Differences = differences,
            NameserversDiffer = nsDiffer,
            GlueDiffers = glueDiffer,
            DsDiffers = dsDiffer,
            MinNameservers = min,
            Dnssec = dnssec,
        };
    }

    internal static string Spell(DnssecExpectation expectation) => expectation switch
    {
        DnssecExpectation.Signed => "signed",
        DnssecExpectation.Unsigned => "unsigned",
        _ => "any",
    };

    private static string Describe(DsSpec ds) =>
        string.Create(CultureInfo.InvariantCulture, $"{ds.KeyTag} {ds.Algorithm} {ds.DigestType} {ds.DigestHex}");

    private static string List(IReadOnlyList<string> items) => items.Count == 0 ? "none" : string.Join(", ", items);

    private static List<(DnsName Name, IReadOnlyList<IPAddress> Addresses)> Glue(IEnumerable<(DnsName Name, IEnumerable<IPAddress> Addresses)> glue) =>
        [.. glue.GroupBy(g => g.Name)
            .Select(g => (g.Key, LiveZone.Addresses(g.SelectMany(x => x.Addresses))))
            .Where(g => g.Item2.Count > 0)
            .OrderBy(g => g.Key)];

    private static string Describe(List<(DnsName Name, IReadOnlyList<IPAddress> Addresses)> glue) =>
        glue.Count == 0 ? "none" : string.Join("; ", glue.Select(g => $"{g.Name} {LiveZone.List(g.Addresses)}"));

    /// <summary>Compares glue lists entry by entry.</summary>
    private static bool SameGlue(List<(DnsName Name, IReadOnlyList<IPAddress> Addresses)> a, List<(DnsName Name, IReadOnlyList<IPAddress> Addresses)> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Name == p.Second.Name && p.First.Addresses.SequenceEqual(p.Second.Addresses));
}

/// <summary>The one-sentence risk of accepting a drift, most serious first.</summary>
internal static class DriftRisk
{
    public static string Describe(DelegationDrift drift)
    {
        var expected = LiveZone.Names(drift.Policy.Nameservers.Select(n => n.Name));
        var live = drift.Live.Nameservers;
        if (drift.NameserversDiffer)
        {
            var known = expected.Select(Domain).ToHashSet();
            var foreign = LiveZone.Names(live.Where(n => !known.Contains(Domain(n))).Select(Domain));
            if (!live.Any(expected.Contains) && foreign.Count > 0)
            {
                return $"Every nameserver moved, to {Plural(foreign, "a provider", "providers")} not in the policy ({LiveZone.List(foreign)}): whoever runs {(foreign.Count == 1 ? "it" : "them")} now answers for the whole zone.";
            }

            if (foreign.Count > 0)
            {
                return $"Nameservers were added at {Plural(foreign, "a provider", "providers")} not in the policy ({LiveZone.List(foreign)}), which can now answer for the zone.";
            }

            var added = live.Where(n => !expected.Contains(n)).ToList();
            var removed = expected.Where(n => !live.Contains(n)).ToList();
            return added.Count > 0
                ? $"The nameservers changed within the providers the policy knows ({LiveZone.List(added)} added{(removed.Count > 0 ? $", {LiveZone.List(removed)} removed" : string.Empty)})."
                : $"Nameservers were removed ({LiveZone.List(removed)}), so the zone depends on fewer servers.";
        }

        if (drift.DsDiffers)
        {
            return drift.Live.Ds.Count == 0
                ? "The DS records were removed at the parent: resolvers no longer validate the zone."
                : drift.Policy.Ds.Count == 0
                    ? "A DS record appeared at the parent: resolvers now validate the zone with a key the policy has not seen, and fail it if that key is not the zone's."
                    : "The DS records changed: a key rollover, or a key that is not yours; resolvers fail the zone if it does not match its DNSKEY.";
        }

        if (drift.GlueDiffers)
        {
            return "The glue changed: resolvers send the zone's queries to addresses the policy does not list.";
        }

        return "The policy expects more than the delegation has (min-nameservers or dnssec), and accepting lowers the bar.";
    }

    private static DnsName Domain(DnsName name) => name.LabelCount > 1 ? name.Parent : name;

    private static string Plural(IReadOnlyList<DnsName> names, string one, string many) => names.Count == 1 ? one : many;
}
