// A text the parser reads: the top-level file (or text), or a file an $INCLUDE named. The parser
// keeps a stack of them; when an included file ends, the origin and owner it started with are
// restored (RFC 1035 §5.1: $INCLUDE does not change the including file's origin).
using NsPolicy.Dns.Records;

namespace NsPolicy.Dns.ZoneFiles;

internal sealed class ZoneSource : IDisposable
{
    private readonly TextReader _reader;
    private readonly bool _ownsReader;

    public ZoneSource(TextReader reader, bool ownsReader, string file, string directory, int depth, Utf8CheckingStream? utf8 = null, string? realPath = null)
    {
        _reader = reader;
        _ownsReader = ownsReader;
        File = file;
        Directory = directory;
        Depth = depth;
        Utf8 = utf8;
        RealPath = realPath;
        Lexer = new ZoneLexer(reader, file);
        Tokens = new LexerTokens(Lexer);
    }

    public ZoneLexer Lexer { get; }

    /// <summary>The RDATA tokens of the lexer's current entry.</summary>
    public LexerTokens Tokens { get; }

    /// <summary>The file as positions name it: as the caller named it, or the $INCLUDE path relative to the including file.</summary>
    public string File { get; }

    /// <summary>The folder relative $INCLUDE paths start from.</summary>
    public string Directory { get; }

    /// <summary>0 for the top-level file, one more per $INCLUDE.</summary>
    public int Depth { get; }

    /// <summary>The UTF-8 check under a file (null for text the caller gave).</summary>
    public Utf8CheckingStream? Utf8 { get; }

    /// <summary>The real path of a file (null for text): on the resolver's list while it is read.</summary>
    public string? RealPath { get; }

    /// <summary>The including file's origin and owner, restored when this file ends.</summary>
    public (DnsName Origin, DnsName? Owner)? Resume { get; set; }

    public void Dispose()
    {
        if (_ownsReader)
        {
            _reader.Dispose();
        }
    }
}

/// <summary>The RDATA tokens of the lexer's current entry: those from <see cref="First"/> on.</summary>
internal sealed class LexerTokens(ZoneLexer lexer) : IPresentationTokens
{
    public int First { get; set; }

    public int Count => lexer.Count - First;

    public ReadOnlySpan<char> Span(int index) => lexer.Span(lexer[First + index]);

    public string Text(int index) => lexer.Text(lexer[First + index]);
}

/// <summary>A directive's token as a string (directives are rare; records never make these).</summary>
internal readonly record struct TextToken(string Text, int Line, int Column, bool Quoted)
{
    /// <summary>The tokens of the lexer's current entry as strings.</summary>
    public static TextToken[] All(ZoneLexer lexer)
    {
        var tokens = new TextToken[lexer.Count];
        for (var k = 0; k < tokens.Length; k++)
        {
            var token = lexer[k];
            tokens[k] = new TextToken(lexer.Text(token), token.Line, token.Column, token.Quoted);
        }

        return tokens;
    }

    /// <summary>The text without the quotes of a quoted token.</summary>
    public string Unquoted => Quoted ? Text[1..^1] : Text;
}
