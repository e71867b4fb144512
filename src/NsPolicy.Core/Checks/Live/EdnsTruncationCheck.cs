// RFC 6891 §7: when a response to a query with an OPT record is truncated, it must still carry an
// OPT record, so the client knows EDNS was understood (and can retry over TCP knowing that). The
// probe is Zonemaster's Nameserver13 (MISSING_OPT_IN_TRUNCATED): DNSKEY with DO and a payload size of
// 512 octets, which a signed zone's answer is likely to exceed; an answer that fits proves nothing.
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Live;

/// <summary>Every nameserver address that truncates an answer to an EDNS query keeps the OPT record in it.</summary>
public sealed class EdnsTruncationCheck : ILiveCheck
{
    public static readonly Rule NoOpt = new(
        "CHILD_EDNS_TRUNCATED_NO_OPT",
        Severity.Warning,
        "A nameserver truncates answers to EDNS queries without an OPT record",
        "Asked for DNSKEY with DO over UDP with room for 512 octets, the server sent a truncated answer (TC) without an OPT record. A truncated answer to an EDNS query must still carry one (RFC 6891 §7); without it a resolver concludes the server does not speak EDNS and may stop asking it for DNSSEC records or large answers. Often a middlebox rewrites truncated answers. Upgrade the server software or fix the middlebox in front of it.");

    public IReadOnlyList<Rule> Rules { get; } = [NoOpt];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones)
        {
            var wrong = zone.Servers.Where(x => x.Server.SoaUdp.IsAuthoritativeAnswer
                && x.Server.EdnsTruncated is { IsAnswer: true, Truncated: true, Edns: false }).ToList();
            foreach (var finding in EdnsComplianceCheck.Report(zone, NoOpt, wrong, _ => "a truncated answer without an OPT record to an EDNS query (DNSKEY, DO, 512 octets)", "an OPT record in the truncated answer"))
            {
                yield return finding;
            }
        }
    }
}
