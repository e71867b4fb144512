// RFC 4035 §5.3: an RRset is authentic when an RRSIG over it verifies with a DNSKEY of the signer
// and the validation time lies between inception and expiration (RFC 4034 §3.1.5). Here the
// DNSKEY RRset, as each server serves it, is checked against its own keys at the time the
// evidence was gathered.
using System.Globalization;
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Findings;
using NsPolicy.Dns;
using NsPolicy.Dns.Dnssec;
using NsPolicy.Dns.Records;

namespace NsPolicy.Core.Checks.Live;

/// <summary>The DNSKEY RRset served by every server carries a valid signature that does not expire soon.</summary>
public sealed class DnskeySignatureCheck : ILiveCheck
{
    public static readonly Rule Invalid = new(
        "DNSSEC_SIGNATURE_INVALID",
        Severity.Error,
        "The DNSKEY RRset has no valid signature",
        "No RRSIG over the zone's DNSKEY RRset verifies with the zone's keys (or there is none): validating resolvers cannot trust any key and answer SERVFAIL for the zone. Re-sign the zone and check that every server loads the signed version.");

    public static readonly Rule Expired = new(
        "DNSSEC_SIGNATURE_EXPIRED",
        Severity.Error,
        "The DNSKEY RRset's signatures have expired (or are not yet valid)",
        "Signatures carry a validity window; outside it validating resolvers reject them and answer SERVFAIL for the zone. The signer has stopped re-signing (a stuck cron job, an expired key store) or a server serves an old copy. Re-sign the zone now and fix the automation.");

    public static readonly Rule Expiring = new(
        "DNSSEC_SIGNATURE_EXPIRING",
        Severity.Warning,
        "The DNSKEY RRset's signatures expire soon",
        "The latest valid signature over the DNSKEY RRset expires within the warning window (7 days unless --signature-window says otherwise). When it does, validating resolvers answer SERVFAIL for the zone. Check that re-signing runs.");

    public IReadOnlyList<Rule> Rules { get; } = [Invalid, Expired, Expiring];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones)
        {
            var verdicts = zone.DnskeyAnswers
                .Select(x => (x.Nameserver, x.Server, Verdict: Judge(zone.Policy.Zone, x.Server.Dnskey, context.Now, context.Settings.SignatureWindow)))
                .Where(x => x.Verdict is not null)
                .GroupBy(x => x.Verdict!.Value.Rule)
                .OrderBy(g => g.Key.Code, StringComparer.Ordinal);
            foreach (var group in verdicts)
            {
                var (text, found) = RrsetSignatures.Summarize(group.Select(x => (LiveZone.Describe(x.Nameserver, x.Server), x.Verdict!.Value.Detail)));
                yield return zone.Finding(group.Key, zone.DsLocation, $"the DNSKEY RRset of zone {zone.Name}{text}") with
                {
                    Found = found,
                };
            }
        }
    }

    /// <summary>The problem with the DNSKEY RRset in one answer, or null when there is none (or nothing can be said).</summary>
    private static (Rule Rule, string Detail)? Judge(DnsName zone, QueryEvidence answer, DateTimeOffset now, TimeSpan window)
    {
        var keys = answer.Answer.Where(r => r.Owner == zone).Select(r => r.Data).OfType<DnskeyRData>().ToList();
        return RrsetSignatures.Judge(zone, RecordType.DNSKEY, answer, keys, now, window) switch
        {
            null => null,
            var (problem, detail) => (problem switch
            {
                SignatureProblem.Expired => Expired,
                SignatureProblem.Expiring => Expiring,
                _ => Invalid,
            }, detail),
        };
    }
}
