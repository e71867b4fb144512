// RFC 6891 §6.1.4: the EDNS flag bits other than DO (Z) are sent as zero and ignored by the
// receiver, so a server answers a query with an undefined flag set as it answers any other, and
// its own OPT record has them clear. Zonemaster's Nameserver12 asks the same (Z_FLAGS_NOTCLEAR,
// NS_ERROR).
using System.Globalization;
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Live;

/// <summary>Every nameserver address ignores an undefined EDNS flag in a query and sets none in its answer.</summary>
public sealed class EdnsFlagsCheck : ILiveCheck
{
    public static readonly Rule Flags = new(
        "CHILD_EDNS_FLAGS",
        Severity.Warning,
        "A nameserver does not ignore an undefined EDNS flag",
        "EDNS flag bits that are not defined yet must be ignored by a server and left clear in its answers (RFC 6891 §6.1.4). A server that answers such a query with an error, not at all, or with undefined flags set in its own OPT record will break when a new flag is put to use (as DO was for DNSSEC). Upgrade the server software or the middlebox in front of it.");

    public IReadOnlyList<Rule> Rules { get; } = [Flags];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones)
        {
            // Servers that answered the plain EDNS query; lame and unreachable ones are judged elsewhere.
            var wrong = zone.Servers.Where(x => x.Server.SoaUdp.IsAuthoritativeAnswer
                && x.Server.EdnsFlag is { Result: not QueryResult.NotAsked and not QueryResult.Blocked } q
                && (!q.IsAuthoritativeAnswer || q.OptZ != 0)).ToList();
            foreach (var finding in EdnsComplianceCheck.Report(zone, Flags, wrong, x => Describe(x.Server.EdnsFlag!), "the answer, with no undefined flag set in its OPT record"))
            {
                yield return finding;
            }
        }
    }

    private static string Describe(QueryEvidence query)
    {
        var flag = string.Create(CultureInfo.InvariantCulture, $"0x{ServerEvidence.UnknownEdnsFlag:x4}");
        return query.IsAuthoritativeAnswer
            ? string.Create(CultureInfo.InvariantCulture, $"undefined EDNS flags 0x{query.OptZ:x4} set in its answer to a query with the undefined flag {flag}")
            : $"{LiveZone.Outcome(query)} to a query with the undefined EDNS flag {flag}";
    }
}
