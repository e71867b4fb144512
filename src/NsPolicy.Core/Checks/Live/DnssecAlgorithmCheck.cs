// RFC 8624 §3.1 and §3.3: RSAMD5, DSA, ECC-GOST must not be used for signing, RSASHA1 and
// RSASHA1-NSEC3-SHA1 should not; SHA-1 (1) and GOST (3) DS digests must not be published.
using System.Globalization;
using NsPolicy.Core.Findings;
using NsPolicy.Dns.Dnssec;

namespace NsPolicy.Core.Checks.Live;

/// <summary>The zone's DNSKEYs and the parent's DS records use current algorithms and digest types.</summary>
public sealed class DnssecAlgorithmCheck : ILiveCheck
{
    public static readonly Rule AlgorithmDeprecated = new(
        "DNSSEC_ALGORITHM_DEPRECATED",
        Severity.Warning,
        "The zone is signed with a deprecated DNSSEC algorithm",
        "RFC 8624 says RSAMD5, DSA and ECC-GOST must not be used and the RSASHA1 algorithms should not; validating resolvers increasingly treat such zones as unsigned. Roll the zone to algorithm 13 (ECDSAP256SHA256) or 8 (RSASHA256).");

    public static readonly Rule DigestDeprecated = new(
        "DNSSEC_DIGEST_DEPRECATED",
        Severity.Warning,
        "The parent publishes a DS with a deprecated digest type",
        "RFC 8624 says DS records must not use SHA-1 (1) or GOST R 34.11-94 (3) digests. Publish a SHA-256 (2) DS at the registrar and remove the old one.");

    private static readonly HashSet<DnssecAlgorithm> Deprecated =
    [
        DnssecAlgorithm.RsaMd5, DnssecAlgorithm.Dsa, DnssecAlgorithm.RsaSha1, DnssecAlgorithm.DsaNsec3Sha1,
        DnssecAlgorithm.RsaSha1Nsec3Sha1, DnssecAlgorithm.EccGost,
    ];

    public IReadOnlyList<Rule> Rules { get; } = [AlgorithmDeprecated, DigestDeprecated];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones)
        {
            var algorithms = zone.Dnskeys.Select(k => k.Algorithm)
                .Concat(zone.ParentDs.Select(d => d.Algorithm))
                .Where(Deprecated.Contains)
                .Distinct()
                .Order();
            foreach (var algorithm in algorithms)
            {
                var number = ((byte)algorithm).ToString(CultureInfo.InvariantCulture);
                yield return zone.Finding(AlgorithmDeprecated, zone.DsLocation,
                    $"zone {zone.Name} uses deprecated DNSSEC algorithm {number} ({algorithm.Mnemonic()})") with
                {
                    Expected = "algorithm 8, 10, 13, 14, 15 or 16",
                    Found = $"{number} ({algorithm.Mnemonic()})",
                    Subject = number,
                };
            }

            foreach (var ds in zone.ParentDs.Where(d => d.DigestType is DsDigestType.Sha1 or DsDigestType.GostR341194).OrderBy(ParentDsCheck.Describe, StringComparer.Ordinal))
            {
                var type = ((byte)ds.DigestType).ToString(CultureInfo.InvariantCulture);
                yield return zone.Finding(DigestDeprecated, zone.DsLocation,
                    string.Create(CultureInfo.InvariantCulture, $"the parent publishes DS {ds.KeyTag} for zone {zone.Name} with deprecated digest type {type}")) with
                {
                    Expected = "digest type 2 or 4",
                    Found = type,
                    Subject = ParentDsCheck.Describe(ds),
                };
            }
        }
    }
}
