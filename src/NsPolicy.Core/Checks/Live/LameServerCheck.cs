using NsPolicy.Core.Evidence;
using NsPolicy.Core.Findings;
using NsPolicy.Dns;
using NsPolicy.Dns.Records;

namespace NsPolicy.Core.Checks.Live;

/// <summary>
/// Every nameserver address answers authoritatively for the zone (RFC 1912 §2.8, RFC 8499 "lame
/// delegation"): NOERROR, AA set, the SOA in the answer, no referral.
/// </summary>
public sealed class LameServerCheck : ILiveCheck
{
    public static readonly Rule Lame = new(
        "CHILD_LAME",
        Severity.Error,
        "A nameserver answers but not authoritatively for the zone",
        "A lame server (REFUSED, SERVFAIL, an answer without AA, or a referral instead of the zone's data) makes resolvers waste time and retry elsewhere; when it is the only one, the zone fails. If the server no longer serves the zone, someone else may later claim the zone there. Load the zone on the server or remove it from the delegation.");

    public IReadOnlyList<Rule> Rules { get; } = [Lame];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones)
        {
            foreach (var (nameserver, server) in zone.Servers)
            {
                var query = server.SoaUdp.Result is QueryResult.Answer or QueryResult.Malformed ? server.SoaUdp : server.SoaTcp;
                if (Problem(zone, query) is { } problem)
                {
                    yield return zone.Finding(Lame, zone.NameserverLocation(nameserver.Name),
                        $"{LiveZone.Describe(nameserver, server)} is lame for zone {zone.Name}: asked for its SOA it answers {problem}") with
                    {
                        Expected = "an authoritative answer (NOERROR, AA, SOA)",
                        Found = problem,
                        Subject = $"{nameserver.Name} {server.Address}",
                    };
                }
            }
        }
    }

    private static string? Problem(LiveZone zone, QueryEvidence query)
    {
        if (query.Result == QueryResult.Malformed)
        {
            return LiveZone.Outcome(query);
        }

        if (!query.IsAnswer)
        {
            return null;
        }

        if (query.Rcode != DnsResponseCode.NoError)
        {
            return LiveZone.Outcome(query);
        }

        var referral = query.Authority.FirstOrDefault(r => r.Data is NsRData && r.Owner != zone.Policy.Zone);
        if (!query.Authoritative && referral is not null)
        {
            return referral.Owner.IsSubdomainOf(zone.Policy.Zone)
                ? $"with a referral down to {referral.Owner}"
                : $"with a referral up to {referral.Owner}";
        }

        if (!query.Authoritative)
        {
            return "NOERROR without AA";
        }

        return query.Answer.Any(r => r.Owner == zone.Policy.Zone && r.Data is SoaRData) ? null : "NOERROR with AA but without the SOA";
    }
}
