// What `check --open-pr` proposes for one zone: the policy text with that zone's entry stating the
// live delegation, checked before it is offered (it loads, every other zone and setting means what
// it meant, and the zone now matches what is live).
using System.Globalization;
using System.Text;
using NsPolicy.Core.Init;
using NsPolicy.Core.Policy;
using NsPolicy.Dns;

namespace NsPolicy.Core.Accept;

public enum ProposalKind
{
    /// <summary>The policy already states the live delegation: nothing to propose.</summary>
    Matches,

    /// <summary>The live delegation differs; <see cref="PolicyProposal.Policy"/> is the rewritten file.</summary>
    Drifted,

    /// <summary>The live delegation is not certain enough to be written down (the reason says why).</summary>
    Uncertain,

    /// <summary>The entry cannot be rewritten safely, or the policy does not load (the reason says why).</summary>
    Refused,
}

/// <summary>The outcome for one zone; <see cref="Policy"/> holds the whole new file (same BOM, line breaks and bytes outside the entry).</summary>
public sealed record PolicyProposal(DnsName Zone, ProposalKind Kind, DelegationDrift? Drift, byte[]? Policy, string? Reason)
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// Proposes the change to <paramref name="policy"/> (the file's bytes; <paramref name="file"/> is
    /// its name for messages) that makes <paramref name="zone"/>'s entry state <paramref name="live"/>,
    /// the delegation captured from the parent's referrals.
    /// </summary>
    public static async Task<PolicyProposal> CreateAsync(string file, ReadOnlyMemory<byte> policy, DnsName zone, ZoneBaseline live, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(live);
        var before = await PolicyLoader.LoadAsync(file, policy, cancellationToken).ConfigureAwait(false);
        if (before.Document is not { } document)
        {
            return new(zone, ProposalKind.Refused, null, null, $"{file} does not load: {FirstProblem(before)}");
        }

        var entries = document.Zones.Where(z => z.Zone == zone).ToList();
        if (entries.Count != 1)
        {
            return new(zone, ProposalKind.Refused, null, null, entries.Count == 0 ? $"{file} has no entry for it" : $"{file} lists it more than once");
        }

        var drift = DelegationDrift.Find(entries[0], live);
        if (drift.Uncertain is { } why)
        {
            return new(zone, ProposalKind.Uncertain, drift, null, why);
        }

        if (!drift.Drifted)
        {
            return new(zone, ProposalKind.Matches, drift, null, null);
        }

        var bom = policy.Span.StartsWith(Bom);
        var text = Encoding.UTF8.GetString(policy.Span[(bom ? Bom.Length : 0)..]);
        string rewritten;
        try
        {
            rewritten = PolicyEntryRewriter.Rewrite(text, document, drift);
        }
        catch (EntryRewriteException e)
        {
            return new(zone, ProposalKind.Refused, drift, null, e.Message);
        }

        var bytes = (bom ? Bom : []).Concat(Encoding.UTF8.GetBytes(rewritten)).ToArray();
        var after = await PolicyLoader.LoadAsync(file, bytes, cancellationToken).ConfigureAwait(false);
        if (Verify(before, after, zone, live) is { } problem)
        {
            return new(zone, ProposalKind.Refused, drift, null, $"the rewritten entry would {problem}; change the entry by hand");
        }

        return new(zone, ProposalKind.Drifted, drift, bytes, null);
    }

    /// <summary>Why the rewritten policy cannot be offered, or null when it loads, leaves everything else alone and matches the live delegation.</summary>
    private static string? Verify(PolicyLoadResult loaded, PolicyLoadResult after, DnsName zone, ZoneBaseline live)
    {
        // The loader's findings on the old text (names or addresses it left out) may remain; no new ones.
        var before = loaded.Document!;
        if (after.Document is not { } document || after.Findings.Count > loaded.Findings.Count)
        {
            return $"not load cleanly ({FirstProblem(after)})";
        }

        if (Describe(before.Settings, before.NameserverSets) != Describe(document.Settings, document.NameserverSets))
        {
            return "change the settings or nameserver sets";
        }

        var others = before.Zones.Where(z => z.Zone != zone).Select(Describe).ToList();
        if (!others.SequenceEqual(document.Zones.Where(z => z.Zone != zone).Select(Describe), StringComparer.Ordinal))
        {
            return "change other zones (an anchor in the entry that other zones use?)";
        }

        var rewritten = document.Zones.Where(z => z.Zone == zone).ToList();
        if (rewritten.Count != 1 || DelegationDrift.Find(rewritten[0], live).Differences.Count > 0)
        {
            return "still not match the live delegation";
        }

        return null;
    }

    private static string FirstProblem(PolicyLoadResult load) =>
        load.Findings.Count == 0 ? "no document" : $"{load.Findings[0].Location}: {load.Findings[0].Message}";

    /// <summary>What a zone entry means, without where it is written.</summary>
    internal static string Describe(ZonePolicy zone)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{zone.Zone}|{zone.Spelling}|");
        text.AppendJoin(",", zone.Nameservers.Select(n => $"{n.Name}<{n.ViaSet}>")).Append('|');
        text.AppendJoin(",", zone.SetReferences.Select(r => r.Name)).Append('|');
        text.AppendJoin(",", zone.Glue.Select(g => $"{g.Nameserver}={string.Join(" ", g.Addresses.Select(a => a.Value))}")).Append('|');
        text.AppendJoin(",", zone.Ds.Select(d => $"{d.KeyTag} {d.Algorithm} {d.DigestType} {d.DigestHex}")).Append('|');
        text.Append(CultureInfo.InvariantCulture, $"{zone.MinNameservers.Value}|{zone.NsTtl.Value}|{zone.Dnssec.Value}|{zone.ZoneFile?.Value}|");
        text.AppendJoin(",", zone.Acknowledgements.Select(a => $"{a.Code} {a.Reason} {a.Until:yyyy-MM-dd}"));
        return text.ToString();
    }

    private static string Describe(PolicySettings settings, IReadOnlyList<NameserverSet> sets)
    {
        var text = new StringBuilder();
        text.AppendJoin(",", settings.Resolvers.Select(r => r.Value)).Append('|');
        text.Append(CultureInfo.InvariantCulture, $"{settings.RootHints?.Value}|{settings.Timeout}|{settings.Retries}|");
        text.AppendJoin(",", settings.Severity.Select(s => $"{s.Code}={s.Severity}")).Append('|');
        text.AppendJoin(",", sets.Select(s => $"{s.Name}=[{string.Join(" ", s.Nameservers.Select(n => n.Value))}]"));
        return text.ToString();
    }
}
