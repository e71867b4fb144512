using NsPolicy.Core.Policy;
using NsPolicy.Core.Validation;
using NsPolicy.Dns;
using NsPolicy.Dns.ZoneFiles;
using NsPolicy.Dns.Zones;

namespace NsPolicy.Core.Changes;

/// <summary>The zone files of a base revision, reduced to their serial and a digest of their records (the evidence of the serial check).</summary>
public sealed record BaseZoneContents(string Revision, IReadOnlyDictionary<DnsName, ZoneContent> Zones)
{
    /// <summary>
    /// Reads, for each of <paramref name="zones"/>, the zone file that the policy at the revision
    /// (extracted in <paramref name="checkout"/>) names for it, when there was one.
    /// </summary>
    /// <param name="policyPath">The policy file as the user named it, for the names in messages.</param>
    public static async Task<BaseZoneContents> LoadAsync(BaseCheckout checkout, string policyPath, string revision, IReadOnlyCollection<DnsName> zones, bool allowIncludeOutside, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkout);
        ArgumentNullException.ThrowIfNull(policyPath);
        ArgumentNullException.ThrowIfNull(revision);
        ArgumentNullException.ThrowIfNull(zones);
        var result = new Dictionary<DnsName, ZoneContent>();
        if (zones.Count == 0 || checkout.PolicyPath is not { } basePolicy)
        {
            return new BaseZoneContents(revision, result);
        }

        var (document, _, _) = await new PolicyValidator(time).CheckFileAsync(basePolicy, $"{revision}:{policyPath}", cancellationToken).ConfigureAwait(false);
        var wanted = zones.ToHashSet();
        foreach (var zone in document?.Zones ?? [])
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!wanted.Contains(zone.Zone) || result.ContainsKey(zone.Zone) || zone.ZoneFile is not { } file)
            {
                continue;
            }

            var path = Path.Combine(checkout.Folder, file.Value);
            if (!File.Exists(path))
            {
                continue;
            }

            var options = new ZoneFileOptions { RootDirectory = checkout.Folder, AllowIncludeOutsideRoot = allowIncludeOutside };
            try
            {
                result[zone.Zone] = await Task.Run(() => ZoneContent.Load(path, $"{revision}:{file.Value}", zone.Zone, options), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A base zone file that cannot be read gives no serial to compare with.
            }
        }

        return new BaseZoneContents(revision, result);
    }
}
