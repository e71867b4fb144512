// RRSIG verification: RFC 4035 §5.3 (checks on the RRSIG, the key and the RRset), RFC 4034 §3.1.5
// (validity window in serial number arithmetic, RFC 1982), RFC 5702 (RSA/SHA-256 = 8,
// RSA/SHA-512 = 10; key format RFC 3110 §2), RFC 6605 (ECDSA P-256/SHA-256 = 13,
// P-384/SHA-384 = 14; key Q = x|y, signature r|s), RFC 8080 (Ed25519 = 15, Ed448 = 16; the
// platform has no EdDSA, see EdwardsCurve). Other algorithms are reported as Unsupported, never as
// Valid, unless the validity window alone rules the signature out.
using System.Globalization;
using System.Security.Cryptography;
using NsPolicy.Dns.Records;

namespace NsPolicy.Dns.Dnssec;

public enum SignatureStatus
{
    /// <summary>The signature verifies and the time given lies inside its validity window.</summary>
    Valid,

    /// <summary>The signature, key or RRset does not fit, or the cryptographic check failed.</summary>
    Invalid,

    /// <summary>The algorithm cannot be verified here; nothing is claimed about the signature.</summary>
    Unsupported,

    /// <summary>The signature verifies but its expiration lies before the time given.</summary>
    Expired,

    /// <summary>The signature verifies but its inception lies after the time given.</summary>
    NotYetValid,
}

/// <summary>The outcome of checking one RRSIG; <see cref="Reason"/> says why when it is not Valid.</summary>
public sealed record SignatureResult(SignatureStatus Status, string? Reason)
{
    public static SignatureResult Valid { get; } = new(SignatureStatus.Valid, null);

    public bool IsValid => Status == SignatureStatus.Valid;

    internal static SignatureResult Invalid(string reason) => new(SignatureStatus.Invalid, reason);
}

public static class SignatureVerifier
{
    /// <summary>True for the algorithms this library can verify: 8, 10, 13, 14, 15 and 16 (16 where the platform has SHAKE256).</summary>
    public static bool IsSupported(DnssecAlgorithm algorithm) => algorithm switch
    {
        DnssecAlgorithm.RsaSha256 or DnssecAlgorithm.RsaSha512 or DnssecAlgorithm.EcdsaP256Sha256 or DnssecAlgorithm.EcdsaP384Sha384 or DnssecAlgorithm.Ed25519 => true,
        DnssecAlgorithm.Ed448 => EdwardsCurve.Ed448.IsAvailable,
        _ => false,
    };

    /// <summary>
    /// Checks <paramref name="signature"/> over <paramref name="rrset"/> with <paramref name="key"/>
    /// (owned by the signer's name) at time <paramref name="now"/>. The cryptographic check comes
    /// before the time check, so Expired and NotYetValid mean the signature is otherwise correct;
    /// for an algorithm that cannot be verified here they mean only that the validity window rules
    /// the signature out, which no validator gets past either.
    /// </summary>
    public static SignatureResult Verify(RrsigRData signature, IReadOnlyList<ResourceRecord> rrset, DnskeyRData key, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(rrset);
        ArgumentNullException.ThrowIfNull(key);

        var problem = CheckFit(signature, rrset, key);
        if (problem is not null)
        {
            return SignatureResult.Invalid(problem);
        }

        if (!IsSupported(signature.Algorithm))
        {
            var window = CheckTime(signature, now);
            return window.IsValid
                ? new SignatureResult(SignatureStatus.Unsupported, string.Create(CultureInfo.InvariantCulture,
                    $"algorithm {(byte)signature.Algorithm} ({signature.Algorithm.Mnemonic()}) cannot be verified here"))
                : window with { Reason = string.Create(CultureInfo.InvariantCulture,
                    $"{window.Reason} (algorithm {(byte)signature.Algorithm} cannot be verified here, but no validator accepts it outside that window)") };
        }

        var data = CanonicalForm.SignedData(signature, rrset);
        bool verified;
        try
        {
            verified = signature.Algorithm switch
            {
                DnssecAlgorithm.RsaSha256 => VerifyRsa(key, data, signature, HashAlgorithmName.SHA256),
                DnssecAlgorithm.RsaSha512 => VerifyRsa(key, data, signature, HashAlgorithmName.SHA512),
                DnssecAlgorithm.EcdsaP256Sha256 => VerifyEcdsa(key, data, signature, ECCurve.NamedCurves.nistP256, 32, HashAlgorithmName.SHA256),
                DnssecAlgorithm.EcdsaP384Sha384 => VerifyEcdsa(key, data, signature, ECCurve.NamedCurves.nistP384, 48, HashAlgorithmName.SHA384),
                DnssecAlgorithm.Ed25519 => EdwardsCurve.Ed25519.Verify(key.PublicKey.AsSpan(), data, signature.Signature.AsSpan()),
                _ => EdwardsCurve.Ed448.Verify(key.PublicKey.AsSpan(), data, signature.Signature.AsSpan()),
            };
        }
        catch (FormatException ex)
        {
            return SignatureResult.Invalid(ex.Message);
        }
        catch (CryptographicException ex)
        {
            return SignatureResult.Invalid("the public key is unusable: " + ex.Message);
        }

        if (!verified)
        {
            return SignatureResult.Invalid("the signature does not match the data and key");
        }

        return CheckTime(signature, now);
    }

