using System.Globalization;
using System.Net;
using NsPolicy.Core.Checks.Zone;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;
using NsPolicy.Dns;
using NsPolicy.Dns.Zones;

namespace NsPolicy.Core.Changes;

public enum ChangeKind
{
    Added,
    Removed,
    Changed,
}

/// <summary>
/// One change to a zone's delegation data: what (NS, NS TTL, glue, DS, DNSKEY, zone), which one,
/// the values before and after when it changed in place, and where it changed (the policy, the zone file, or both).
/// </summary>
public sealed record DelegationChange(ChangeKind Kind, string What, string Subject, string? Before, string? After, string Source);

/// <summary>The changes of one zone, in a stable order, and what is wrong with its SOA serial for them (ZONE_SERIAL_*).</summary>
public sealed record ZoneDiff(DnsName Zone, IReadOnlyList<DelegationChange> Changes)
{
    public IReadOnlyList<Finding> SerialFindings { get; init; } = [];
}

/// <summary>
/// Compares the delegation data of each zone between two repository states: from the policy the
/// nameservers, glue and DS records; from the zone file the apex NS records and their TTL, the
/// addresses of in-zone nameservers, and the DNSKEY records.
/// </summary>
public static class DelegationDiff
{
    private const string FromPolicy = "policy";
    private const string FromZoneFile = "zone file";

    private static readonly string[] WhatOrder = ["zone", "NS", "NS TTL", "glue", "DS", "DNSKEY"];

    /// <summary>Every zone of either state whose delegation data differs, sorted by name.</summary>
    /// <remarks>A zone whose file's records changed without a serial increase (or whose serial went backwards) is listed with that finding, even when its delegation did not change.</remarks>
    public static IReadOnlyList<ZoneDiff> Compare(RepositoryState before, RepositoryState after, string baseRevision = "the base revision")
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var old = Snapshots(before);
        var now = Snapshots(after);
        var result = new List<ZoneDiff>();
        foreach (var zone in old.Keys.Union(now.Keys).Order())
        {
            var changes = Compare(old.GetValueOrDefault(zone), now.GetValueOrDefault(zone));
            var serial = before.Contents.GetValueOrDefault(zone) is { } b && after.Contents.GetValueOrDefault(zone) is { } a
                && ZoneSerialCheck.Judge(zone, new ZoneSerialEvidence(baseRevision, b, a)) is { } finding
                ? [finding]
                : Array.Empty<Finding>();
            if (changes.Count > 0 || serial.Length > 0)
            {
                result.Add(new ZoneDiff(zone, changes) { SerialFindings = serial });
            }
        }

