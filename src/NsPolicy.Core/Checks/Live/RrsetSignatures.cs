// RFC 4035 §5.3: an RRset is authentic when an RRSIG over it verifies with a DNSKEY of the signer
// and the validation time lies between inception and expiration (RFC 4034 §3.1.5). Shared by the
// checks of the DNSKEY RRset and of the apex SOA and NS RRsets.
using System.Globalization;
using NsPolicy.Core.Evidence;
using NsPolicy.Dns;
using NsPolicy.Dns.Dnssec;
using NsPolicy.Dns.Records;

namespace NsPolicy.Core.Checks.Live;

internal enum SignatureProblem
{
    Invalid,
    Expired,
    Expiring,
}

internal static class RrsetSignatures
{
    /// <summary>
    /// The problem with the <paramref name="type"/> RRset at <paramref name="zone"/> in one answer,
    /// judged with <paramref name="keys"/>, or null when there is none (or nothing can be said: no
    /// such RRset, or only algorithms this build cannot verify).
    /// </summary>
    public static (SignatureProblem Problem, string Detail)? Judge(DnsName zone, RecordType type, QueryEvidence answer, IReadOnlyList<DnskeyRData> keys, DateTimeOffset now, TimeSpan window)
    {
        var rrset = answer.Answer.Where(r => r.Owner == zone && r.Type == type).ToList();
        if (rrset.Count == 0)
        {
            return null;
        }

        var signatures = answer.Answer
            .Where(r => r.Owner == zone && r.Data is RrsigRData s && s.TypeCovered == type)
            .Select(r => (RrsigRData)r.Data)
            .ToList();
        if (signatures.Count == 0)
        {
            return (SignatureProblem.Invalid, "no RRSIG covers it");
        }

        var results = signatures.Select(s => (Signature: s, Result: Verify(s))).ToList();
        var valid = results.Where(r => r.Result.Status == SignatureStatus.Valid).Select(r => r.Signature).ToList();
        if (valid.Count > 0)
        {
            var unixNow = (uint)(now.ToUnixTimeSeconds() & 0xFFFFFFFF);
            var latest = valid.Select(s => s.Expiration).MaxBy(e => (int)(e - unixNow));
            var left = TimeSpan.FromSeconds((int)(latest - unixNow));
            return left < window
                ? (SignatureProblem.Expiring, string.Create(CultureInfo.InvariantCulture, $"the latest signature expires at {Time(latest)}, in {left.TotalDays:0.#} days"))
                : null;
        }

        if (results.Any(r => r.Result.Status is SignatureStatus.Expired or SignatureStatus.NotYetValid))
        {
            var first = results.First(r => r.Result.Status is SignatureStatus.Expired or SignatureStatus.NotYetValid);
            return (SignatureProblem.Expired, string.Create(CultureInfo.InvariantCulture,
                $"signature by key {first.Signature.KeyTag} is valid from {Time(first.Signature.Inception)} to {Time(first.Signature.Expiration)}, not at {now.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC"));
        }

        if (results.All(r => r.Result.Status == SignatureStatus.Unsupported))
        {
            return null;
        }

        var failure = results.First(r => r.Result.Status == SignatureStatus.Invalid);
        return (SignatureProblem.Invalid, string.Create(CultureInfo.InvariantCulture, $"signature by key {failure.Signature.KeyTag} does not verify: {failure.Result.Reason}"));

        SignatureResult Verify(RrsigRData signature)
        {
            // RFC 4035 §5.3.1: the signer is the zone that holds the RRset (and its DNSKEYs).
            if (signature.SignerName != zone)
            {
                return new SignatureResult(SignatureStatus.Invalid, $"the signer is {signature.SignerName}, not the zone {zone}");
            }

            var matching = keys.Where(k => k.KeyTag == signature.KeyTag && k.Algorithm == signature.Algorithm).ToList();
            if (matching.Count == 0)
            {
                return new SignatureResult(SignatureStatus.Invalid, string.Create(CultureInfo.InvariantCulture, $"no DNSKEY with key tag {signature.KeyTag} and algorithm {(byte)signature.Algorithm}"));
            }

            var checks = matching.Select(k => SignatureVerifier.Verify(signature, rrset, k, now)).ToList();
            return checks.FirstOrDefault(c => c.IsValid)
                ?? checks.FirstOrDefault(c => c.Status is SignatureStatus.Expired or SignatureStatus.NotYetValid)
                ?? checks[0];
        }
    }

    /// <summary>
    /// What the servers said about one RRset's signatures, for one finding: " from A, B: detail" when
    /// they agree, ": from A: one; from B: other" when the details differ (each server's own signing).
    /// Found lists the distinct details.
    /// </summary>
    public static (string Text, string Found) Summarize(IEnumerable<(string Server, string Detail)> verdicts)
    {
        var byDetail = verdicts
            .GroupBy(v => v.Detail, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Servers: string.Join(", ", g.Select(v => v.Server).Distinct()), Detail: g.Key))
            .ToList();
        return byDetail is [var one]
            ? ($" from {one.Servers}: {one.Detail}", one.Detail)
            : (": " + string.Join("; ", byDetail.Select(d => $"from {d.Servers}: {d.Detail}")), string.Join("; ", byDetail.Select(d => d.Detail)));
    }

    private static string Time(uint seconds) =>
        DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
