// Resource record TYPE values: RFC 1035 §3.2.2 and the IANA "Resource Record (RR) TYPEs" registry;
// unknown types print and parse as TYPEnnn (RFC 3597 §5).
using System.Collections.Frozen;
using System.Globalization;

namespace NsPolicy.Dns;

/// <summary>A record type: any 16-bit value, with mnemonics for the known ones.</summary>
public readonly record struct RecordType(ushort Value) : IComparable<RecordType>
{
    public static RecordType A => new(1);
    public static RecordType NS => new(2);
    public static RecordType CNAME => new(5);
    public static RecordType SOA => new(6);
    public static RecordType PTR => new(12);
    public static RecordType HINFO => new(13);
    public static RecordType MX => new(15);
    public static RecordType TXT => new(16);
    public static RecordType AAAA => new(28);
    public static RecordType SRV => new(33);
    public static RecordType NAPTR => new(35);
    public static RecordType DNAME => new(39);
    public static RecordType OPT => new(41);
    public static RecordType DS => new(43);
    public static RecordType SSHFP => new(44);
    public static RecordType RRSIG => new(46);
    public static RecordType NSEC => new(47);
    public static RecordType DNSKEY => new(48);
    public static RecordType NSEC3 => new(50);
    public static RecordType NSEC3PARAM => new(51);
    public static RecordType TLSA => new(52);
    public static RecordType CDS => new(59);
    public static RecordType CDNSKEY => new(60);
    public static RecordType SVCB => new(64);
    public static RecordType HTTPS => new(65);
    public static RecordType TKEY => new(249);
    public static RecordType TSIG => new(250);
    public static RecordType IXFR => new(251);
    public static RecordType AXFR => new(252);
    public static RecordType ANY => new(255);
    public static RecordType CAA => new(257);

    private static readonly FrozenDictionary<ushort, string> Names = new Dictionary<ushort, string>
    {
        [1] = "A", [2] = "NS", [5] = "CNAME", [6] = "SOA", [12] = "PTR", [13] = "HINFO", [15] = "MX",
        [16] = "TXT", [28] = "AAAA", [33] = "SRV", [35] = "NAPTR", [39] = "DNAME", [41] = "OPT",
        [43] = "DS", [44] = "SSHFP", [46] = "RRSIG", [47] = "NSEC", [48] = "DNSKEY", [50] = "NSEC3",
        [51] = "NSEC3PARAM", [52] = "TLSA", [59] = "CDS", [60] = "CDNSKEY", [64] = "SVCB", [65] = "HTTPS",
        [249] = "TKEY", [250] = "TSIG", [251] = "IXFR", [252] = "AXFR", [255] = "ANY", [257] = "CAA",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, ushort> Values =
        Names.ToFrozenDictionary(kv => kv.Value, kv => kv.Key, StringComparer.OrdinalIgnoreCase);

    /// <summary>True for meta-types and query-only types (RFC 6895 §3.1): OPT, TKEY, TSIG, IXFR, AXFR, ANY and 128–255.</summary>
    public bool IsMetaOrQueryType => Value == 41 || (Value >= 128 && Value <= 255);

    /// <summary>The mnemonic, or TYPEnnn for types without one.</summary>
    public override string ToString() =>
        Names.TryGetValue(Value, out var name) ? name : "TYPE" + Value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses a mnemonic (any case) or the TYPEnnn form.</summary>
    public static RecordType Parse(string text) =>
        TryParse(text, out var type) ? type : throw new FormatException($"'{Excerpt.Of(text)}' is not a record type");

    public static bool TryParse(string? text, out RecordType type)
    {
        type = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (Values.TryGetValue(text, out var value))
        {
            type = new RecordType(value);
            return true;
        }

        if (text.Length > 4 && text.StartsWith("TYPE", StringComparison.OrdinalIgnoreCase)
            && text.AsSpan(4).IndexOfAnyExceptInRange('0', '9') < 0
            && ushort.TryParse(text.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            type = new RecordType(value);
            return true;
        }

        return false;
    }

    public int CompareTo(RecordType other) => Value.CompareTo(other.Value);
}
