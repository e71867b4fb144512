// The origin a master file states for itself: its first $ORIGIN (RFC 1035 §5.1), or, before any,
// the owner of its SOA record written as an absolute name. Lets check-zone and init work without
// --origin on files that say which zone they are.
using NsPolicy.Dns.Files;

namespace NsPolicy.Dns.ZoneFiles;

public static class StatedOrigin
{
    /// <summary>How many entries are read at most before giving up: the SOA comes first in a zone file.</summary>
    private const int MaxEntries = 1000;

    /// <summary>
    /// The origin <paramref name="path"/> states, or null when it states none (or not before its first
    /// records). The file is opened as the zone file itself would be: a regular file (no FIFO, device or
    /// /proc entry) within <paramref name="access"/>.
    /// </summary>
    /// <exception cref="FileRefusedException">The access policy refuses the file.</exception>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public static DnsName? Find(string path, FileAccessPolicy access)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(access);
        using var reader = new StreamReader(access.Open(path, FileAccessPolicy.MaxZoneFileBytes), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Find(reader, path);
    }

    /// <summary>The origin the zone-file text read from <paramref name="reader"/> states, or null.</summary>
    public static DnsName? Find(TextReader reader, string displayName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var lexer = new ZoneLexer(reader, displayName);
        for (var entries = 0; entries < MaxEntries && lexer.Next(); entries++)
        {
            if (lexer.Error is not null || lexer.Count == 0)
            {
                continue;
            }

            var first = lexer[0];
            var text = lexer.Span(first);
            if (!lexer.LeadingBlank && !first.Quoted && text.StartsWith('$'))
            {
                if (text.Equals("$ORIGIN", StringComparison.OrdinalIgnoreCase))
                {
                    return lexer.Count == 2 ? Absolute(lexer, lexer[1]) : null;
                }

                continue;
            }

            // owner [ttl] [class] SOA ...: the type is among the first four tokens.
            for (var k = 1; k < Math.Min(lexer.Count, 4); k++)
            {
                if (lexer.Span(lexer[k]).Equals("SOA", StringComparison.OrdinalIgnoreCase))
                {
                    return lexer.LeadingBlank ? null : Absolute(lexer, first);
                }
            }
        }

        return null;
    }

    private static DnsName? Absolute(ZoneLexer lexer, ZoneToken token)
    {
        var text = lexer.Text(token);
        return !token.Quoted && text.EndsWith('.') && !text.EndsWith("\\.", StringComparison.Ordinal) && DnsName.TryParse(text, out var name, out _) ? name : null;
    }
}
