// What carries from one entry of a master file to the next (RFC 1035 §5.1): the origin, the last
// owner, $TTL and the last TTL; the names met lately; and the errors not yet handed out.
//
// Default TTL, as BIND 9 does it: an RR without a TTL takes $TTL when one was given; otherwise the
// TTL of the previous RR; otherwise, for an SOA, its MINIMUM field. Any other RR without a TTL
// before that is an error.
using NsPolicy.Dns.Records;

namespace NsPolicy.Dns.ZoneFiles;

internal sealed class ZoneParseState(DnsName origin, RecordClass recordClass)
{
    private const uint MaxTtl = int.MaxValue;

    private static readonly (string Name, RecordType Type)[] CommonTypes =
        [.. new[]
        {
            RecordType.A, RecordType.NS, RecordType.AAAA, RecordType.DS, RecordType.CNAME, RecordType.TXT, RecordType.MX, RecordType.RRSIG, RecordType.SOA,
            RecordType.SRV, RecordType.CAA, RecordType.PTR, RecordType.NSEC, RecordType.NSEC3, RecordType.DNSKEY, RecordType.TLSA, RecordType.HTTPS,
            RecordType.SVCB, RecordType.SSHFP, RecordType.NAPTR, RecordType.DNAME, RecordType.CDS, RecordType.CDNSKEY, RecordType.NSEC3PARAM, RecordType.HINFO,
        }.Select(t => (t.ToString(), t))];

    public DnsName Origin { get; set; } = origin;

    /// <summary>The owner of the last record, for entries that start with a blank.</summary>
    public DnsName? Owner { get; set; }

    /// <summary>The zone's class; records of another class are errors (RFC 1035 §5.2).</summary>
    public RecordClass Class { get; } = recordClass;

    public uint? TtlDirective { get; set; }

    public uint? LastTtl { get; set; }

    public RecentNames Names { get; } = new();

    /// <summary>Errors met and not yet handed out, in the order met.</summary>
    public Queue<ZoneFileError> Errors { get; } = new();

    /// <summary>The TTL of a record written without one (see the file's header), or null when there is none to use.</summary>
    public uint? DefaultTtl(RData data) => TtlDirective ?? LastTtl ?? (data is SoaRData soa ? Math.Min(soa.Minimum, MaxTtl) : null);

    // The class and type mnemonics that nearly every record uses, without making a string (the
    // types by how often zones hold them; the rest, and TYPEnnn, go through RecordType.TryParse).
    public static bool TryParseClass(ReadOnlySpan<char> text, out RecordClass recordClass)
    {
        if (text.Equals("IN", StringComparison.OrdinalIgnoreCase))
        {
            recordClass = RecordClass.IN;
            return true;
        }

        // Most tokens that get here are record types; only these can be classes (RFC 1035 §3.2.4, RFC 3597 §5).
        if (text.Length < 2 || text.Length > 10
            || !(text.StartsWith("CLASS", StringComparison.OrdinalIgnoreCase)
                 || text.Equals("CH", StringComparison.OrdinalIgnoreCase)
                 || text.Equals("HS", StringComparison.OrdinalIgnoreCase)
                 || text.Equals("NONE", StringComparison.OrdinalIgnoreCase)
                 || text.Equals("ANY", StringComparison.OrdinalIgnoreCase)))
        {
            recordClass = default;
            return false;
        }

        return RecordClass.TryParse(new string(text), out recordClass);
    }

    public static bool TryParseType(ReadOnlySpan<char> text, out RecordType type)
    {
        foreach (var common in CommonTypes)
        {
            if (text.Equals(common.Name, StringComparison.OrdinalIgnoreCase))
            {
                type = common.Type;
                return true;
            }
        }

        return RecordType.TryParse(new string(text), out type);
    }

    public DnsName? Name(string file, ZoneLexer lexer, ZoneToken token, string what)
    {
        if (token.Quoted)
        {
            Error(file, lexer, token, $"{what} cannot be a quoted string");
            return null;
        }

        if (!Names.TryParse(lexer.Span(token), Origin, out var name, out var error))
        {
            Error(file, lexer, token, $"{what} is not valid: {error}");
            return null;
        }

        return name;
    }

    public DnsName? Name(string file, TextToken token, string what)
    {
        if (token.Quoted)
        {
            Error(file, token, $"{what} cannot be a quoted string");
            return null;
        }

        if (!DnsName.TryParse(token.Text, Origin, out var name, out var error))
        {
            Error(file, token, $"{what} is not valid: {error}");
            return null;
        }

        return name;
    }

    public uint? Ttl(string file, TextToken token) => Ttl(file, token.Quoted, token.Text, token.Line, token.Column);

    public uint? Ttl(string file, bool quoted, ReadOnlySpan<char> text, int line, int column)
    {
        if (quoted || !Presentation.TryParseDuration(text, out var seconds))
        {
            Error(file, line, column, text, "not a TTL (seconds, or units such as 1h30m)");
            return null;
        }

        if (seconds > MaxTtl)
        {
            Error(file, line, column, text, "TTL is above 2147483647 (RFC 2181 §8)");
            return null;
        }

        return seconds;
    }

    public void Error(string file, ZoneLexer lexer, ZoneToken token, string message) =>
        Error(file, token.Line, token.Column, lexer.Span(token), message);

    public void Error(string file, TextToken token, string message) =>
        Error(file, token.Line, token.Column, token.Text, message);

    public void Error(string file, int line, int column, ReadOnlySpan<char> token, string message) =>
        Errors.Enqueue(new ZoneFileError(file, line, column, Excerpt.Of(token), message));

    public void Error(ZoneFileError error) => Errors.Enqueue(error);
}
