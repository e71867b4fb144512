// EdDSA signature verification, RFC 8032 §5.1.7 (Ed25519) and §5.2.7 (Ed448), as DNSSEC uses it
// (RFC 8080: algorithm 15 and 16, the public key is the 32- or 57-octet encoded point A, the
// signature is R | S). The platform has no EdDSA, so the curve arithmetic is done here on
// BigInteger in projective coordinates with the complete addition law for twisted Edwards curves
// a·x² + y² = 1 + d·x²·y² (a = -1 for edwards25519, a = 1 for edwards448). Verification handles
// public data only, so constant time does not matter. The check is the cofactorless one,
// [S]B = R + [k]A, which RFC 8032 allows and OpenSSL (hence BIND and Knot) uses.
using System.Numerics;
using System.Security.Cryptography;

namespace NsPolicy.Dns.Dnssec;

internal sealed class EdwardsCurve
{
    public static readonly EdwardsCurve Ed25519 = new(
        p: BigInteger.Pow(2, 255) - 19,
        a: -1,
        d: Parse("37095705934669439343138083508754565189542113879843219016388785533085940283555"),
        baseX: Parse("15112221349535400772501151409588531511454012693041857206046113283949847762202"),
        baseY: Parse("46316835694926478169428394003475163141307993866256225615783033603165251855960"),
        order: BigInteger.Pow(2, 252) + Parse("27742317777372353535851937790883648493"),
        size: 32,
        hash: data => SHA512.HashData(data));

    public static readonly EdwardsCurve Ed448 = new(
        p: BigInteger.Pow(2, 448) - BigInteger.Pow(2, 224) - 1,
        a: 1,
        d: -39081,
        baseX: Parse("224580040295924300187604334099896036246789641632564134246125461686950415467406032909029192869357953282578032075146446173674602635247710"),
        baseY: Parse("298819210078481492676017930443930673437544040154080242095928241372331506189835876003536878655418784733982303233503462500531545062832660"),
        order: BigInteger.Pow(2, 446) - Parse("13818066809895115352007386748515426880336692474882178609894547503885"),
        size: 57,
        // dom4(0, "") = "SigEd448" | 0x00 | 0x00, then SHAKE256 with 114 octets of output.
        hash: data => Shake256.HashData([.. "SigEd448"u8, 0, 0, .. data], 114));

    private readonly BigInteger p;
    private readonly BigInteger a;
    private readonly BigInteger d;
    private readonly Point basePoint;
    private readonly BigInteger order;
    private readonly int size;
    private readonly Func<byte[], byte[]> hash;
    private readonly BigInteger sqrtMinusOne;

    private EdwardsCurve(BigInteger p, BigInteger a, BigInteger d, BigInteger baseX, BigInteger baseY, BigInteger order, int size, Func<byte[], byte[]> hash)
    {
        this.p = p;
        this.a = Mod(a, p);
        this.d = Mod(d, p);
        basePoint = new Point(baseX, baseY, BigInteger.One);
        this.order = order;
        this.size = size;
        this.hash = hash;
        sqrtMinusOne = BigInteger.ModPow(2, (p - 1) / 4, p);
    }

    /// <summary>True when the hash this curve needs is available here (SHAKE256 needs OpenSSL 1.1.1 or later).</summary>
    public bool IsAvailable => size == 32 || Shake256.IsSupported;

    /// <summary>
    /// Whether <paramref name="signature"/> (R | S) is a signature of <paramref name="message"/> by
    /// <paramref name="publicKey"/>; a key or signature of the wrong length or not on the curve
    /// throws <see cref="FormatException"/>.
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != size)
        {
            throw new FormatException($"the public key is {publicKey.Length} octets, not {size}");
        }

        if (signature.Length != 2 * size)
        {
            throw new FormatException($"the signature is {signature.Length} octets, not {2 * size}");
        }

        var key = Decode(publicKey) ?? throw new FormatException("the public key is not a point on the curve");
        var r = Decode(signature[..size]);
        var s = new BigInteger(signature[size..], isUnsigned: true, isBigEndian: false);
        if (r is null || s >= order)
        {
            return false;
        }

        var k = Mod(new BigInteger(hash([.. signature[..size], .. publicKey, .. message]), isUnsigned: true, isBigEndian: false), order);
        var left = Multiply(basePoint, s);
        var right = Add(r.Value, Multiply(key, k));
        return Mod(left.X * right.Z - right.X * left.Z, p).IsZero && Mod(left.Y * right.Z - right.Y * left.Z, p).IsZero;
    }

    // RFC 8032 §5.1.3 / §5.2.3: little-endian y with the sign of x in the top bit of the last octet.
    private Point? Decode(ReadOnlySpan<byte> encoded)
    {
        var bytes = encoded.ToArray();
        var sign = (bytes[^1] & 0x80) != 0;
        bytes[^1] &= 0x7F;
        var y = new BigInteger(bytes, isUnsigned: true, isBigEndian: false);
        if (y >= p)
        {
            return null;
        }

        // x² = (y² - 1) / (d·y² - a)
        var y2 = y * y % p;
        var u = Mod(y2 - 1, p);
        var v = Mod(d * y2 - a, p);
        var x2 = u * BigInteger.ModPow(v, p - 2, p) % p;
        var x = SquareRoot(x2);
        if (x is null || (x.Value.IsZero && sign))
        {
            return null;
        }

        var root = x.Value;
        if (!root.IsEven != sign)
        {
            root = p - root;
        }

        return new Point(root, y, BigInteger.One);
    }

    private BigInteger? SquareRoot(BigInteger value)
    {
        BigInteger candidate;
        if (p % 4 == 3)
        {
            candidate = BigInteger.ModPow(value, (p + 1) / 4, p);
        }
        else
        {
            candidate = BigInteger.ModPow(value, (p + 3) / 8, p);
            if (candidate * candidate % p != value)
            {
                candidate = candidate * sqrtMinusOne % p;
            }
        }

        return candidate * candidate % p == value ? candidate : null;
    }

    private Point Multiply(Point point, BigInteger scalar)
    {
        var result = new Point(BigInteger.Zero, BigInteger.One, BigInteger.One);
        var addend = point;
        while (!scalar.IsZero)
        {
            if (!scalar.IsEven)
            {
                result = Add(result, addend);
            }

            addend = Add(addend, addend);
            scalar >>= 1;
        }

        return result;
    }

    // Projective addition (Bernstein, Birkner, Joye, Lange, Peters 2008), complete for these curves.
    private Point Add(Point one, Point two)
    {
        var za = one.Z * two.Z % p;
        var zb = za * za % p;
        var c = one.X * two.X % p;
        var e = one.Y * two.Y % p;
        var f = d * c % p * e % p;
        var g = Mod(zb - f, p);
        var h = (zb + f) % p;
        var x = za * g % p * Mod((one.X + one.Y) * (two.X + two.Y) - c - e, p) % p;
        var y = za * h % p * Mod(e - a * c, p) % p;
        return new Point(x, y, g * h % p);
    }

    private static BigInteger Mod(BigInteger value, BigInteger modulus)
    {
        var r = value % modulus;
        return r.Sign < 0 ? r + modulus : r;
    }

    private static BigInteger Parse(string digits) => BigInteger.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);

    private readonly record struct Point(BigInteger X, BigInteger Y, BigInteger Z);
}
