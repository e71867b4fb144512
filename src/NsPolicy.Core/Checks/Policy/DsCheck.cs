using System.Globalization;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;

namespace NsPolicy.Core.Checks.Policy;

/// <summary>
/// DS records stated in the policy: digest length per digest type, known and current algorithms
/// (IANA DNSSEC registries, RFC 8624), and DS under <c>dnssec: unsigned</c>.
/// </summary>
public sealed class DsCheck : IPolicyCheck
{
    public static readonly Rule DigestLength = new(
        "POLICY_DS_DIGEST_LENGTH",
        Severity.Error,
        "A DS digest has the wrong length for its digest type",
        "Each digest type has a fixed length: SHA-1 20 octets (40 hex digits), SHA-256 32 (64), SHA-384 48 (96). A digest of another length was truncated or pasted from another record, and will never match the zone's key. Copy the DS again, e.g. from `dnssec-dsfromkey -2`.");

    public static readonly Rule AlgorithmUnknown = new(
        "POLICY_DS_ALGORITHM_UNKNOWN",
        Severity.Error,
        "A DS names an unassigned DNSSEC algorithm",
        "The algorithm number is not a DNSSEC signing algorithm in the IANA registry, so no resolver can use the DS. Check the number against the zone's DNSKEY (13 is ECDSAP256SHA256, 8 RSASHA256).");

    public static readonly Rule AlgorithmDeprecated = new(
        "POLICY_DS_ALGORITHM_DEPRECATED",
        Severity.Warning,
        "A DS names a deprecated DNSSEC algorithm",
        "RFC 8624 says RSAMD5, DSA, ECC-GOST must not be used and RSASHA1 variants should not be; validating resolvers increasingly treat such zones as unsigned. Roll the zone to algorithm 13 (ECDSAP256SHA256) or 8 (RSASHA256).");

    public static readonly Rule DigestTypeUnknown = new(
        "POLICY_DS_DIGEST_TYPE_UNKNOWN",
        Severity.Error,
        "A DS names an unassigned digest type",
        "The digest type is not in the IANA DS digest registry, so resolvers ignore the DS. Use digest type 2 (SHA-256).");

    public static readonly Rule DigestTypeDeprecated = new(
        "POLICY_DS_DIGEST_TYPE_DEPRECATED",
        Severity.Warning,
        "A DS uses a deprecated digest type",
        "RFC 8624 says DS records must not be published with SHA-1 (1) or GOST R 34.11-94 (3) digests. Publish a SHA-256 (2) DS instead.");

    public static readonly Rule UnsignedWithDs = new(
        "POLICY_DNSSEC_CONFLICT",
        Severity.Error,
        "A zone expected unsigned lists DS records",
        "With `dnssec: unsigned` the parent must publish no DS, yet the policy lists DS records for the zone. Decide which holds: remove the DS entries or set `dnssec: signed`.");

    private static readonly Dictionary<byte, int> DigestLengths = new()
    {
        [1] = 20, [2] = 32, [3] = 32, [4] = 48, [5] = 32, [6] = 32,
    };

    private static readonly HashSet<byte> DeprecatedDigests = [1, 3];

    private static readonly HashSet<byte> CurrentAlgorithms = [8, 10, 13, 14, 15, 16, 23, 253, 254];

    private static readonly HashSet<byte> DeprecatedAlgorithms = [1, 3, 5, 6, 7, 12];

    public IReadOnlyList<Rule> Rules { get; } = [DigestLength, AlgorithmUnknown, AlgorithmDeprecated, DigestTypeUnknown, DigestTypeDeprecated, UnsignedWithDs];

    public IEnumerable<Finding> Run(PolicyCheckContext context)
    {
        foreach (var zone in context.Policy.Zones)
        {
            var zoneName = zone.Zone;
            if (zone.Dnssec.Value == DnssecExpectation.Unsigned && zone.Ds.Count > 0)
            {
                yield return new Finding(UnsignedWithDs.Code, context.At(zone.Dnssec.Position), $"zone {zoneName} is expected unsigned but the policy lists {zone.Ds.Count.ToString(CultureInfo.InvariantCulture)} DS record(s) for it", zoneName);
            }

            foreach (var ds in zone.Ds)
            {
                var at = context.At(ds.Position);
                var tag = ds.KeyTag.ToString(CultureInfo.InvariantCulture);
                var alg = ds.Algorithm.ToString(CultureInfo.InvariantCulture);
                var type = ds.DigestType.ToString(CultureInfo.InvariantCulture);
                var subject = $"DS {tag} {alg} {type}";
                if (DeprecatedAlgorithms.Contains(ds.Algorithm))
                {
                    yield return new Finding(AlgorithmDeprecated.Code, at, $"DS {tag} of zone {zoneName} uses deprecated algorithm {alg} ({AlgorithmName(ds.Algorithm)})", zoneName)
                    {
                        Subject = subject,
                    };
                }
                else if (!CurrentAlgorithms.Contains(ds.Algorithm))
                {
                    yield return new Finding(AlgorithmUnknown.Code, at, $"DS {tag} of zone {zoneName} uses algorithm {alg}, which is not a DNSSEC signing algorithm", zoneName)
                    {
                        Subject = subject,
                    };
                }

                if (!DigestLengths.TryGetValue(ds.DigestType, out var octets))
                {
                    yield return new Finding(DigestTypeUnknown.Code, at, $"DS {tag} of zone {zoneName} uses digest type {type}, which is not assigned", zoneName)
                    {
                        Subject = subject,
                    };
                    continue;
                }

                if (DeprecatedDigests.Contains(ds.DigestType))
                {
                    yield return new Finding(DigestTypeDeprecated.Code, at, $"DS {tag} of zone {zoneName} uses deprecated digest type {type} ({DigestName(ds.DigestType)})", zoneName)
                    {
                        Subject = subject,
                    };
                }

                if (ds.Digest.Length != octets * 2)
                {
                    yield return new Finding(DigestLength.Code, at, string.Create(CultureInfo.InvariantCulture, $"DS {tag} of zone {zoneName}: a {DigestName(ds.DigestType)} digest has {octets * 2} hex digits, this one has {ds.Digest.Length}"), zoneName)
                    {
                        Expected = (octets * 2).ToString(CultureInfo.InvariantCulture),
                        Found = ds.Digest.Length.ToString(CultureInfo.InvariantCulture),
                        Subject = subject,
                    };
                }
            }
        }
    }

    private static string AlgorithmName(byte algorithm) => algorithm switch
    {
        1 => "RSAMD5",
        3 => "DSA",
        5 => "RSASHA1",
        6 => "DSA-NSEC3-SHA1",
        7 => "RSASHA1-NSEC3-SHA1",
        12 => "ECC-GOST",
        _ => algorithm.ToString(CultureInfo.InvariantCulture),
    };

    private static string DigestName(byte type) => type switch
    {
        1 => "SHA-1",
        2 => "SHA-256",
        3 => "GOST R 34.11-94",
        4 => "SHA-384",
        5 => "GOST R 34.11-2012",
        6 => "SM3",
        _ => type.ToString(CultureInfo.InvariantCulture),
    };
}
