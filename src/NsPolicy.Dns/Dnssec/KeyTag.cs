// Key tag computation: RFC 4034 Appendix B (ones'-complement-like sum over the DNSKEY RDATA), and
// Appendix B.1 for algorithm 1 (RSA/MD5), whose tag is the 16 bits before the last octet of the key.
using NsPolicy.Dns.Records;

namespace NsPolicy.Dns.Dnssec;

public static class KeyTag
{
    /// <summary>The key tag of a DNSKEY or CDNSKEY.</summary>
    public static ushort Compute(KeyRData key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Compute(key.ToWire());
    }

    /// <summary>The key tag of DNSKEY RDATA in wire form.</summary>
    public static ushort Compute(ReadOnlySpan<byte> rdata)
    {
        if (rdata.Length >= 4 && rdata[3] == (byte)DnssecAlgorithm.RsaMd5)
        {
            // B.1: the most significant 16 bits of the least significant 24 bits of the modulus.
            return rdata.Length < 7 ? (ushort)0 : (ushort)((rdata[^3] << 8) | rdata[^2]);
        }

        uint ac = 0;
        for (var i = 0; i < rdata.Length; i++)
        {
            ac += (i & 1) != 0 ? rdata[i] : (uint)rdata[i] << 8;
        }

        ac += (ac >> 16) & 0xFFFF;
        return (ushort)(ac & 0xFFFF);
    }
}
