// DS digests: RFC 4034 §5.1.4 (digest = hash(canonical owner name | DNSKEY RDATA)), RFC 3658/4034
// (SHA-1, type 1), RFC 4509 (SHA-256, type 2), RFC 6605 §2 (SHA-384, type 4).
using System.Collections.Immutable;
using System.Security.Cryptography;
using NsPolicy.Dns.Records;

namespace NsPolicy.Dns.Dnssec;

public static class DsDigest
{
    /// <summary>Digest length in octets for a digest type, or null when the type is unknown here.</summary>
    public static int? ExpectedLength(DsDigestType type) => type switch
    {
        DsDigestType.Sha1 => 20,
        DsDigestType.Sha256 => 32,
        DsDigestType.GostR341194 => 32,
        DsDigestType.Sha384 => 48,
        _ => null,
    };

    /// <summary>True for the digest types this library can compute (1, 2, 4).</summary>
    public static bool IsSupported(DsDigestType type) => type is DsDigestType.Sha1 or DsDigestType.Sha256 or DsDigestType.Sha384;

    /// <summary>The digest of <paramref name="key"/> owned by <paramref name="owner"/>.</summary>
    /// <exception cref="NotSupportedException">The digest type is not 1, 2 or 4.</exception>
    public static ImmutableArray<byte> Compute(DnsName owner, KeyRData key, DsDigestType type)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(key);
        var input = new WireWriter(compress: false, canonical: true);
        input.WriteName(owner, compressible: false, lowerInCanonical: true);
        input.WriteBytes(key.ToWire());
        var data = input.ToArray();
        return type switch
        {
            DsDigestType.Sha1 => [.. SHA1.HashData(data)],
            DsDigestType.Sha256 => [.. SHA256.HashData(data)],
            DsDigestType.Sha384 => [.. SHA384.HashData(data)],
            _ => throw new NotSupportedException($"DS digest type {(byte)type} is not supported (only 1, 2 and 4)"),
        };
    }

    /// <summary>The DS record that refers to <paramref name="key"/>.</summary>
    public static DsRData CreateDs(DnsName owner, KeyRData key, DsDigestType type)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new DsRData(key.KeyTag, key.Algorithm, type, Compute(owner, key, type));
    }

    /// <summary>
    /// True when <paramref name="ds"/> (DS or CDS) refers to <paramref name="key"/> at
    /// <paramref name="owner"/>: same key tag and algorithm, and the digest matches. False for
    /// unsupported digest types; ask <see cref="IsSupported"/> to tell the two apart.
    /// </summary>
    public static bool Matches(DelegationSignerRData ds, DnsName owner, KeyRData key)
    {
        ArgumentNullException.ThrowIfNull(ds);
        ArgumentNullException.ThrowIfNull(key);
        if (ds.KeyTag != key.KeyTag || ds.Algorithm != key.Algorithm || !IsSupported(ds.DigestType))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Compute(owner, key, ds.DigestType).AsSpan(), ds.Digest.AsSpan());
    }
}
