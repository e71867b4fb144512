// RFC 6891 §6.1.3: a server that does not implement the version of a query answers BADVERS, and
// the OPT record of that answer carries the version it does implement (only 0 is defined), so the
// client can fall back to it; the answer carries no data. Zonemaster's Nameserver10 asks the same
// (N10_EDNS_RESPONSE_ERROR). Whether the rcode is BADVERS at all is CHILD_EDNS_VERSION's to judge.
using System.Globalization;
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Findings;
using NsPolicy.Dns;

namespace NsPolicy.Core.Checks.Live;

/// <summary>Every nameserver address that answers EDNS version 1 with BADVERS does so with an OPT record of version 0 and no answer records.</summary>
public sealed class EdnsBadversCheck : ILiveCheck
{
    public static readonly Rule BadversResponse = new(
        "CHILD_EDNS_BADVERS_RESPONSE",
        Severity.Warning,
        "A nameserver's BADVERS answer does not offer EDNS version 0",
        "Asked with EDNS version 1, the server answered BADVERS, but its OPT record does not give version 0 (the version it does speak; RFC 6891 §6.1.3) or the answer carries records. A client learns from that OPT record which version to fall back to; a wrong one leaves it guessing once EDNS versions beyond 0 are used. Upgrade the server software or the middlebox in front of it.");

    public IReadOnlyList<Rule> Rules { get; } = [BadversResponse];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones)
        {
            var wrong = zone.Servers.Where(x => x.Server.SoaUdp.IsAuthoritativeAnswer
                && x.Server.EdnsVersion is { IsAnswer: true, Rcode: DnsResponseCode.BadVers } q
                && (q.OptVersion != 0 || q.Answer.Count > 0)).ToList();
            foreach (var finding in EdnsComplianceCheck.Report(zone, BadversResponse, wrong, x => Describe(x.Server.EdnsVersion!), "BADVERS with an OPT record of version 0 and no answer records"))
            {
                yield return finding;
            }
        }
    }

    private static string Describe(QueryEvidence badvers)
    {
        var faults = new List<string>();
        if (badvers.OptVersion != 0)
        {
            faults.Add(string.Create(CultureInfo.InvariantCulture, $"an OPT record of version {badvers.OptVersion}"));
        }

        if (badvers.Answer.Count > 0)
        {
            faults.Add(string.Create(CultureInfo.InvariantCulture, $"{badvers.Answer.Count} answer record{(badvers.Answer.Count == 1 ? string.Empty : "s")}"));
        }

        return "BADVERS to EDNS version 1 with " + string.Join(" and ", faults);
    }
}
