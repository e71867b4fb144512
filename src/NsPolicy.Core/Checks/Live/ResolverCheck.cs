using NsPolicy.Core.Evidence;
using NsPolicy.Core.Findings;
using NsPolicy.Dns;
using NsPolicy.Dns.Records;

namespace NsPolicy.Core.Checks.Live;

/// <summary>
/// The configured recursive resolvers answer, agree with each other and with the zone's own NS
/// set, and validate the zone (a validating resolver answers SERVFAIL when DNSSEC fails).
/// </summary>
public sealed class ResolverCheck : ILiveCheck
{
    public static readonly Rule Unreachable = new(
        "RESOLVER_UNREACHABLE",
        Severity.Warning,
        "A configured resolver did not answer",
        "The resolver listed in settings.resolvers (or given with --resolver) did not answer, so what users behind it see is unknown. Check the address, or remove it from the list.");

    public static readonly Rule NsDisagree = new(
        "RESOLVER_NS_DISAGREE",
        Severity.Warning,
        "Resolvers give different NS sets for the zone",
        "Resolvers that return different NS sets (from each other or from the zone's own servers) still hold an old delegation in their cache, or see a split view. Right after a change this ends with the TTL; if it lasts, some users are sent to other servers.");

    public static readonly Rule ValidationFailed = new(
        "RESOLVER_VALIDATION_FAILED",
        Severity.Error,
        "A resolver answers SERVFAIL for the zone",
        "A validating resolver answers SERVFAIL when the zone's DNSSEC chain is broken (DS without matching key, expired signatures) or when it cannot reach any server: users behind it cannot resolve anything in the zone. The DNSSEC_ and CHILD_ findings usually say why.");

    public IReadOnlyList<Rule> Rules { get; } = [Unreachable, NsDisagree, ValidationFailed];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones)
        {
            var at = zone.ZoneLocation;
            foreach (var resolver in zone.Evidence.Resolvers)
            {
                var queries = new[] { resolver.Ns, resolver.Ds };
                if (queries.All(q => q.IsUnreachable))
                {
                    yield return zone.Finding(Unreachable, at, $"resolver {resolver.Address} did not answer for zone {zone.Name} ({LiveZone.Outcome(resolver.Ns)})") with
                    {
                        Subject = resolver.Address.ToString(),
                    };
                    continue;
                }

                var failed = queries.Where(q => q.IsAnswer && q.Rcode == DnsResponseCode.ServFail).Select(q => q.Type.ToString()).ToList();
                if (failed.Count > 0)
                {
                    yield return zone.Finding(ValidationFailed, at, $"resolver {resolver.Address} answers SERVFAIL for zone {zone.Name} ({string.Join(", ", failed)})") with
                    {
                        Expected = "NOERROR",
                        Found = "SERVFAIL",
                        Subject = resolver.Address.ToString(),
                    };
                }
            }

            var sets = zone.Evidence.Resolvers
                .Where(r => r.Ns.IsAnswer && r.Ns.Rcode == DnsResponseCode.NoError)
                .Select(r => (r.Address, Ns: LiveZone.Names(Ns(zone, r.Ns))))
                .Where(r => r.Ns.Count > 0)
                .ToList();
            var distinct = sets.Select(s => LiveZone.List(s.Ns)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var reference = zone.ChildNs.Count > 0 ? LiveZone.List(zone.ChildNs) : null;
            if (distinct.Count > 1 || (distinct.Count == 1 && reference is not null && distinct[0] != reference))
            {
                var described = string.Join("; ", sets.GroupBy(s => LiveZone.List(s.Ns)).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => $"{string.Join(", ", g.Select(s => s.Address.ToString()))} {(g.Count() == 1 ? "gives" : "give")} {g.Key}"));
                yield return zone.Finding(NsDisagree, zone.NameserversLocation,
                    $"resolvers disagree on the NS set of zone {zone.Name}: {described}{(reference is null ? string.Empty : "; the zone's servers give " + reference)}") with
                {
                    Expected = reference,
                    Found = described,
                };
            }
        }
    }

    private static IEnumerable<DnsName> Ns(LiveZone zone, QueryEvidence query) =>
        query.Answer.Where(r => r.Owner == zone.Policy.Zone).Select(r => r.Data).OfType<NsRData>().Select(n => n.Target);
}