        return result;
    }

    private static List<DelegationChange> Compare(Snapshot? before, Snapshot? after)
    {
        var changes = new List<DelegationChange>();
        if (before is null || after is null)
        {
            changes.Add(new DelegationChange(before is null ? ChangeKind.Added : ChangeKind.Removed, "zone", (before ?? after)!.Zone.ToString(), null, null, FromPolicy));
        }

        before ??= Snapshot.Empty;
        after ??= Snapshot.Empty;
        Sets(changes, "NS", before.PolicyNameservers, after.PolicyNameservers, FromPolicy);
        Sets(changes, "NS", before.FileNameservers, after.FileNameservers, FromZoneFile);
        if (before.FileNsTtls != after.FileNsTtls && before.FileNsTtls.Length > 0 && after.FileNsTtls.Length > 0)
        {
            changes.Add(new DelegationChange(ChangeKind.Changed, "NS TTL", "apex", before.FileNsTtls, after.FileNsTtls, FromZoneFile));
        }

        Maps(changes, "glue", before.PolicyGlue, after.PolicyGlue, FromPolicy);
        Maps(changes, "glue", before.FileAddresses, after.FileAddresses, FromZoneFile);
        Sets(changes, "DS", before.Ds, after.Ds, FromPolicy);
        Sets(changes, "DNSKEY", before.Dnskeys, after.Dnskeys, FromZoneFile);

        // The same change seen in the policy and in the zone file is one change from both.
        return changes
            .GroupBy(c => (c.Kind, c.What, c.Subject, c.Before, c.After))
            .Select(g => g.First() with { Source = string.Join(", ", g.Select(c => c.Source).Distinct()) })
            .OrderBy(c => Array.IndexOf(WhatOrder, c.What))
            .ThenBy(c => c.Subject, StringComparer.Ordinal)
            .ThenBy(c => c.Kind)
            .ThenBy(c => c.Source, StringComparer.Ordinal)
            .ToList();
    }

    private static void Sets(List<DelegationChange> changes, string what, IReadOnlySet<string> before, IReadOnlySet<string> after, string source)
    {
        changes.AddRange(after.Except(before).Select(s => new DelegationChange(ChangeKind.Added, what, s, null, null, source)));
        changes.AddRange(before.Except(after).Select(s => new DelegationChange(ChangeKind.Removed, what, s, null, null, source)));
    }

    private static void Maps(List<DelegationChange> changes, string what, IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after, string source)
    {
        foreach (var key in before.Keys.Union(after.Keys))
        {
            var (old, now) = (before.GetValueOrDefault(key), after.GetValueOrDefault(key));
            if (old == now)
            {
                continue;
            }

            var kind = old is null ? ChangeKind.Added : now is null ? ChangeKind.Removed : ChangeKind.Changed;
            changes.Add(new DelegationChange(kind, what, key, old, now, source));
        }
    }

    private static Dictionary<DnsName, Snapshot> Snapshots(RepositoryState state)
    {
        var result = new Dictionary<DnsName, Snapshot>();
        foreach (var zone in state.Policy?.Zones ?? [])
        {
            if (!result.ContainsKey(zone.Zone))
            {
                result[zone.Zone] = Snapshot.Of(zone, state.ZoneFiles.GetValueOrDefault(zone.Zone));
            }
        }

        return result;
    }

    private sealed record Snapshot(
        DnsName Zone,
        IReadOnlySet<string> PolicyNameservers,
        IReadOnlyDictionary<string, string> PolicyGlue,
        IReadOnlySet<string> Ds,
        IReadOnlySet<string> FileNameservers,
        string FileNsTtls,
        IReadOnlyDictionary<string, string> FileAddresses,
        IReadOnlySet<string> Dnskeys)
    {
        public static Snapshot Empty { get; } = new(DnsName.Root, new HashSet<string>(), new Dictionary<string, string>(), new HashSet<string>(), new HashSet<string>(), string.Empty, new Dictionary<string, string>(), new HashSet<string>());

        public static Snapshot Of(ZonePolicy policy, ZoneModel? file)
        {
            var glue = policy.Glue
                .GroupBy(g => g.Nameserver)
                .ToDictionary(g => g.Key.ToString(), g => Addresses(g.SelectMany(e => e.Addresses).Select(a => a.Value)), StringComparer.Ordinal);
            var ds = policy.Ds
                .Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.KeyTag} {d.Algorithm} {d.DigestType} {d.DigestHex}"))
                .ToHashSet(StringComparer.Ordinal);
            var policyNs = policy.Nameservers.Select(n => n.Name.ToString()).ToHashSet(StringComparer.Ordinal);
            if (file is null)
            {
                return new Snapshot(policy.Zone, policyNs, glue, ds, new HashSet<string>(), string.Empty, new Dictionary<string, string>(), new HashSet<string>());
            }

            var fileNs = file.ApexNameservers.Select(n => n.Target.ToString()).ToHashSet(StringComparer.Ordinal);
            var ttls = string.Join(", ", file.ApexNameservers.Select(n => n.Ttl).Distinct().Order().Select(t => t.ToString(CultureInfo.InvariantCulture)));
            // Addresses of the in-zone nameservers: those the zone file names at its apex and those the policy has glue for.
            var inZone = file.ApexNameservers.Select(n => n.Target)
                .Concat(policy.Glue.Select(g => g.Nameserver))
                .Where(n => n.IsSubdomainOf(policy.Zone))
                .Distinct();
            var addresses = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var name in inZone)
            {
                var found = file.AddressesOf(name);
                if (found.Count > 0)
                {
                    addresses[name.ToString()] = Addresses(found.Select(a => a.Address));
                }
            }

            var keys = file.Dnskeys
                .Select(k => string.Create(CultureInfo.InvariantCulture,
                    $"{k.Data.KeyTag} (algorithm {(byte)k.Data.Algorithm}{(k.Data.IsSecureEntryPoint ? ", KSK" : string.Empty)}, flags {k.Data.Flags}, key {Convert.ToBase64String(k.Data.PublicKey.AsSpan())[..Math.Min(12, k.Data.PublicKey.Length * 4 / 3)]}…)"))
                .ToHashSet(StringComparer.Ordinal);
            return new Snapshot(policy.Zone, policyNs, glue, ds, fileNs, ttls, addresses, keys);
        }

        private static string Addresses(IEnumerable<IPAddress> addresses) =>
            string.Join(", ", addresses.Distinct()
                .OrderBy(a => a.AddressFamily)
                .ThenBy(a => Convert.ToHexString(a.GetAddressBytes()), StringComparer.Ordinal)
                .Select(a => a.ToString()));
    }
}
