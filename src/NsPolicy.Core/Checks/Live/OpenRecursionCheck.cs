// An authoritative server that also resolves for anyone (RA set, a non-authoritative answer to a
// recursive query for a name outside its zones) can be used for amplification and cache poisoning
// (RFC 5358).
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Live;

/// <summary>No nameserver address of the zone offers recursion to anyone.</summary>
public sealed class OpenRecursionCheck : ILiveCheck
{
    public static readonly Rule Open = new(
        "CHILD_OPEN_RECURSION",
        Severity.Warning,
        "A nameserver offers recursion to anyone",
        "Asked recursively for the root's NS set, a name it does not serve, the server resolved it: it is an open resolver as well as an authoritative server. Open resolvers are used for reflection attacks and are easier to poison (RFC 5358), and mixing the two roles lets cached data leak into authoritative answers. Turn recursion off on authoritative servers (BIND: recursion no; allow-recursion { none; }), or limit it to your own clients.");

    public IReadOnlyList<Rule> Rules { get; } = [Open];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones)
        {
            var open = zone.Servers
                .Where(x => x.Server.Recursion is { IsAnswer: true, Rcode: Dns.DnsResponseCode.NoError, Authoritative: false, RecursionAvailable: true } q && q.Answer.Count > 0)
                .Select(x => LiveZone.Describe(x.Nameserver, x.Server))
                .Distinct()
                .ToList();
            if (open.Count > 0)
            {
                yield return zone.Finding(Open, zone.NameserversLocation,
                    $"{string.Join(", ", open)} of zone {zone.Name} {(open.Count == 1 ? "answers" : "answer")} recursive queries for names outside the zone (RA set, the root's NS set resolved)") with
                {
                    Expected = "REFUSED or a referral to recursive queries",
                    Found = "a recursive answer",
                    Subject = string.Join(", ", open),
                };
            }
        }
    }
}
