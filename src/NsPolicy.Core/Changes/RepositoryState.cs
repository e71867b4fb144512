using NsPolicy.Core.Policy;
using NsPolicy.Core.Validation;
using NsPolicy.Dns;
using NsPolicy.Dns.Zones;

namespace NsPolicy.Core.Changes;

/// <summary>The policy and the zone files it names, as loaded from one folder (the work tree, or a base revision extracted from git).</summary>
public sealed record RepositoryState(PolicyDocument? Policy, IReadOnlyDictionary<DnsName, ZoneModel> ZoneFiles)
{
    /// <summary>Each loaded zone file's serial and record digest, by zone (as <see cref="ZoneFiles"/>).</summary>
    public IReadOnlyDictionary<DnsName, ZoneContent> Contents { get; init; } = new Dictionary<DnsName, ZoneContent>();

    public static RepositoryState Empty { get; } = new(null, new Dictionary<DnsName, ZoneModel>());

    /// <summary>
    /// Loads the policy at <paramref name="policyPath"/> and each zone file it names (relative to its
    /// folder) that exists. Policy findings are not wanted here; a policy that does not load at all
    /// is an error, since no delegation could be read from it.
    /// </summary>
    /// <exception cref="PolicyUnreadableException">The policy cannot be read or does not load.</exception>
    public static async Task<RepositoryState> LoadAsync(string policyPath, string displayPath, bool allowIncludeOutside, TimeProvider time, CancellationToken cancellationToken)
    {
        var (document, findings, _) = await new PolicyValidator(time).CheckFileAsync(policyPath, displayPath, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            var first = findings.FirstOrDefault();
            throw new PolicyUnreadableException($"{displayPath}: the policy does not load{(first is null ? string.Empty : $": {first.Location}: {first.Message}")}");
        }

        var folder = Path.GetDirectoryName(policyPath) is { Length: > 0 } d ? d : ".";
        var displayFolder = Path.GetDirectoryName(displayPath) ?? string.Empty;
        var settings = new ZoneFileSettings(folder, displayFolder) { AllowIncludeOutsideRoot = allowIncludeOutside };
        var zones = new Dictionary<DnsName, ZoneModel>();
        var contents = new Dictionary<DnsName, ZoneContent>();
        foreach (var zone in document.Zones)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (settings.ExistingFile(zone) is not null && !zones.ContainsKey(zone.Zone))
            {
                zones[zone.Zone] = await settings.LoadAsync(zone, cancellationToken).ConfigureAwait(false);
                contents[zone.Zone] = await settings.LoadContentAsync(zone, cancellationToken).ConfigureAwait(false);
            }
        }

        return new RepositoryState(document, zones) { Contents = contents };
    }
}
