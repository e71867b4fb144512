// A record read from a master file together with where it was written, so checks on zone files
// can name file:line:col as the parser's own errors do (RFC 1035 §5).
using System.Globalization;

namespace NsPolicy.Dns.ZoneFiles;

/// <summary>
/// One record and its place: <paramref name="File"/> as the user named it (or the $INCLUDE path
/// relative to the including file), and the 1-based line and column of the entry's first token.
/// </summary>
public readonly record struct ZoneRecord(ResourceRecord Record, string File, int Line, int Column)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}: {Record}");
}
