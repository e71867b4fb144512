// RFC 6891: a server that speaks EDNS answers EDNS queries (never FORMERR), answers an unknown
// EDNS version with BADVERS (§6.1.3) and ignores options it does not know (§6.1.2). Resolvers
// send EDNS to everyone; a server that gets it wrong is slow or unreachable for them.
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Findings;
using NsPolicy.Dns;

namespace NsPolicy.Core.Checks.Live;

/// <summary>Every nameserver address that answers the zone handles EDNS as RFC 6891 says.</summary>
public sealed class EdnsComplianceCheck : ILiveCheck
{
    public static readonly Rule FormErr = new(
        "CHILD_EDNS_FORMERR",
        Severity.Error,
        "A nameserver answers EDNS queries with FORMERR",
        "Every resolver sends EDNS(0) (RFC 6891); since DNS flag day 2019 they no longer retry without it, so a server that answers FORMERR to EDNS queries is unreachable for them. Upgrade the server software, or fix the firewall or load balancer that mangles EDNS.");

    public static readonly Rule Version = new(
        "CHILD_EDNS_VERSION",
        Severity.Warning,
        "A nameserver does not answer an unknown EDNS version with BADVERS",
        "Asked with EDNS version 1, a server must answer BADVERS with an OPT record of the version it does speak (RFC 6891 §6.1.3); that is how clients will discover a future version. A server that answers normally, FORMERR or nothing will break when clients start to use one. Upgrade the server software or the middlebox in front of it.");

    public static readonly Rule Option = new(
        "CHILD_EDNS_OPTION",
        Severity.Warning,
        "A nameserver does not ignore an unknown EDNS option",
        "Options a server does not know must be ignored (RFC 6891 §6.1.2). A server (or a middlebox) that answers FORMERR, REFUSED or nothing when a query carries an unknown option breaks every new EDNS feature (cookies, client subnet, padding). Upgrade the server software or the middlebox in front of it.");

    public IReadOnlyList<Rule> Rules { get; } = [FormErr, Version, Option];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones)
        {
            // Only servers that answered the plain EDNS SOA query at all; unreachable ones are judged elsewhere.
            var answering = zone.Servers.Where(x => x.Server.SoaUdp.IsAnswer).ToList();
            var formErr = answering.Where(x => x.Server.SoaUdp.Rcode == DnsResponseCode.FormErr).ToList();
            var healthy = answering.Where(x => x.Server.SoaUdp.IsAuthoritativeAnswer).ToList();
            foreach (var finding in Report(zone, FormErr, formErr, _ => "FORMERR to an EDNS(0) query", "an answer"))
            {
                yield return finding;
            }

            var badVersion = healthy.Where(x => x.Server.EdnsVersion is { Result: not QueryResult.NotAsked and not QueryResult.Blocked } q
                && !(q.IsAnswer && q.Rcode == DnsResponseCode.BadVers)).ToList();
            foreach (var finding in Report(zone, Version, badVersion, x => LiveZone.Outcome(x.Server.EdnsVersion!) + " to EDNS version 1", "BADVERS"))
            {
                yield return finding;
            }

            var badOption = healthy.Where(x => x.Server.EdnsOption is { Result: not QueryResult.NotAsked and not QueryResult.Blocked } q
                && !q.IsAuthoritativeAnswer).ToList();
            foreach (var finding in Report(zone, Option, badOption, x => LiveZone.Outcome(x.Server.EdnsOption!) + " to a query with an unknown option", "the answer, the option ignored"))
            {
                yield return finding;
            }
        }
    }

    internal static IEnumerable<Finding> Report(LiveZone zone, Rule rule, List<(NameserverEvidence Nameserver, ServerEvidence Server)> servers, Func<(NameserverEvidence Nameserver, ServerEvidence Server), string> outcome, string expected) =>
        servers
            .GroupBy(outcome, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var names = string.Join(", ", g.Select(x => LiveZone.Describe(x.Nameserver, x.Server)).Distinct());
                return zone.Finding(rule, zone.NameserverLocation(g.First().Nameserver.Name),
                    $"{names} of zone {zone.Name}: {g.Key}; expected {expected}") with
                {
                    Expected = expected,
                    Found = g.Key,
                    Subject = names,
                };
            });
}
