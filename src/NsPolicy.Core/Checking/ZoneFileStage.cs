using NsPolicy.Core.Changes;
using NsPolicy.Core.Checks;
using NsPolicy.Core.Checks.Zone;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;
using NsPolicy.Dns.ZoneFiles;
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

            foreach (var finding in check.Run(context))
            {
                if (!check.Rules.Any(r => r.Code == finding.Code))
                {
                    throw new InvalidOperationException($"{check.GetType().Name} emitted {finding.Code}, which it does not declare");
                }

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
            if (zone.ZoneFile is not { } file || !File.Exists(Path.Combine(settings.PolicyDirectory, file.Value)) || !seen.Add(zone.Zone))
            {
                continue;
            }

            var path = Path.Combine(settings.PolicyDirectory, file.Value);
            var display = settings.DisplayPath(file.Value);
            ZoneModel model;
            ZoneSerialEvidence? serial = null;
            try
            {
                model = await Task.Run(() => LoadZone(path, display, zone, settings), cancellationToken).ConfigureAwait(false);
                if (baseContents?.Zones.GetValueOrDefault(zone.Zone) is { } before)
                {
                    var after = await Task.Run(() => ZoneContent.Load(path, display, zone.Zone, Options(settings)), cancellationToken).ConfigureAwait(false);
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

    private static ZoneModel LoadZone(string path, string display, ZonePolicy zone, ZoneFileSettings settings) =>
        ZoneModel.Load(path, display, zone.Zone, Options(settings));

    private static ZoneFileOptions Options(ZoneFileSettings settings) => new()
    {
        RootDirectory = Path.GetFullPath(settings.IncludeRoot ?? settings.PolicyDirectory),
        AllowIncludeOutsideRoot = settings.AllowIncludeOutsideRoot,
    };
}

/// <summary>Where zone files are and how their $INCLUDEs are guarded.</summary>
/// <param name="PolicyDirectory">The folder of the policy file: zone-file paths start there.</param>
/// <param name="DisplayDirectory">That folder as findings name it (the folder part of the policy's display path; empty for the current folder).</param>
public sealed record ZoneFileSettings(string PolicyDirectory, string DisplayDirectory)
{
    /// <summary>$INCLUDE targets must stay inside this folder; null means the policy's folder (the repository root).</summary>
    public string? IncludeRoot { get; init; }

    /// <summary>Lets $INCLUDE leave <see cref="IncludeRoot"/>.</summary>
    public bool AllowIncludeOutsideRoot { get; init; }

    public string DisplayPath(string relative) =>
        (DisplayDirectory.Length == 0 ? relative : Path.Combine(DisplayDirectory, relative)).Replace('\\', '/');
}
