using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;

namespace NsPolicy.Core.Checks.Policy;

/// <summary>Zone files and the root hints file that the policy names but that do not exist.</summary>
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

    public IReadOnlyList<Rule> Rules { get; } = [ZoneFileMissing, RootHintsMissing];

    public IEnumerable<Finding> Run(PolicyCheckContext context)
    {
        if (context.Policy.Settings.RootHints is { } hints && context.Facts.MissingFiles.Contains(hints.Value))
        {
            yield return new Finding(RootHintsMissing.Code, context.At(hints.Position), $"root hints file '{hints.Value}' does not exist")
            {
                Subject = hints.Value,
            };
        }

        foreach (var zone in context.Policy.Zones)
        {
            if (zone.ZoneFile is { } file && context.Facts.MissingFiles.Contains(file.Value))
            {
                yield return new Finding(ZoneFileMissing.Code, context.At(file.Position), $"zone file '{file.Value}' of zone {zone.Zone} does not exist", zone.Zone.ToString())
                {
                    Subject = file.Value,
                };
            }
        }
    }
}
