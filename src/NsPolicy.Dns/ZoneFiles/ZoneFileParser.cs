// RFC 1035 §5 master files: $ORIGIN, $TTL (RFC 2308 §4), $INCLUDE, BIND's $GENERATE, '@', relative
// names, owner inherited by lines that start with a blank, [TTL] [class] in either order,
// parentheses, comments, quoted strings, RFC 3597 TYPEnnn/CLASSnnn and "\# len hex".
//
// One way in, pulled as miekg/dns' ZoneParser.Next() is: the caller asks for one entry at a time
// and gets a record with its file:line:col, or an error at its file:line:col after which loading
// goes on at the next entry, so every error is reported; a file that cannot be opened at all is an
// exception (the terminal error). Where included text comes from is IncludeResolver's business;
// the lexer, record entries and $GENERATE are read in their own files.
using System.Globalization;
using NsPolicy.Dns.Files;

namespace NsPolicy.Dns.ZoneFiles;

/// <summary>Reads a zone file entry by entry; see <see cref="Next"/>.</summary>
public sealed class ZoneFileParser : IDisposable
{
    private readonly IncludeResolver _resolver;
    private readonly ZoneParseState _state;
    private readonly List<ZoneSource> _sources = [];
    private GenerateRun? _generate;

    private ZoneFileParser(IncludeResolver resolver, DnsName origin, ZoneFileOptions options)
    {
        _resolver = resolver;
        _state = new ZoneParseState(origin, options.Class);
    }

    /// <summary>
    /// Opens a zone file to read. Positions name it <paramref name="displayName"/> (and included
    /// files relative to that). The file and everything it includes are read through the file-access
    /// policy: real paths inside <see cref="ZoneFileOptions.RootDirectory"/> (by default the file's
    /// folder) unless allowed, regular files only, at most <see cref="ZoneFileOptions.MaxFileBytes"/>.
    /// </summary>
    /// <exception cref="FileRefusedException">The policy refuses the file.</exception>
    /// <exception cref="IOException">It cannot be opened.</exception>
    /// <exception cref="UnauthorizedAccessException">It may not be read.</exception>
    public static ZoneFileParser Open(string path, string displayName, DnsName origin, ZoneFileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(displayName);
        ArgumentNullException.ThrowIfNull(origin);
        options ??= ZoneFileOptions.Default;
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var resolver = new IncludeResolver(options, options.RootDirectory ?? folder);
        var parser = new ZoneFileParser(resolver, origin, options);
        parser._sources.Add(resolver.OpenTop(path, displayName));
        return parser;
    }

    /// <summary>
    /// Reads zone-file text from <paramref name="reader"/> (which the caller keeps and disposes);
    /// <paramref name="displayName"/> names it in positions. Relative $INCLUDE paths start from
    /// <see cref="ZoneFileOptions.BaseDirectory"/> (by default the current folder), which is also the
    /// include root unless <see cref="ZoneFileOptions.RootDirectory"/> names one.
    /// </summary>
    public static ZoneFileParser ForText(TextReader reader, string displayName, DnsName origin, ZoneFileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(displayName);
        ArgumentNullException.ThrowIfNull(origin);
        options ??= ZoneFileOptions.Default;
        var directory = Path.GetFullPath(options.BaseDirectory ?? ".");
        var parser = new ZoneFileParser(new IncludeResolver(options, options.RootDirectory ?? directory), origin, options);
        parser._sources.Add(new ZoneSource(reader, ownsReader: false, displayName, directory, 0));
        return parser;
    }

