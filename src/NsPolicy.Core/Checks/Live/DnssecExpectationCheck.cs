using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;

namespace NsPolicy.Core.Checks.Live;

/// <summary>The zone's DNSSEC state at the parent is what the policy's <c>dnssec</c> says.</summary>
public sealed class DnssecExpectationCheck : ILiveCheck
{
    public static readonly Rule DsMissing = new(
        "DNSSEC_DS_MISSING",
        Severity.Error,
        "The policy expects the zone signed but the parent has no DS",
        "Without a DS at the parent, validating resolvers treat the zone as unsigned, so its signatures protect nobody; a DS that disappeared can also mean someone changed the registrar account. Publish the DS of the key-signing key at the registrar.");

    public static readonly Rule DsUnexpected = new(
        "DNSSEC_DS_UNEXPECTED",
        Severity.Error,
        "The policy expects the zone unsigned but the parent has DS records",
        "The policy says the zone is not signed, yet the parent publishes DS records, which makes validating resolvers demand signatures. Remove the DS at the registrar, or change the policy to dnssec: signed.");

    public static readonly Rule NotSecure = new(
        "DNSSEC_SIGNED_WITHOUT_DS",
        Severity.Notice,
        "The zone is signed but the parent has no DS",
        "The zone publishes DNSKEY records but no DS at the parent points to them, so resolvers treat it as unsigned. That is fine while preparing a rollout; otherwise publish the DS, or state dnssec: unsigned in the policy.");

    public IReadOnlyList<Rule> Rules { get; } = [DsMissing, DsUnexpected, NotSecure];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.ReferredZones)
        {
            var expectation = zone.Policy.Dnssec.Value;
            var at = zone.SettingLocation(zone.Policy.Dnssec.Position);
            if (zone.ParentDs.Count == 0)
            {
                if (expectation == DnssecExpectation.Signed && zone.Policy.Ds.Count == 0)
                {
                    yield return zone.Finding(DsMissing, at, $"zone {zone.Name} is expected signed, but the parent publishes no DS for it") with
                    {
                        Expected = "DS at the parent",
                        Found = "none",
                    };
                }
                else if (expectation == DnssecExpectation.Any && zone.Policy.Ds.Count == 0 && zone.Dnskeys.Count > 0)
                {
                    yield return zone.Finding(NotSecure, at, $"zone {zone.Name} publishes DNSKEY records but the parent has no DS for it, so resolvers treat it as unsigned");
                }
            }
            else if (expectation == DnssecExpectation.Unsigned)
            {
                yield return zone.Finding(DsUnexpected, at,
                    $"zone {zone.Name} is expected unsigned, but the parent publishes DS {string.Join("; ", zone.ParentDs.Select(ParentDsCheck.Describe).Order(StringComparer.Ordinal))}") with
                {
                    Expected = "no DS",
                    Found = string.Join("; ", zone.ParentDs.Select(ParentDsCheck.Describe).Order(StringComparer.Ordinal)),
                };
            }
        }
    }
}
