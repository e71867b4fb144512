// Finding a zone's parent and its servers (once per parent name), and asking each of them for the
// delegation. A server that answers for the child itself (it hosts both) is asked for the DS
// explicitly, since its NS answer carries none (RFC 4035 §3.1.4.1).
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using NsPolicy.Core.Evidence;
using NsPolicy.Dns;
using NsPolicy.Dns.Records;
using NsPolicy.Dns.Resolution;

namespace NsPolicy.Core.Live;

/// <summary>The zone that delegates a child, and its servers' names and addresses.</summary>
internal sealed record ParentServers(DnsName? Zone, string? Error, IReadOnlyList<(DnsName Name, IPAddress Address)> Servers);

internal sealed class ParentDiscovery(IterativeResolver resolver, NameResolution names, RootHints hints)
{
    private readonly ConcurrentDictionary<DnsName, Lazy<Task<ParentServers>>> parents = new();

    /// <summary>The zone that delegates <paramref name="child"/>, and its servers; found once per parent name.</summary>
    public Task<ParentServers> ServersAsync(DnsName child, CancellationToken runToken) =>
        parents.GetOrAdd(child.Parent, p => new Lazy<Task<ParentServers>>(() => FindAsync(p, runToken))).Value;

    /// <summary>Every (chosen) address of every parent server, asked for the zone's NS set with DO.</summary>
    /// <param name="ipv4Only">Ask only the parent servers' IPv4 addresses, unless they have none.</param>
    public static async Task<ParentEvidence> ReferralsAsync(ZoneRun zone, bool ipv4Only)
    {
        if (zone.Zone.IsRoot)
        {
            return new ParentEvidence { Error = "the root zone has no parent" };
        }

        var found = await zone.ParentServersAsync().ConfigureAwait(false);
        var asked = found.Servers;
        if (ipv4Only && asked.Any(s => s.Address.AddressFamily == AddressFamily.InterNetwork))
        {
            asked = [.. asked.Where(s => s.Address.AddressFamily == AddressFamily.InterNetwork)];
        }

        QueryKey[] keys = [.. asked.Select(s => new QueryKey(s.Address, zone.Zone, RecordType.NS, Tcp: false, Dnssec: true, Recursion: false))];
        var answers = await Task.WhenAll(keys.Select(zone.QueryAsync)).ConfigureAwait(false);

        // An unanswered referral is asked again when that parent server answered anything else in the
        // run: lost datagrams must not become a finding about the parent.
        await zone.ReaskSilentAsync(keys, answers).ConfigureAwait(false);
        var referrals = asked.Select((s, i) => new ParentServerEvidence { Name = s.Name, Address = s.Address, Referral = answers[i] }).ToArray();

        // A server that answered for the child itself is asked for the DS explicitly, re-asked as above.
        var serving = Enumerable.Range(0, referrals.Length).Where(i => referrals[i].ServesChild).ToList();
        QueryKey[] dsKeys = [.. serving.Select(i => new QueryKey(referrals[i].Address, zone.Zone, RecordType.DS, Tcp: false, Dnssec: true, Recursion: false))];
        var ds = await Task.WhenAll(dsKeys.Select(zone.QueryAsync)).ConfigureAwait(false);
        await zone.ReaskSilentAsync(dsKeys, ds).ConfigureAwait(false);
        for (var j = 0; j < serving.Count; j++)
        {
            referrals[serving[j]] = referrals[serving[j]] with { DsQuery = ds[j] };
        }

        return new ParentEvidence
        {
            Zone = found.Zone,
            Error = found.Error,
            Servers = [.. referrals.OrderBy(r => r.Name).ThenBy(r => r.Address, AddressOrder.Instance)],
        };
    }

    private async Task<ParentServers> FindAsync(DnsName above, CancellationToken runToken)
    {
        DnsName parent;
        if (above.IsRoot)
        {
            parent = DnsName.Root;
        }
        else
        {
            var soa = await resolver.ResolveAsync(above, RecordType.SOA, runToken).ConfigureAwait(false);
            var owner = soa.Answers.FirstOrDefault(r => r.Data is SoaRData && r.Owner == above)?.Owner
                ?? soa.Response?.Authority.FirstOrDefault(r => r.Data is SoaRData && above.IsSubdomainOf(r.Owner))?.Owner;
            if (owner is null)
            {
                return new ParentServers(null, string.Create(CultureInfo.InvariantCulture,
                    $"the zone above could not be found: {above} SOA ended {soa.Status}{(soa.Error is null ? string.Empty : ": " + soa.Error)}"), []);
            }

            parent = owner;
        }

        if (parent.IsRoot)
        {
            return new ParentServers(parent, null, [.. hints.Servers.SelectMany(s => s.Addresses.Select(a => (s.Name, a)))]);
        }

        var ns = await resolver.ResolveAsync(parent, RecordType.NS, runToken).ConfigureAwait(false);
        var nsNames = ns.Answers.Where(r => r.Owner == parent).Select(r => r.Data).OfType<NsRData>().Select(n => n.Target).Distinct().ToList();
        if (nsNames.Count == 0)
        {
            return new ParentServers(parent, string.Create(CultureInfo.InvariantCulture,
                $"the NS set of the parent {parent} could not be found: {ns.Status}{(ns.Error is null ? string.Empty : ": " + ns.Error)}"), []);
        }

        var servers = new List<(DnsName, IPAddress)>();
        foreach (var name in nsNames)
        {
            var resolution = await names.ResolveAsync(name, runToken).ConfigureAwait(false);
            servers.AddRange(resolution.Addresses.Select(a => (name, a)));
        }

        return servers.Count == 0
            ? new ParentServers(parent, $"no address was found for any server of the parent {parent} ({string.Join(", ", nsNames)})", [])
            : new ParentServers(parent, null, servers);
    }
}
