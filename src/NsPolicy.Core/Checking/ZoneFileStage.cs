using NsPolicy.Core.Changes;
using NsPolicy.Core.Checks;
using NsPolicy.Core.Checks.Zone;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;
using NsPolicy.Dns.Zones;

namespace NsPolicy.Core.Checking;

/// <summary>
/// The zone-file stage: loads each zone's file (gather) and runs the zone checks on it (judge),
/// against the policy entry when there is one, structural checks only when there is not.
/// </summary>
public static class ZoneFileStage
{
    /// <summary>Runs the zone checks on a loaded zone. With no policy entry only the structural checks run.</summary>
    public static IEnumerable<Finding> Judge(ZoneModel zone, string file, ZonePolicy? policy = null, string? policyFile = null, ZoneSerialEvidence? serial = null)
    {
        var context = new ZoneCheckContext(zone, file, policy, policyFile) { Serial = serial };
        foreach (var check in CheckCatalogue.ZoneChecks)
        {
            if (check.NeedsPolicy && policy is null)
            {
                continue;
            }

            foreach (var finding in DeclaredFindings.Of(check, check.Rules, check.Run(context)))
            {
                yield return finding;
            }
        }
    }

    /// <summary>
    /// Loads and checks the zone file of every zone in <paramref name="zones"/> that names one that
    /// exists (a missing one is POLICY_ZONE_FILE_MISSING). Paths are relative to the policy's folder;
    /// findings name them relative to the folder the policy was named from.
    /// </summary>
    /// <remarks>
    /// With <paramref name="baseContents"/> (a base revision's zone files), each zone found there
    /// also has its serial compared with the base (ZONE_SERIAL_*).
    /// </remarks>
    /// <exception cref="CheckRequestException">A zone file exists but cannot be read.</exception>
    public static async Task<IReadOnlyList<Finding>> RunAsync(
        PolicyDocument policy,
        IReadOnlyList<ZonePolicy> zones,
        ZoneFileSettings settings,
        CancellationToken cancellationToken,
        BaseZoneContents? baseContents = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(zones);
        ArgumentNullException.ThrowIfNull(settings);
        var findings = new List<Finding>();
        var seen = new HashSet<Dns.DnsName>();
        foreach (var zone in zones)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // A zone listed twice is POLICY_ZONE_DUPLICATE; its file is checked against the first entry only.
            if (settings.ExistingFile(zone) is null || !seen.Add(zone.Zone))
            {
                continue;
            }

            var display = settings.DisplayPath(zone.ZoneFile!.Value);
            ZoneModel model;
            ZoneSerialEvidence? serial = null;
            try
            {
                model = await settings.LoadAsync(zone, cancellationToken).ConfigureAwait(false);
                if (baseContents?.Zones.GetValueOrDefault(zone.Zone) is { } before)
                {
                    var after = await settings.LoadContentAsync(zone, cancellationToken).ConfigureAwait(false);
                    serial = new ZoneSerialEvidence(baseContents.Revision, before, after);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CheckRequestException($"{display}: cannot read the zone file of zone {zone.Zone}: {e.Message}");
            }

            findings.AddRange(Judge(model, display, zone, policy.File, serial));
        }

        return findings;
    }
}