    /// <summary>
    /// The next record or error, in file order (an $INCLUDE's entries where it stands, a
    /// $GENERATE's records one by one); false once everything has been read.
    /// </summary>
    /// <exception cref="IOException">A file could not be read on (after it was opened).</exception>
    public bool Next(out ZoneFileEntry entry)
    {
        while (true)
        {
            if (_state.Errors.TryDequeue(out var error))
            {
                entry = new ZoneFileEntry(error);
                return true;
            }

            if (_generate is not null)
            {
                if (_generate.Next(_state, out var generated))
                {
                    entry = new ZoneFileEntry(generated);
                    return true;
                }

                _generate = null;
                continue;
            }

            if (_sources.Count == 0)
            {
                entry = default;
                return false;
            }

            var source = _sources[^1];
            var lexer = source.Lexer;

            // Once too many bad bytes ended the text, the entry they cut short is not read.
            if (!lexer.Next() || (source.Utf8 is { CutShort: true } && lexer.AtEnd))
            {
                End(source);
                continue;
            }

            if (lexer.Error is not null)
            {
                _state.Error(lexer.Error);
                continue;
            }

            if (source.Utf8?.ReportUpTo(lexer, source.File, _state.Error) == true)
            {
                continue;
            }

            var first = lexer[0];
            if (!lexer.LeadingBlank && !first.Quoted && lexer.Span(first).StartsWith('$'))
            {
                Directive(source, TextToken.All(lexer));
                continue;
            }

            if (RecordEntry.Read(_state, source) is { } record)
            {
                entry = new ZoneFileEntry(new ZoneRecord(record, source.File, first.Line, first.Column));
                return true;
            }
        }
    }

    public void Dispose()
    {
        while (_sources.Count > 0)
        {
            _resolver.Finished(_sources[^1]);
            _sources.RemoveAt(_sources.Count - 1);
        }
    }

    /// <summary>A source has been read to its end: report its bad bytes, close it, and go back to the file that included it.</summary>
    private void End(ZoneSource source)
    {
        source.Utf8?.ReportRest(source.File, _state.Error);

        _sources.RemoveAt(_sources.Count - 1);
        _resolver.Finished(source);
        if (source.Resume is { } resume)
        {
            (_state.Origin, _state.Owner) = resume;
        }
    }

    private void Directive(ZoneSource source, TextToken[] tokens)
    {
        var file = source.File;
        var keyword = tokens[0];
        switch (keyword.Text.ToUpperInvariant())
        {
            case "$ORIGIN":
                if (tokens.Length != 2)
                {
                    _state.Error(file, tokens.Length < 2 ? keyword : tokens[2], tokens.Length < 2 ? "$ORIGIN needs one domain name" : "unexpected text after the $ORIGIN name");
                }
                else if (_state.Name(file, tokens[1], "$ORIGIN name") is { } origin)
                {
                    _state.Origin = origin;
                }

                break;
            case "$TTL":
                if (tokens.Length != 2)
                {
                    _state.Error(file, tokens.Length < 2 ? keyword : tokens[2], tokens.Length < 2 ? "$TTL needs a TTL value" : "unexpected text after the $TTL value");
                }
                else if (_state.Ttl(file, tokens[1]) is { } ttl)
                {
                    _state.TtlDirective = ttl;
                }

                break;
            case "$INCLUDE":
                Include(source, tokens);
                break;
            case "$GENERATE":
                _generate = GenerateRun.Start(_state, file, tokens);
                break;
            default:
                _state.Error(file, keyword, "unknown directive");
                break;
        }
    }

    /// <summary><c>$INCLUDE file [origin]</c>: the file's entries come next, read with that origin (or the current one).</summary>
    private void Include(ZoneSource source, TextToken[] tokens)
    {
        var file = source.File;
        if (tokens.Length is < 2 or > 3)
        {
            _state.Error(file, tokens.Length < 2 ? tokens[0] : tokens[3], tokens.Length < 2 ? "$INCLUDE needs a file name" : "unexpected text after the $INCLUDE origin");
            return;
        }

        var target = tokens[1];
        var name = target.Unquoted;
        if (name.Length == 0)
        {
            _state.Error(file, target, "$INCLUDE needs a file name");
            return;
        }

        var origin = tokens.Length == 3 ? _state.Name(file, tokens[2], "$INCLUDE origin") : _state.Origin;
        if (origin is null)
        {
            return;
        }

        if (_resolver.Include(source, name, out var problem) is not { } included)
        {
            _state.Error(file, target, problem!);
            return;
        }

        included.Resume = (_state.Origin, _state.Owner);
        _sources.Add(included);
        _state.Origin = origin;
    }
}
