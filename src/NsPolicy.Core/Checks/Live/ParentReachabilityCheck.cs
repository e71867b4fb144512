using System.Globalization;
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Findings;
using NsPolicy.Dns;

namespace NsPolicy.Core.Checks.Live;

/// <summary>The parent must be found and answer, and every server of it that answers must delegate the zone (RFC 1034 §4.2.2).</summary>
public sealed class ParentReachabilityCheck : ILiveCheck
{
    public static readonly Rule Unreachable = new(
        "PARENT_UNREACHABLE",
        Severity.Error,
        "The parent zone's servers could not be found or did not answer",
        "Without an answer from the parent nothing can be said about the delegation, and resolvers are in the same position: the zone may be unreachable for everyone. Check the parent's servers (and, for a test setup, the root hints and the network).");

    public static readonly Rule NotDelegated = new(
        "PARENT_NOT_DELEGATED",
        Severity.Error,
        "The parent does not delegate the zone",
        "The parent's servers answer, but not with a delegation of the zone (NXDOMAIN, or no NS records for it): the zone does not exist for the rest of the DNS. Register or restore the delegation at the registrar, or use --target policy to check readiness before delegating.");

    public static readonly Rule Lame = new(
        "PARENT_LAME",
        Severity.Warning,
        "Some of the parent's servers answer without the delegation",
        "A resolver that asks one of these servers gets an error or no delegation instead of the referral the parent's other servers give, and must try another: resolution of the zone is slower, and fails when only such servers can be reached. The server does not serve the parent zone (lame), or it has lost the delegation. Tell the parent's operator (the registry).");

    public IReadOnlyList<Rule> Rules { get; } = [Unreachable, NotDelegated, Lame];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        if (!context.TargetIsParent)
        {
            yield break;
        }

        foreach (var zone in context.Zones)
        {
            var parent = zone.Evidence.Parent;
            if (parent.Servers.Count == 0)
            {
                yield return zone.Finding(Unreachable, zone.ZoneLocation,
                    $"the parent of zone {zone.Name} could not be asked: {(parent.Error is null ? "no parent server was found" : Dns.Excerpt.Of(parent.Error, 300))}");
                continue;
            }

            var answered = parent.Servers.Where(s => s.Referral.IsAnswer).ToList();
            if (answered.Count == 0)
            {
                var outcomes = string.Join(", ", parent.Servers.GroupBy(s => LiveZone.Outcome(s.Referral)).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {g.Key}")));
                yield return zone.Finding(Unreachable, zone.ZoneLocation,
                    $"no server of the parent {parent.Zone} answered for zone {zone.Name} ({outcomes})") with { Found = outcomes };
                continue;
            }

            if (zone.Referrals.Count == 0)
            {
                var rcodes = string.Join(", ", answered.Select(s => s.Referral.Rcode is { } r ? EvidenceJson.Mnemonic(r) : "no rcode").Distinct().Order(StringComparer.Ordinal));
                var found = answered.Any(s => s.Referral.Rcode == DnsResponseCode.NoError) ? rcodes + " without NS records for the zone" : rcodes;
                yield return zone.Finding(NotDelegated, zone.ZoneLocation,
                    $"the parent {parent.Zone} does not delegate zone {zone.Name}: its servers answer {found}") with
                {
                    Expected = "a delegation",
                    Found = found,
                };
                continue;
            }

            // Servers that answered, but not with the delegation the others give (silence is left to
            // the re-asks and the other checks: it may be loss).
            var lame = answered.Where(s => !s.IsReferral).ToList();
            if (lame.Count > 0)
            {
                var found = string.Join("; ", lame
                    .GroupBy(s => s.Referral.Rcode is { } r && r != DnsResponseCode.NoError ? EvidenceJson.Mnemonic(r) : "NOERROR without NS records for the zone")
                    .OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => $"{g.Key} from {string.Join(", ", g.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Name} ({s.Address})")))}"));
                yield return zone.Finding(Lame, zone.ZoneLocation,
                    string.Create(CultureInfo.InvariantCulture,
                        $"{lame.Count} of the {answered.Count} server addresses of the parent {parent.Zone} that answered give no delegation of zone {zone.Name}: {found}")) with
                {
                    Expected = "a referral from every server of the parent",
                    Found = found,
                };
            }
        }
    }
}
