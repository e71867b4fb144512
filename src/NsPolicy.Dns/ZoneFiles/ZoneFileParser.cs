// RFC 1035 §5 master files: $ORIGIN, $TTL (RFC 2308 §4), $INCLUDE, '@', relative names, owner
// inherited by lines that start with a blank, [TTL] [class] in either order, parentheses, comments,
// quoted strings, RFC 3597 TYPEnnn/CLASSnnn and "\# len hex". Modelled on miekg/dns scan.go:
// records stream out, every error carries file:line:col and its token, loading resumes at the next
// entry so all errors are reported.
//
// Default TTL, as BIND 9 does it: an RR without a TTL takes $TTL when one was given; otherwise the
// TTL of the previous RR; otherwise, for an SOA, its MINIMUM field. Any other RR without a TTL
// before that is an error.
using System.Globalization;
using NsPolicy.Dns.Dnssec;
using NsPolicy.Dns.Records;

namespace NsPolicy.Dns.ZoneFiles;

public static class ZoneFileParser
{
    /// <summary>Loads a whole zone file (and the files it includes) into memory.</summary>
    public static ZoneFileResult Parse(string path, DnsName origin, ZoneFileOptions? options = null)
    {
        var errors = new List<ZoneFileError>();
        var records = Read(path, origin, options, errors.Add).ToList();
        return new ZoneFileResult(records, errors);
    }

    /// <summary>Loads zone-file text; <paramref name="displayName"/> names it in errors.</summary>
    public static ZoneFileResult ParseText(string text, string displayName, DnsName origin, ZoneFileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var errors = new List<ZoneFileError>();
        var records = ReadText(new StringReader(text), displayName, origin, options, errors.Add).ToList();
        return new ZoneFileResult(records, errors);
    }

    /// <summary>Streams the records of a zone file in file order; errors go to <paramref name="onError"/> as they are met.</summary>
    public static IEnumerable<ResourceRecord> Read(string path, DnsName origin, ZoneFileOptions? options, Action<ZoneFileError> onError) =>
        ReadWithPositions(path, origin, options, onError).Select(r => r.Record);

    /// <summary>Streams the records of zone-file text read from <paramref name="reader"/>.</summary>
    public static IEnumerable<ResourceRecord> ReadText(TextReader reader, string displayName, DnsName origin, ZoneFileOptions? options, Action<ZoneFileError> onError) =>
        ReadTextWithPositions(reader, displayName, origin, options, onError).Select(r => r.Record);

    /// <summary>
    /// Streams the records of a zone file with where each was written (the file, which may be an
    /// $INCLUDE target, and the line and column of the entry's first token).
    /// </summary>
    public static IEnumerable<ZoneRecord> ReadWithPositions(string path, DnsName origin, ZoneFileOptions? options, Action<ZoneFileError> onError)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(onError);
        options ??= ZoneFileOptions.Default;
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? full;
        var loader = new ZoneFileLoader(options, options.RootDirectory ?? directory, origin, onError);
        return loader.ReadFile(full, path, 0, path, null);
    }

    /// <summary>Streams the records of zone-file text with their positions; see <see cref="ReadWithPositions"/>.</summary>
    public static IEnumerable<ZoneRecord> ReadTextWithPositions(TextReader reader, string displayName, DnsName origin, ZoneFileOptions? options, Action<ZoneFileError> onError)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(displayName);
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(onError);
        options ??= ZoneFileOptions.Default;
        var directory = Path.GetFullPath(options.BaseDirectory ?? ".");
        var loader = new ZoneFileLoader(options, options.RootDirectory ?? directory, origin, onError);
        return loader.ReadSource(reader, displayName, directory, 0);
    }
}

internal sealed class ZoneFileLoader(ZoneFileOptions options, string root, DnsName origin, Action<ZoneFileError> onError)
{
    private const uint MaxTtl = int.MaxValue;

    private readonly List<string> _includeStack = [];
    private DnsName _origin = origin;
    private DnsName? _owner;
    private uint? _ttlDirective;
    private uint? _lastTtl;

