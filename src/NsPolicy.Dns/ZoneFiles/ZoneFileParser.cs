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

    /// <summary>
    /// Opens a zone file as the loader reads it: through the file-access policy of
    /// <paramref name="options"/> (the real path inside its root unless allowed, a regular file, at
    /// most <see cref="ZoneFileOptions.MaxFileBytes"/>) and checked as UTF-8.
    /// </summary>
    /// <exception cref="Files.FileRefusedException">The policy refuses the file.</exception>
    /// <exception cref="IOException">It cannot be opened.</exception>
    internal static IEnumerable<ZoneRecord> ReadFileWithPositions(string path, string displayName, DnsName origin, ZoneFileOptions options, Action<ZoneFileError> onError)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? full;
        var loader = new ZoneFileLoader(options, options.RootDirectory ?? directory, origin, onError);
        var (stream, real) = loader.Open(full);
        return loader.ReadStream(stream, real, directory, displayName, 0);
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

    /// <summary>The most records one $GENERATE may make: a range beyond it is an error, not a flood.</summary>
    internal const long MaxGenerated = 65536;

    private readonly List<string> _includeStack = [];
    private DnsName _origin = origin;
    private DnsName? _owner;
    private uint? _ttlDirective;
    private uint? _lastTtl;
    private readonly RecentNames _names = new();

    private readonly Files.FileAccessPolicy _access = new()
    {
        Root = Files.FileEntry.RealPath(root, out _) ?? root,
        AllowOutside = options.AllowIncludeOutsideRoot,
    };

    /// <summary>Opens a file through the file-access policy, checked as UTF-8; its real path too.</summary>
    public (Utf8CheckingStream Stream, string RealPath) Open(string fullPath)
    {
        if (_access.Check(fullPath, options.MaxFileBytes, out var real, out _) is { } problem)
        {
            throw new Files.FileRefusedException(fullPath, problem);
        }

        return (new Utf8CheckingStream(new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan)), real);
    }

    public IEnumerable<ZoneRecord> ReadFile(string fullPath, string displayName, int depth, string includingFile, TextToken? includeToken)
    {
        Utf8CheckingStream stream;
        string real;
        try
        {
            (stream, real) = Open(fullPath);
        }
        catch (Files.FileRefusedException ex)
        {
            Report(includingFile, includeToken, (includeToken is null ? "file " : "$INCLUDE file ") + ex.Reason);
            yield break;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Report(includingFile, includeToken, ex is FileNotFoundException or DirectoryNotFoundException
                ? "file does not exist"
                : "file cannot be read: " + ex.Message);
            yield break;
        }

        foreach (var record in ReadStream(stream, real, Path.GetDirectoryName(fullPath) ?? fullPath, displayName, depth))
        {
            yield return record;
        }
    }

    /// <summary>Reads an opened file; its real path is on the include stack meanwhile, so a file that includes itself is caught before it is read again.</summary>
    public IEnumerable<ZoneRecord> ReadStream(Utf8CheckingStream stream, string realPath, string directory, string displayName, int depth)
    {
        _includeStack.Add(realPath);
        try
        {
            using var reader = new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024);
            foreach (var record in ReadSource(reader, displayName, directory, depth, stream))
            {
                yield return record;
            }
        }
        finally
        {
            _includeStack.RemoveAt(_includeStack.Count - 1);
        }
    }

    public IEnumerable<ZoneRecord> ReadSource(TextReader reader, string file, string directory, int depth, Utf8CheckingStream? utf8 = null)
    {
        var lexer = new ZoneLexer(reader, file);
        var rdata = new LexerTokens(lexer);
        while (lexer.Next())
        {
            if (utf8?.Invalid is not null && lexer.AtEnd)
            {
                // The entry the bad byte cut short: the byte is the error, not what is left of it.
                break;
            }

            if (lexer.Error is not null)
            {
                onError(lexer.Error);
                continue;
            }

            var first = lexer[0];
            if (!lexer.LeadingBlank && !first.Quoted && lexer.Span(first).StartsWith('$'))
            {
                var tokens = new TextToken[lexer.Count];
                for (var k = 0; k < tokens.Length; k++)
                {
                    var token = lexer[k];
                    tokens[k] = new TextToken(lexer.Text(token), token.Line, token.Column, token.Quoted);
                }

                foreach (var record in Directive(file, directory, depth, tokens))
                {
                    yield return record;
                }

                continue;
            }

            var parsed = Record(file, lexer, rdata);
            if (parsed is not null)
            {
                yield return new ZoneRecord(parsed, file, first.Line, first.Column);
            }
        }

        if (utf8?.Invalid is { } bad)
        {
            onError(new ZoneFileError(file, bad.Line, bad.Column, string.Create(CultureInfo.InvariantCulture, $"\\{bad.Byte:D3}"),
                "byte is not UTF-8; a zone file must be UTF-8 (or ASCII)"));
        }
    }

    private IEnumerable<ZoneRecord> Directive(string file, string directory, int depth, TextToken[] tokens)
    {
        var keyword = tokens[0];
        switch (keyword.Text.ToUpperInvariant())
        {
            case "$ORIGIN":
                if (tokens.Length != 2)
                {
                    Error(file, tokens.Length < 2 ? keyword : tokens[2], tokens.Length < 2 ? "$ORIGIN needs one domain name" : "unexpected text after the $ORIGIN name");
                    break;
                }

                if (Name(file, tokens[1], "$ORIGIN name") is { } newOrigin)
                {
                    _origin = newOrigin;
                }

                break;
            case "$TTL":
                if (tokens.Length != 2)
                {
                    Error(file, tokens.Length < 2 ? keyword : tokens[2], tokens.Length < 2 ? "$TTL needs a TTL value" : "unexpected text after the $TTL value");
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
                foreach (var record in Generate(file, tokens))
                {
                    yield return record;
                }

                break;
            default:
                Error(file, keyword, "unknown directive");
                break;
        }
    }

    private IEnumerable<ZoneRecord> Include(string file, string directory, int depth, TextToken[] tokens)
    {
        var keyword = tokens[0];
        if (tokens.Length is < 2 or > 3)
        {
            Error(file, tokens.Length < 2 ? keyword : tokens[3], tokens.Length < 2 ? "$INCLUDE needs a file name" : "unexpected text after the $INCLUDE origin");
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
        if (tokens.Length == 3)
        {
            includeOrigin = Name(file, tokens[2], "$INCLUDE origin");
            if (includeOrigin is null)
            {
                yield break;
            }
        }

        var full = Path.GetFullPath(Path.Combine(directory, name));
        if (_access.Check(full, options.MaxFileBytes, out var real, out _) is { } problem)
        {
            Error(file, target, "$INCLUDE file " + problem);
            yield break;
        }

        if (_includeStack.Contains(real, StringComparer.Ordinal))
        {
            Error(file, target, "$INCLUDE loop: the file is already being read");
            yield break;
        }

        if (depth + 1 > options.MaxIncludeDepth)
        {
            Error(file, target, string.Create(CultureInfo.InvariantCulture, $"$INCLUDE nests deeper than {options.MaxIncludeDepth} files"));
            yield break;
        }

        var display = (Path.GetDirectoryName(file) is { Length: > 0 } parent ? Path.Combine(parent, name) : name).Replace('\\', '/');
        var (savedOrigin, savedOwner) = (_origin, _owner);
        _origin = includeOrigin;
        foreach (var record in ReadFile(full, display, depth + 1, file, target))
        {
            yield return record;
        }

        (_origin, _owner) = (savedOrigin, savedOwner);
    }

    /// <summary>
    /// BIND's <c>$GENERATE range lhs [ttl] [class] type rhs</c>: one record per value of the range
    /// (<c>start-stop[/step]</c>), with <c>$</c> in lhs and rhs replaced by the value, or by
    /// <c>${offset[,width[,base]]}</c> formatted (see <see cref="GenerateTemplate"/>). The rhs is one
    /// token (quote data with spaces); its quotes are dropped before it is read as RDATA, as BIND
    /// does. Every record is placed at the directive. At most <see cref="MaxGenerated"/> records per directive.
    /// </summary>
    private IEnumerable<ZoneRecord> Generate(string file, TextToken[] tokens)
    {
        var keyword = tokens[0];
        if (tokens.Length < 5)
        {
            Error(file, tokens[^1], "$GENERATE needs a range, an owner, a type and its data (start-stop[/step] lhs [ttl] [class] type rhs)");
            yield break;
        }

        if (!GenerateTemplate.TryParseRange(tokens[1].Text, out var start, out var stop, out var step, out var rangeError))
        {
            Error(file, tokens[1], "$GENERATE range " + rangeError);
            yield break;
        }

        var count = ((stop - start) / step) + 1;
        if (count > MaxGenerated)
        {
            Error(file, tokens[1], string.Create(CultureInfo.InvariantCulture, $"$GENERATE range makes {count} records; at most {MaxGenerated} per directive"));
            yield break;
        }

        var lhsToken = tokens[2];
        if (!GenerateTemplate.TryParse(Unquote(lhsToken), out var lhs, out var lhsError))
        {
            Error(file, lhsToken, "$GENERATE owner " + lhsError);
            yield break;
        }

        var i = 3;
        uint? ttl = null;
        RecordClass? @class = null;
        for (; i < tokens.Length - 1; i++)
        {
            var text = tokens[i].Text;
            if (ttl is null && !tokens[i].Quoted && text.Length > 0 && char.IsAsciiDigit(text[0]))
            {
                ttl = Ttl(file, tokens[i]);
                if (ttl is null)
                {
                    yield break;
                }
            }
            else if (@class is null && !tokens[i].Quoted && TryParseClass(text, out var c))
            {
                if (c != options.Class)
                {
                    Error(file, tokens[i], $"class {c} differs from the zone's class {options.Class}");
                    yield break;
                }

                @class = c;
            }
            else
            {
                break;
            }
        }

        var typeToken = tokens[i];
        if (typeToken.Quoted || !TryParseType(typeToken.Text, out var type))
        {
            Error(file, typeToken, "not a TTL, class or record type");
            yield break;
        }

        if (i + 2 != tokens.Length)
        {
            Error(file, i + 1 < tokens.Length ? tokens[^1] : typeToken, i + 1 < tokens.Length
                ? "unexpected text after the $GENERATE data (quote data that has spaces, as BIND needs)"
                : "$GENERATE needs the record data after the type");
            yield break;
        }

        var rhsToken = tokens[i + 1];
        if (!GenerateTemplate.TryParse(Unquote(rhsToken), out var rhs, out var rhsError))
        {
            Error(file, rhsToken, "$GENERATE data " + rhsError);
            yield break;
        }

        for (var value = start; value <= stop; value += step)
        {
            if (!lhs.TryExpand(value, out var ownerText, out var expandError) || !rhs.TryExpand(value, out var dataText, out expandError))
            {
                Error(file, keyword, string.Create(CultureInfo.InvariantCulture, $"$GENERATE at {value}: {expandError}"));
                yield break;
            }

            if (!_names.TryParse(ownerText, _origin, out var owner, out var nameError))
            {
                Error(file, lhsToken, string.Create(CultureInfo.InvariantCulture, $"$GENERATE at {value}: owner name '{Excerpt.Of(Excerpt.Of(ownerText))}' is not valid: {nameError}"));
                yield break;
            }

            RData data;
            try
            {
                var lexer = new ZoneLexer(new StringReader(dataText), file);
                if (!lexer.Next() || lexer.Error is not null)
                {
                    throw new FormatException(lexer.Error?.Message ?? "no record data");
                }

                data = RData.Parse(type, new LexerTokens(lexer), _origin, _names);
                if (lexer.Next())
                {
                    throw new FormatException("the data spans more than one entry");
                }
            }
            catch (FormatException ex)
            {
                Error(file, rhsToken, string.Create(CultureInfo.InvariantCulture, $"$GENERATE at {value}: {ex.Message}"));
                yield break;
            }

            var recordTtl = ttl ?? _ttlDirective ?? _lastTtl ?? (data is SoaRData soa ? Math.Min(soa.Minimum, MaxTtl) : null);
            if (recordTtl is null)
            {
                Error(file, typeToken, "record has no TTL and there is no $TTL or earlier TTL to use");
                yield break;
            }

            _lastTtl = recordTtl;
            yield return new ZoneRecord(new ResourceRecord(owner!, options.Class, recordTtl.Value, data), file, keyword.Line, keyword.Column);
            if (stop - value < step)
            {
                break;
            }
        }

        static string Unquote(TextToken token) => token.Quoted ? token.Text[1..^1] : token.Text;
    }

    private ResourceRecord? Record(string file, ZoneLexer lexer, LexerTokens rdata)
    {
        var count = lexer.Count;
        var i = 0;
        DnsName owner;
        if (lexer.LeadingBlank)
        {
            if (_owner is null)
            {
                Error(file, lexer, lexer[0], "line starts with a blank but there is no previous owner name to repeat");
                return null;
            }

            owner = _owner;
        }
        else
        {
            var parsedOwner = Name(file, lexer, lexer[0], "owner name");
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
        while (i < count)
        {
            var token = lexer[i];
            var text = lexer.Span(token);
            if (ttl is null && !token.Quoted && text.Length > 0 && char.IsAsciiDigit(text[0]))
            {
                ttl = Ttl(file, token.Quoted, text, token.Line, token.Column);
                if (ttl is null)
                {
                    return null;
                }

                i++;
                continue;
            }

            if (@class is null && !token.Quoted && TryParseClass(text, out var c))
            {
                if (c != options.Class)
                {
                    Error(file, lexer, token, $"class {c} differs from the zone's class {options.Class}");
                    return null;
                }

                @class = c;
                i++;
                continue;
            }

            break;
        }

        if (i >= count)
        {
            Error(file, lexer, lexer[count - 1], "record has no type");
            return null;
        }

        var typeToken = lexer[i];
        if (typeToken.Quoted || !TryParseType(lexer.Span(typeToken), out var type))
        {
            Error(file, lexer, typeToken, "not a TTL, class or record type");
            return null;
        }

        RData data;
        try
        {
            rdata.First = i + 1;
            data = RData.Parse(type, rdata, _origin, _names);
        }
        catch (FormatException ex)
        {
            Error(file, lexer, i + 1 < count ? lexer[i + 1] : typeToken, ex.Message);
            return null;
        }

        if (data is DelegationSignerRData ds && DsDigest.ExpectedLength(ds.DigestType) is { } length && ds.Digest.Length != length)
        {
            // RFC 4509 §2.2, RFC 6605 §2, RFC 3658 §2.4: the digest type fixes the digest length; BIND rejects others.
            Error(file, lexer, i + 1 < count ? lexer[count - 1] : typeToken, string.Create(CultureInfo.InvariantCulture,
                $"{type} digest is {ds.Digest.Length} octets; digest type {(byte)ds.DigestType} needs {length}"));
            return null;
        }

        if (ttl is null)
        {
            ttl = _ttlDirective ?? _lastTtl ?? (data is SoaRData soa ? Math.Min(soa.Minimum, MaxTtl) : null);
            if (ttl is null)
            {
                Error(file, lexer, typeToken, "record has no TTL and there is no $TTL or earlier TTL to use");
                return null;
            }
        }

        _lastTtl = ttl;
        return new ResourceRecord(owner, options.Class, ttl.Value, data);
    }

    // The class and type mnemonics that nearly every record uses, without making a string.
    private static bool TryParseClass(ReadOnlySpan<char> text, out RecordClass recordClass)
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

    private static bool TryParseType(ReadOnlySpan<char> text, out RecordType type)
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

    private static readonly (string Name, RecordType Type)[] CommonTypes =
        [.. new[] { RecordType.A, RecordType.NS, RecordType.AAAA, RecordType.DS, RecordType.CNAME, RecordType.TXT, RecordType.MX, RecordType.RRSIG, RecordType.SOA }
            .Select(t => (t.ToString(), t))];

    private DnsName? Name(string file, ZoneLexer lexer, ZoneToken token, string what)
    {
        if (token.Quoted)
        {
            Error(file, lexer, token, $"{what} cannot be a quoted string");
            return null;
        }

        if (!_names.TryParse(lexer.Span(token), _origin, out var name, out var error))
        {
            Error(file, lexer, token, $"{what} is not valid: {error}");
            return null;
        }

        return name;
    }

    private DnsName? Name(string file, TextToken token, string what)
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

    private uint? Ttl(string file, TextToken token) => Ttl(file, token.Quoted, token.Text, token.Line, token.Column);

    private uint? Ttl(string file, bool quoted, ReadOnlySpan<char> text, int line, int column)
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

    private void Error(string file, ZoneLexer lexer, ZoneToken token, string message) =>
        Error(file, token.Line, token.Column, lexer.Span(token), message);

    private void Error(string file, TextToken token, string message) =>
        Error(file, token.Line, token.Column, token.Text, message);

    private void Error(string file, int line, int column, ReadOnlySpan<char> token, string message) =>
        onError(new ZoneFileError(file, line, column, Excerpt.Of(token), message));

    private void Report(string file, TextToken? at, string message)
    {
        if (at is { } token)
        {
            Error(file, token, message);
        }
        else
        {
            onError(new ZoneFileError(file, 1, 1, string.Empty, message));
        }
    }
}

/// <summary>A directive's token as a string (directives are rare; records never make these).</summary>
internal readonly record struct TextToken(string Text, int Line, int Column, bool Quoted);

/// <summary>The RDATA tokens of the lexer's current entry: those from <see cref="First"/> on.</summary>
internal sealed class LexerTokens(ZoneLexer lexer) : IPresentationTokens
{
    public int First { get; set; }

    public int Count => lexer.Count - First;

    public ReadOnlySpan<char> Span(int index) => lexer.Span(lexer[First + index]);

    public string Text(int index) => lexer.Text(lexer[First + index]);
}

/// <summary>
/// Parses names and remembers the last few, so an owner written out on consecutive lines, or an NS
/// target followed by its glue, is one <see cref="DnsName"/> instance: less work and less memory
/// for whoever keeps the records.
/// </summary>
internal sealed class RecentNames : INameParser
{
    private const int Size = 8;
    private readonly char[][] _texts = new char[Size][];
    private readonly int[] _lengths = new int[Size];
    private readonly DnsName?[] _origins = new DnsName?[Size];
    private readonly DnsName?[] _names = new DnsName?[Size];
    private int _next;

    public bool TryParse(ReadOnlySpan<char> text, DnsName origin, out DnsName? name, out string? error)
    {
        for (var k = 0; k < Size; k++)
        {
            if (ReferenceEquals(_origins[k], origin) && text.SequenceEqual(_texts[k].AsSpan(0, _lengths[k])))
            {
                name = _names[k];
                error = null;
                return true;
            }
        }

        if (!DnsName.TryParse(text, origin, out name, out error))
        {
            return false;
        }

        if (_texts[_next] is null || _texts[_next].Length < text.Length)
        {
            _texts[_next] = new char[Math.Max(64, text.Length)];
        }

        text.CopyTo(_texts[_next]);
        _lengths[_next] = text.Length;
        _origins[_next] = origin;
        _names[_next] = name;
        _next = (_next + 1) % Size;
        return true;
    }
}
