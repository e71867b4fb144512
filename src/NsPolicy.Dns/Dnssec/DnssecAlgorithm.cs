// DNSSEC algorithm numbers: RFC 4034 Appendix A.1 and the IANA "DNS Security Algorithm Numbers"
// registry (RFC 5702 for 8/10, RFC 6605 for 13/14, RFC 8080 for 15/16).
namespace NsPolicy.Dns.Dnssec;

/// <summary>A DNSSEC algorithm number; values without a name are still valid (cast from byte).</summary>
public enum DnssecAlgorithm : byte
{
    RsaMd5 = 1,
    DiffieHellman = 2,
    Dsa = 3,
    RsaSha1 = 5,
    DsaNsec3Sha1 = 6,
    RsaSha1Nsec3Sha1 = 7,
    RsaSha256 = 8,
    RsaSha512 = 10,
    EccGost = 12,
    EcdsaP256Sha256 = 13,
    EcdsaP384Sha384 = 14,
    Ed25519 = 15,
    Ed448 = 16,
    PrivateDns = 253,
    PrivateOid = 254,
}

/// <summary>Mnemonics of DNSSEC algorithms as the IANA registry and BIND spell them.</summary>
public static class DnssecAlgorithms
{
    private static readonly Dictionary<string, DnssecAlgorithm> ByMnemonic = new(StringComparer.OrdinalIgnoreCase)
    {
        ["RSAMD5"] = DnssecAlgorithm.RsaMd5,
        ["DH"] = DnssecAlgorithm.DiffieHellman,
        ["DSA"] = DnssecAlgorithm.Dsa,
        ["RSASHA1"] = DnssecAlgorithm.RsaSha1,
        ["DSA-NSEC3-SHA1"] = DnssecAlgorithm.DsaNsec3Sha1,
        ["RSASHA1-NSEC3-SHA1"] = DnssecAlgorithm.RsaSha1Nsec3Sha1,
        ["RSASHA256"] = DnssecAlgorithm.RsaSha256,
        ["RSASHA512"] = DnssecAlgorithm.RsaSha512,
        ["ECC-GOST"] = DnssecAlgorithm.EccGost,
        ["ECDSAP256SHA256"] = DnssecAlgorithm.EcdsaP256Sha256,
        ["ECDSAP384SHA384"] = DnssecAlgorithm.EcdsaP384Sha384,
        ["ED25519"] = DnssecAlgorithm.Ed25519,
        ["ED448"] = DnssecAlgorithm.Ed448,
        ["PRIVATEDNS"] = DnssecAlgorithm.PrivateDns,
        ["PRIVATEOID"] = DnssecAlgorithm.PrivateOid,
    };

    /// <summary>The registry mnemonic (e.g. ECDSAP256SHA256), or the number for unnamed values.</summary>
    public static string Mnemonic(this DnssecAlgorithm algorithm)
    {
        foreach (var (name, value) in ByMnemonic)
        {
            if (value == algorithm)
            {
                return name;
            }
        }

        return ((byte)algorithm).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Accepts a decimal number 0–255 or a mnemonic.</summary>
    public static bool TryParse(string? text, out DnssecAlgorithm algorithm)
    {
        algorithm = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (text.Length <= 3 && text.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0
            && byte.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            algorithm = (DnssecAlgorithm)number;
            return true;
        }

        return ByMnemonic.TryGetValue(text, out algorithm);
    }
}

/// <summary>DS digest type numbers (IANA "Delegation Signer (DS) Resource Record Digest Algorithms").</summary>
public enum DsDigestType : byte
{
    Sha1 = 1,
    Sha256 = 2,
    GostR341194 = 3,
    Sha384 = 4,
}