    public IEnumerable<ZoneRecord> ReadFile(string fullPath, string displayName, int depth, string includingFile, ZoneToken? includeToken)
    {
        _includeStack.Add(fullPath);
        try
        {
            StreamReader reader;
            try
            {
                reader = new StreamReader(fullPath, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Report(includingFile, includeToken, ex is FileNotFoundException or DirectoryNotFoundException
                    ? "file does not exist"
                    : "file cannot be read: " + ex.Message);
                yield break;
            }

            using (reader)
            {
                foreach (var record in ReadSource(reader, displayName, Path.GetDirectoryName(fullPath) ?? fullPath, depth))
                {
                    yield return record;
                }
            }
        }
        finally
        {
            _includeStack.RemoveAt(_includeStack.Count - 1);
        }
    }

    public IEnumerable<ZoneRecord> ReadSource(TextReader reader, string file, string directory, int depth)
    {
        var lexer = new ZoneLexer(reader, file);
        while (lexer.Next() is { } entry)
        {
            if (entry.Error is not null)
            {
                onError(entry.Error);
                continue;
            }

            var tokens = entry.Tokens;
            if (!entry.LeadingBlank && tokens[0].Text.StartsWith('$') && !tokens[0].Quoted)
            {
                foreach (var record in Directive(file, directory, depth, tokens))
                {
                    yield return record;
                }

                continue;
            }

            var parsed = Record(file, entry);
            if (parsed is not null)
            {
                yield return new ZoneRecord(parsed, file, tokens[0].Line, tokens[0].Column);
            }
        }
    }

    private IEnumerable<ZoneRecord> Directive(string file, string directory, int depth, IReadOnlyList<ZoneToken> tokens)
    {
        var keyword = tokens[0];
        switch (keyword.Text.ToUpperInvariant())
        {
            case "$ORIGIN":
                if (tokens.Count != 2)
                {
                    Error(file, tokens.Count < 2 ? keyword : tokens[2], tokens.Count < 2 ? "$ORIGIN needs one domain name" : "unexpected text after the $ORIGIN name");
                    break;
                }

                if (Name(file, tokens[1], "$ORIGIN name") is { } newOrigin)
                {
                    _origin = newOrigin;
                }

                break;
            case "$TTL":
                if (tokens.Count != 2)
                {
                    Error(file, tokens.Count < 2 ? keyword : tokens[2], tokens.Count < 2 ? "$TTL needs a TTL value" : "unexpected text after the $TTL value");
                    break;
                }

                if (Ttl(file, tokens[1]) is { } ttl)
                {
                    _ttlDirective = ttl;
                }

                break;
            case "$INCLUDE":
                foreach (var record in Include(file, directory, depth, tokens))
                {
                    yield return record;
                }

                break;
            case "$GENERATE":
                Error(file, keyword, "$GENERATE is unsupported (a BIND extension); write the records out");
                break;
            default:
                Error(file, keyword, "unknown directive");
                break;
        }
    }

    private IEnumerable<ZoneRecord> Include(string file, string directory, int depth, IReadOnlyList<ZoneToken> tokens)
    {
        var keyword = tokens[0];
        if (tokens.Count is < 2 or > 3)
        {
            Error(file, tokens.Count < 2 ? keyword : tokens[3], tokens.Count < 2 ? "$INCLUDE needs a file name" : "unexpected text after the $INCLUDE origin");
            yield break;
        }

        var target = tokens[1];
        var name = target.Quoted ? target.Text[1..^1] : target.Text;
        if (name.Length == 0)
        {
            Error(file, target, "$INCLUDE needs a file name");
            yield break;
        }

        DnsName? includeOrigin = _origin;
        if (tokens.Count == 3)
        {
            includeOrigin = Name(file, tokens[2], "$INCLUDE origin");
            if (includeOrigin is null)
            {
                yield break;
            }
        }

        var full = Path.GetFullPath(Path.Combine(directory, name));
        var relative = Path.GetRelativePath(root, full);
        if (!options.AllowIncludeOutsideRoot && (relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative)))
        {
            Error(file, target, "$INCLUDE path leaves the zone-file folder");
            yield break;
        }

        if (_includeStack.Contains(full, StringComparer.Ordinal))
        {
            Error(file, target, "$INCLUDE loop: the file is already being read");
            yield break;
        }

        if (depth + 1 > options.MaxIncludeDepth)
        {
            Error(file, target, string.Create(CultureInfo.InvariantCulture, $"$INCLUDE nests deeper than {options.MaxIncludeDepth} files"));
            yield break;
        }

        if (Directory.Exists(full))
        {
            Error(file, target, "$INCLUDE names a directory, not a file");
            yield break;
        }

        var display = (Path.GetDirectoryName(file) is { Length: > 0 } parent ? Path.Combine(parent, name) : name).Replace('\\', '/');
        var (savedOrigin, savedOwner) = (_origin, _owner);
        _origin = includeOrigin;
        if (!File.Exists(full))
        {
            Error(file, target, "$INCLUDE file does not exist");
        }
        else
        {
            foreach (var record in ReadFile(full, display, depth + 1, file, target))
            {
                yield return record;
            }
        }

        (_origin, _owner) = (savedOrigin, savedOwner);
    }

