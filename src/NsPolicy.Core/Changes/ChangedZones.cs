using System.Globalization;
using NsPolicy.Core.Policy;
using NsPolicy.Core.Validation;
using NsPolicy.Dns;
using NsPolicy.Dns.ZoneFiles;
using NsPolicy.Dns.Zones;

namespace NsPolicy.Core.Changes;

/// <summary>
/// Which zones changed since a git revision: their policy entry differs (nameservers after
/// expanding sets, glue, DS, limits, dnssec, zone-file, acknowledgements), the policy's settings
/// changed (which touches every zone), or their zone file or a file it includes changed.
/// </summary>
public static class ChangedZones
{
    /// <param name="checkout">The policy's folder at <paramref name="revision"/>.</param>
    /// <exception cref="GitException">The folder is not in a git work tree, or the revision is unknown.</exception>
    public static async Task<IReadOnlySet<DnsName>> FindAsync(BaseCheckout checkout, string policyPath, PolicyDocument current, string revision, bool allowIncludeOutside, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkout);
        ArgumentNullException.ThrowIfNull(policyPath);
        ArgumentNullException.ThrowIfNull(current);
        var folder = Path.GetDirectoryName(policyPath) is { Length: > 0 } d ? d : ".";
        var before = checkout.PolicyPath is { } basePolicy
            ? (await new PolicyValidator(time).CheckFileAsync(basePolicy, Path.GetFileName(policyPath), cancellationToken).ConfigureAwait(false)).Document
            : null;
        var changedFiles = (await new GitClient(folder).ChangedFilesAsync(revision, cancellationToken).ConfigureAwait(false))
            .Select(Normalize).ToHashSet(StringComparer.Ordinal);
        var all = current.Zones.Select(z => z.Zone).ToHashSet();
        if (before is null || Settings(before) != Settings(current))
        {
            return all;
        }

        var changed = new HashSet<DnsName>();
        var old = before.Zones.GroupBy(z => z.Zone).ToDictionary(g => g.Key, g => string.Join("\n", g.Select(Entry)));
        foreach (var group in current.Zones.GroupBy(z => z.Zone))
        {
            if (!old.TryGetValue(group.Key, out var entry) || entry != string.Join("\n", group.Select(Entry)))
            {
                changed.Add(group.Key);
            }
        }

        var zoneFiles = current.Zones.Where(z => z.ZoneFile is not null).ToList();
        var named = zoneFiles.Select(z => Normalize(z.ZoneFile!.Value)).ToHashSet(StringComparer.Ordinal);
        foreach (var zone in zoneFiles.Where(z => changedFiles.Contains(Normalize(z.ZoneFile!.Value))))
        {
            changed.Add(zone.Zone);
        }

        // Other changed files may be $INCLUDEd: only then are the zone files read to see what they include.
        if (changedFiles.Any(f => !named.Contains(f)))
        {
            foreach (var zone in zoneFiles.Where(z => !changed.Contains(z.Zone)))
            {
                var path = Path.Combine(folder, zone.ZoneFile!.Value);
                if (!File.Exists(path))
                {
                    continue;
                }

                var options = new ZoneFileOptions { RootDirectory = Path.GetFullPath(folder), AllowIncludeOutsideRoot = allowIncludeOutside };
                var model = await Task.Run(() => ZoneModel.Load(path, zone.ZoneFile.Value, zone.Zone, options), cancellationToken).ConfigureAwait(false);
                if (model.Files.Any(f => changedFiles.Contains(Normalize(f))))
                {
                    changed.Add(zone.Zone);
                }
            }
        }

        return changed;
    }

    private static string Normalize(string path) =>
        Path.GetRelativePath(".", path.Replace('\\', '/')).Replace('\\', '/');

    private static string Settings(PolicyDocument policy) => string.Join("|",
        string.Join(",", policy.Settings.Resolvers.Select(r => r.Value.ToString())),
        policy.Settings.RootHints?.Value ?? "-",
        policy.Settings.Timeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture),
        policy.Settings.Retries.ToString(CultureInfo.InvariantCulture),
        string.Join(",", policy.Settings.Severity.Select(s => $"{s.Code}={s.Severity}")));

    // A zone's entry without positions, so that moving it in the file is not a change.
    private static string Entry(ZonePolicy zone) => string.Join("|",
        string.Join(",", zone.Nameservers.Select(n => n.Name.ToString())),
        string.Join(",", zone.Glue.Select(g => $"{g.Nameserver}={string.Join("/", g.Addresses.Select(a => a.Value.ToString()))}")),
        string.Join(",", zone.Ds.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.KeyTag} {d.Algorithm} {d.DigestType} {d.DigestHex}"))),
        zone.MinNameservers.Value.ToString(CultureInfo.InvariantCulture),
        string.Create(CultureInfo.InvariantCulture, $"{zone.NsTtl.Value.Min}-{zone.NsTtl.Value.Max}"),
        zone.Dnssec.Value.ToString(),
        zone.ZoneFile?.Value ?? "-",
        string.Join(",", zone.Acknowledgements.Select(a => $"{a.Code}:{a.Until:yyyy-MM-dd}:{a.Reason}")));
}
