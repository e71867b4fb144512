// A problem found while loading a master file (RFC 1035 §5), placed at file:line:col with the
// offending token, as miekg/dns scan.go reports them.
using System.Globalization;

namespace NsPolicy.Dns.ZoneFiles;

/// <summary>One error in a zone file. <paramref name="Line"/> and <paramref name="Column"/> count from 1.</summary>
public sealed record ZoneFileError(string File, int Line, int Column, string Token, string Message)
{
    /// <summary>gcc-style: <c>file:line:col: token: message</c> (the token part is left out when empty).</summary>
    public override string ToString() => Token.Length == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}: {Message}")
        : string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}: {Token}: {Message}");
}