    private ResourceRecord? Record(string file, ZoneEntry entry)
    {
        var tokens = entry.Tokens;
        var i = 0;
        DnsName owner;
        if (entry.LeadingBlank)
        {
            if (_owner is null)
            {
                Error(file, tokens[0], "line starts with a blank but there is no previous owner name to repeat");
                return null;
            }

            owner = _owner;
        }
        else
        {
            var parsedOwner = Name(file, tokens[0], "owner name");
            if (parsedOwner is null)
            {
                return null;
            }

            owner = parsedOwner;
            i = 1;
        }

        _owner = owner;
        uint? ttl = null;
        RecordClass? @class = null;
        while (i < tokens.Count)
        {
            var token = tokens[i];
            if (ttl is null && !token.Quoted && token.Text.Length > 0 && char.IsAsciiDigit(token.Text[0]))
            {
                ttl = Ttl(file, token);
                if (ttl is null)
                {
                    return null;
                }

                i++;
                continue;
            }

            if (@class is null && !token.Quoted && RecordClass.TryParse(token.Text, out var c))
            {
                if (c != options.Class)
                {
                    Error(file, token, $"class {c} differs from the zone's class {options.Class}");
                    return null;
                }

                @class = c;
                i++;
                continue;
            }

            break;
        }

        if (i >= tokens.Count)
        {
            Error(file, tokens[^1], "record has no type");
            return null;
        }

        var typeToken = tokens[i];
        if (typeToken.Quoted || !RecordType.TryParse(typeToken.Text, out var type))
        {
            Error(file, typeToken, "not a TTL, class or record type");
            return null;
        }

        var rdataTokens = new List<string>(tokens.Count - i - 1);
        for (var k = i + 1; k < tokens.Count; k++)
        {
            rdataTokens.Add(tokens[k].Text);
        }

        RData data;
        try
        {
            data = RData.Parse(type, rdataTokens, _origin);
        }
        catch (FormatException ex)
        {
            Error(file, i + 1 < tokens.Count ? tokens[i + 1] : typeToken, ex.Message);
            return null;
        }

        if (data is DelegationSignerRData ds && DsDigest.ExpectedLength(ds.DigestType) is { } length && ds.Digest.Length != length)
        {
            // RFC 4509 §2.2, RFC 6605 §2, RFC 3658 §2.4: the digest type fixes the digest length; BIND rejects others.
            Error(file, i + 1 < tokens.Count ? tokens[^1] : typeToken, string.Create(CultureInfo.InvariantCulture,
                $"{type} digest is {ds.Digest.Length} octets; digest type {(byte)ds.DigestType} needs {length}"));
            return null;
        }

        if (ttl is null)
        {
            ttl = _ttlDirective ?? _lastTtl ?? (data is SoaRData soa ? Math.Min(soa.Minimum, MaxTtl) : null);
            if (ttl is null)
            {
                Error(file, typeToken, "record has no TTL and there is no $TTL or earlier TTL to use");
                return null;
            }
        }

        _lastTtl = ttl;
        return new ResourceRecord(owner, options.Class, ttl.Value, data);
    }

    private DnsName? Name(string file, ZoneToken token, string what)
    {
        if (token.Quoted)
        {
            Error(file, token, $"{what} cannot be a quoted string");
            return null;
        }

        if (!DnsName.TryParse(token.Text, _origin, out var name, out var error))
        {
            Error(file, token, $"{what} is not valid: {error}");
            return null;
        }

        return name;
    }

    private uint? Ttl(string file, ZoneToken token)
    {
        if (token.Quoted || !Presentation.TryParseDuration(token.Text, out var seconds))
        {
            Error(file, token, "not a TTL (seconds, or units such as 1h30m)");
            return null;
        }

        if (seconds > MaxTtl)
        {
            Error(file, token, "TTL is above 2147483647 (RFC 2181 §8)");
            return null;
        }

        return seconds;
    }

    private void Error(string file, ZoneToken token, string message) =>
        onError(new ZoneFileError(file, token.Line, token.Column, ZoneLexer.Shorten(token.Text), message));

    private void Report(string file, ZoneToken? at, string message)
    {
        if (at is { } token)
        {
            onError(new ZoneFileError(file, token.Line, token.Column, ZoneLexer.Shorten(token.Text), message));
        }
        else
        {
            onError(new ZoneFileError(file, 1, 1, string.Empty, message));
        }
    }
}
