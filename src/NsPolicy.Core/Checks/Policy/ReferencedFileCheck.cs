using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;

namespace NsPolicy.Core.Checks.Policy;

/// <summary>Zone files and the root hints file that the policy names but that do not exist or may not be read.</summary>
public sealed class ReferencedFileCheck : IPolicyCheck
{
    public static readonly Rule ZoneFileMissing = new(
        "POLICY_ZONE_FILE_MISSING",
        Severity.Error,
        "A zone's zone-file does not exist",
        "The zone-file path (relative to the policy file) names no readable file, so the zone file cannot be compared with the policy. Fix the path, or remove zone-file if the zone is not kept in this repository.");

    public static readonly Rule RootHintsMissing = new(
        "POLICY_ROOT_HINTS_MISSING",
        Severity.Error,
        "The root-hints file does not exist",
        "settings.root-hints names a file (relative to the policy file) that does not exist, so live checks could not start from it. Fix the path, or set root-hints to null for the built-in IANA hints.");

    public static readonly Rule FileRefused = new(
        "POLICY_FILE_REFUSED",
        Severity.Error,
        "A file the policy names may not be read",
        "nspolicy reads only regular files inside the repository that holds the policy (its git work tree, else the policy's folder), with symbolic links followed, and no larger than a limit (zone files 2 GiB, root hints 1 MiB). A path that leaves the repository, a symbolic link to a file outside it (such as /proc/self/environ), a device, FIFO or directory is refused, so a pull request cannot make nspolicy read and print other files. Point the path at a regular file in the repository, or run with --allow-include-outside if the file is meant to be outside.");

    public IReadOnlyList<Rule> Rules { get; } = [ZoneFileMissing, RootHintsMissing, FileRefused];

    public IEnumerable<Finding> Run(PolicyCheckContext context)
    {
        if (context.Policy.Settings.RootHints is { } refusedHints && context.Facts.RefusedFiles.TryGetValue(refusedHints.Value, out var hintsProblem))
        {
            yield return new Finding(FileRefused.Code, context.At(refusedHints.Position), $"root hints file '{Shown(refusedHints.Value)}' {hintsProblem}")
            {
                Subject = refusedHints.Value,
            };
        }

        if (context.Policy.Settings.RootHints is { } hints && context.Facts.MissingFiles.Contains(hints.Value))
        {
            yield return new Finding(RootHintsMissing.Code, context.At(hints.Position), $"root hints file '{Shown(hints.Value)}' does not exist")
            {
                Subject = hints.Value,
            };
        }

        foreach (var zone in context.Policy.Zones)
        {
            if (zone.ZoneFile is { } refused && context.Facts.RefusedFiles.TryGetValue(refused.Value, out var problem))
            {
                yield return new Finding(FileRefused.Code, context.At(refused.Position), $"zone file '{Shown(refused.Value)}' of zone {zone.Zone} {problem}", zone.Zone)
                {
                    Subject = refused.Value,
                };
            }

            if (zone.ZoneFile is { } file && context.Facts.MissingFiles.Contains(file.Value))
            {
                yield return new Finding(ZoneFileMissing.Code, context.At(file.Position), $"zone file '{Shown(file.Value)}' of zone {zone.Zone} does not exist", zone.Zone)
                {
                    Subject = file.Value,
                };
            }
        }
    }

    private static string Shown(string path) => NsPolicy.Dns.Excerpt.Of(path, 80);
}