    /// <summary>
    /// Where <paramref name="now"/> lies relative to the validity window, compared in serial number
    /// arithmetic (RFC 4034 §3.1.5) so the 32-bit time stamps keep working past 2106.
    /// </summary>
    public static SignatureResult CheckTime(RrsigRData signature, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var t = (uint)(now.ToUnixTimeSeconds() & 0xFFFFFFFF);
        if (SerialLess(t, signature.Inception))
        {
            return new SignatureResult(SignatureStatus.NotYetValid,
                $"the signature is valid only from {Presentation.FormatTime(signature.Inception)} (inception)");
        }

        if (SerialLess(signature.Expiration, t))
        {
            return new SignatureResult(SignatureStatus.Expired,
                $"the signature expired at {Presentation.FormatTime(signature.Expiration)}");
        }

        return SignatureResult.Valid;
    }

    private static bool SerialLess(uint a, uint b) => a != b && (int)(a - b) < 0;

    // RFC 4035 §5.3.1 and §5.3.2: everything that must fit before any cryptography is tried.
    private static string? CheckFit(RrsigRData signature, IReadOnlyList<ResourceRecord> rrset, DnskeyRData key)
    {
        if (rrset.Count == 0)
        {
            return "the RRset is empty";
        }

        var first = rrset[0];
        foreach (var record in rrset)
        {
            if (record.Owner != first.Owner || record.Type != first.Type || record.Class != first.Class)
            {
                return $"the records do not form one RRset ({first.Owner} {first.Type} and {record.Owner} {record.Type})";
            }
        }

        if (first.Type != signature.TypeCovered)
        {
            return $"the RRSIG covers {signature.TypeCovered}, not {first.Type}";
        }

        if (!first.Owner.IsSubdomainOf(signature.SignerName))
        {
            return $"the signer {signature.SignerName} is not at or above the owner {first.Owner}";
        }

        var ownerLabels = first.Owner.IsWildcard ? first.Owner.LabelCount - 1 : first.Owner.LabelCount;
        if (signature.Labels > ownerLabels)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"the RRSIG labels field ({signature.Labels}) exceeds the owner's {ownerLabels} labels");
        }

        if (key.Protocol != 3)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the DNSKEY protocol is {key.Protocol}, not 3");
        }

        if (!key.IsZoneKey)
        {
            return "the DNSKEY does not have the zone key flag";
        }

        if (key.Algorithm != signature.Algorithm)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"the DNSKEY has algorithm {(byte)key.Algorithm}, the RRSIG {(byte)signature.Algorithm}");
        }

        if (key.KeyTag != signature.KeyTag)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"the DNSKEY has key tag {key.KeyTag}, the RRSIG names {signature.KeyTag}");
        }

        return null;
    }

    // RFC 3110 §2: exponent length (one octet, or zero then two octets), exponent, modulus.
    private static bool VerifyRsa(DnskeyRData key, byte[] data, RrsigRData signature, HashAlgorithmName hash)
    {
        var k = key.PublicKey.AsSpan();
        if (k.Length < 3)
        {
            throw new FormatException("the RSA public key is too short");
        }

        int exponentLength;
        int offset;
        if (k[0] != 0)
        {
            exponentLength = k[0];
            offset = 1;
        }
        else
        {
            exponentLength = (k[1] << 8) | k[2];
            offset = 3;
        }

        if (exponentLength == 0 || offset + exponentLength >= k.Length)
        {
            throw new FormatException("the RSA public key's exponent length does not fit the key");
        }

        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters
        {
            Exponent = k.Slice(offset, exponentLength).ToArray(),
            Modulus = k[(offset + exponentLength)..].ToArray(),
        });
        return rsa.VerifyData(data, signature.Signature.AsSpan().ToArray(), hash, RSASignaturePadding.Pkcs1);
    }

    private static bool VerifyEcdsa(DnskeyRData key, byte[] data, RrsigRData signature, ECCurve curve, int size, HashAlgorithmName hash)
    {
        var k = key.PublicKey.AsSpan();
        if (k.Length != 2 * size)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                $"the ECDSA public key is {k.Length} octets, not {2 * size}"));
        }

        if (signature.Signature.Length != 2 * size)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                $"the ECDSA signature is {signature.Signature.Length} octets, not {2 * size}"));
        }

        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = curve,
            Q = new ECPoint { X = k[..size].ToArray(), Y = k[size..].ToArray() },
        });
        return ecdsa.VerifyData(data, signature.Signature.AsSpan(), hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}
