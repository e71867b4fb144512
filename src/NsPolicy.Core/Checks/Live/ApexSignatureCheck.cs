// RFC 4035 §2.2: every authoritative RRset of a signed zone carries an RRSIG. The SOA and NS
// RRsets at the apex, as each server serves them (asked with DO), are verified with the zone's
// DNSKEYs and judged with the same window as the DNSKEY RRset's signatures.
using NsPolicy.Core.Findings;
using NsPolicy.Dns;

namespace NsPolicy.Core.Checks.Live;

/// <summary>The apex SOA and NS RRsets of a signed zone carry valid signatures that do not expire soon.</summary>
public sealed class ApexSignatureCheck : ILiveCheck
{
    public static readonly Rule Invalid = new(
        "DNSSEC_APEX_SIGNATURE_INVALID",
        Severity.Error,
        "The apex SOA or NS RRset of a signed zone has no valid signature",
        "In a signed zone every RRset is signed (RFC 4035 §2.2). When no RRSIG over the SOA or NS RRset verifies with the zone's keys (or there is none), validating resolvers answer SERVFAIL for negative answers and referrals of the zone, even while the DNSKEY RRset is fine. Re-sign the zone and check that every server loads the signed version.");

    public static readonly Rule Expired = new(
        "DNSSEC_APEX_SIGNATURE_EXPIRED",
        Severity.Error,
        "The apex SOA or NS RRset's signatures have expired (or are not yet valid)",
        "Outside their validity window signatures are rejected by validating resolvers. A signer that re-signs the keys but not the rest of the zone (or a server that serves an old copy) leaves the DNSKEY RRset valid while SOA and NS expire. Re-sign the zone now and fix the automation.");

    public static readonly Rule Expiring = new(
        "DNSSEC_APEX_SIGNATURE_EXPIRING",
        Severity.Warning,
        "The apex SOA or NS RRset's signatures expire soon",
        "The latest valid signature over the SOA or NS RRset expires within the warning window (7 days unless --signature-window says otherwise). Check that re-signing runs.");

    public IReadOnlyList<Rule> Rules { get; } = [Invalid, Expired, Expiring];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones.Where(z => z.Dnskeys.Count > 0))
        {
            var verdicts = zone.Servers
                .SelectMany(x => new[] { (Type: RecordType.SOA, Query: x.Server.SoaUdp), (Type: RecordType.NS, Query: x.Server.NsUdp) }
                    .Where(q => q.Query.DnssecOk && q.Query.IsAuthoritativeAnswer)
                    .Select(q => (x.Nameserver, x.Server, q.Type, Verdict: RrsetSignatures.Judge(zone.Policy.Zone, q.Type, q.Query, zone.Dnskeys, context.Now, context.Settings.SignatureWindow))))
                .Where(x => x.Verdict is not null)
                .GroupBy(x => (x.Type, x.Verdict!.Value.Problem))
                .OrderBy(g => g.Key.Type.ToString(), StringComparer.Ordinal)
                .ThenBy(g => g.Key.Problem);
            foreach (var group in verdicts)
            {
                var rule = group.Key.Problem switch
                {
                    SignatureProblem.Expired => Expired,
                    SignatureProblem.Expiring => Expiring,
                    _ => Invalid,
                };
                var (text, found) = RrsetSignatures.Summarize(group.Select(x => (LiveZone.Describe(x.Nameserver, x.Server), x.Verdict!.Value.Detail)));
                yield return zone.Finding(rule, zone.DsLocation, $"the {group.Key.Type} RRset of zone {zone.Name}{text}") with
                {
                    Found = found,
                    Subject = group.Key.Type.ToString(),
                };
            }
        }
    }
}
