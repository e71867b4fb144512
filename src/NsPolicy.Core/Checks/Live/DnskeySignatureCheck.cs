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
                .GroupBy(x => (x.Verdict!.Value.Rule, x.Verdict.Value.Detail))
                .OrderBy(g => g.Key.Rule.Code, StringComparer.Ordinal)
                .ThenBy(g => g.Key.Detail, StringComparer.Ordinal);
            foreach (var group in verdicts)
            {
                var servers = string.Join(", ", group.Select(x => LiveZone.Describe(x.Nameserver, x.Server)).Distinct());
                yield return zone.Finding(group.Key.Rule, zone.DsLocation,
                    $"the DNSKEY RRset of zone {zone.Name} from {servers}: {group.Key.Detail}") with
                {
                    Found = group.Key.Detail,
                };
            }
        }
    }

    /// <summary>The problem with the DNSKEY RRset in one answer, or null when there is none (or nothing can be said).</summary>
    private static (Rule Rule, string Detail)? Judge(DnsName zone, QueryEvidence answer, DateTimeOffset now, TimeSpan window)
    {
        var rrset = answer.Answer.Where(r => r.Owner == zone && r.Data is DnskeyRData).ToList();
        if (rrset.Count == 0)
        {
            return null;
        }

        var signatures = answer.Answer
            .Where(r => r.Owner == zone && r.Data is RrsigRData s && s.TypeCovered == RecordType.DNSKEY)
            .Select(r => (RrsigRData)r.Data)
            .ToList();
        if (signatures.Count == 0)
        {
            return (Invalid, "no RRSIG covers it");
        }

        var results = signatures.Select(s => (Signature: s, Result: Verify(s, rrset))).ToList();
        var valid = results.Where(r => r.Result.Status == SignatureStatus.Valid).Select(r => r.Signature).ToList();
        if (valid.Count > 0)
        {
            var unixNow = (uint)(now.ToUnixTimeSeconds() & 0xFFFFFFFF);
            var latest = valid.Select(s => s.Expiration).MaxBy(e => (int)(e - unixNow));
            var left = TimeSpan.FromSeconds((int)(latest - unixNow));
            return left < window
                ? (Expiring, string.Create(CultureInfo.InvariantCulture, $"the latest signature expires at {Time(latest)}, in {left.TotalDays:0.#} days"))
                : null;
        }

        if (results.Any(r => r.Result.Status is SignatureStatus.Expired or SignatureStatus.NotYetValid))
        {
            var first = results.First(r => r.Result.Status is SignatureStatus.Expired or SignatureStatus.NotYetValid);
            return (Expired, string.Create(CultureInfo.InvariantCulture,
                $"signature by key {first.Signature.KeyTag} is valid from {Time(first.Signature.Inception)} to {Time(first.Signature.Expiration)}, not at {now.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC"));
        }

        if (results.All(r => r.Result.Status == SignatureStatus.Unsupported))
        {
            return null;
        }

        var failure = results.First(r => r.Result.Status == SignatureStatus.Invalid);
        return (Invalid, string.Create(CultureInfo.InvariantCulture, $"signature by key {failure.Signature.KeyTag} does not verify: {failure.Result.Reason}"));

        SignatureResult Verify(RrsigRData signature, List<ResourceRecord> records)
        {
            var keys = records.Select(r => (DnskeyRData)r.Data).Where(k => k.KeyTag == signature.KeyTag && k.Algorithm == signature.Algorithm).ToList();
            if (keys.Count == 0)
            {
                return new SignatureResult(SignatureStatus.Invalid, string.Create(CultureInfo.InvariantCulture, $"no DNSKEY with key tag {signature.KeyTag} and algorithm {(byte)signature.Algorithm}"));
            }

            var checks = keys.Select(k => SignatureVerifier.Verify(signature, records, k, now)).ToList();
            return checks.FirstOrDefault(c => c.IsValid)
                ?? checks.FirstOrDefault(c => c.Status is SignatureStatus.Expired or SignatureStatus.NotYetValid)
                ?? checks[0];
        }
    }

    private static string Time(uint seconds) =>
        DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
