// Splits a master file into entries (RFC 1035 §5.1): one entry per line, or several lines joined by
// parentheses. Streams: the text is read in blocks into one reused buffer and scanned with
// vectorised searches; the characters of the current entry's tokens are copied into a second
// reused buffer, so a file of any size is read with a constant amount of memory and no per-token
// string unless the loader asks for one.
using System.Buffers;

namespace NsPolicy.Dns.ZoneFiles;

/// <summary>
/// One token of the current entry: where its characters are in <see cref="ZoneLexer"/>'s token
/// buffer and where it starts in the file. Quoted tokens keep their quotes and escapes.
/// </summary>
internal readonly record struct ZoneToken(int Start, int Length, int Line, int Column, bool Quoted);

/// <summary>
/// Reads one entry at a time. After <see cref="Next"/> returns true, <see cref="Count"/> tokens are
/// available until the next call; <see cref="Error"/> is set when the entry is broken.
/// </summary>
internal sealed class ZoneLexer(TextReader reader, string file)
{
    private const int BlockSize = 32 * 1024;

    /// <summary>The most characters one entry (a line, or lines joined by parentheses) may hold: 1 MiB.</summary>
    public const int MaxEntryChars = 1024 * 1024;

    /// <summary>The most tokens one entry may hold (RDATA is at most 65,535 octets, each token makes at least one).</summary>
    public const int MaxEntryTokens = 65_536;

    // Characters that end a bare token, and the backslash that escapes the next one.
    private static readonly SearchValues<char> BareStops = SearchValues.Create(" \t\r\n;()\"\\");
    private static readonly SearchValues<char> QuotedStops = SearchValues.Create("\"\\\n");
    private static readonly SearchValues<char> Blanks = SearchValues.Create(" \t\r");

    private readonly char[] _buffer = new char[BlockSize];
    private int _pos;
    private int _end;
    private bool _eof;
    private int _line = 1;
    private int _column = 1;
    private char[] _text = new char[1024];
    private int _textLength;
    private ZoneToken[] _tokens = new ZoneToken[16];
    private bool _overflow;

    /// <summary>Tokens in the current entry.</summary>
    public int Count { get; private set; }

    /// <summary>The entry's line began with white space, so its owner is the previous one.</summary>
    public bool LeadingBlank { get; private set; }

    /// <summary>The text has ended (the current entry, if any, was ended by the end of the text).</summary>
    public bool AtEnd => _eof;

    /// <summary>The line where the current entry starts.</summary>
    public int Line { get; private set; }

    /// <summary>What is wrong with the current entry, if anything; its tokens are then not to be used.</summary>
    public ZoneFileError? Error { get; private set; }

    public ZoneToken this[int index] => _tokens[index];

    /// <summary>The characters of <paramref name="token"/>, valid until the next entry is read.</summary>
    public ReadOnlySpan<char> Span(ZoneToken token) => _text.AsSpan(token.Start, token.Length);

    public string Text(ZoneToken token) => new(Span(token));

    /// <summary>Reads the next entry that holds tokens or an error; false at the end of the file.</summary>
    public bool Next()
    {
        Count = 0;
        _textLength = 0;
        _overflow = false;
        Error = null;
        var depth = 0;
        var parenLine = 0;
        var parenColumn = 0;
        LeadingBlank = Peek() is ' ' or '\t';
        Line = _line;
        while (true)
        {
            var c = Peek();
            switch (c)
            {
                case -1:
                    if (depth > 0)
                    {
                        Error ??= new ZoneFileError(file, parenLine, parenColumn, "(", "parenthesis is never closed");
                    }

                    return Finish() || Error is not null;
                case '\n':
                    Advance();
                    if (depth > 0)
                    {
                        continue;
                    }

                    if (Finish() || Error is not null)
                    {
                        return true;
                    }

                    LeadingBlank = Peek() is ' ' or '\t';
                    Line = _line;
                    continue;
                case ' ' or '\t' or '\r':
                    SkipBlanks();
                    continue;
                case ';':
                    SkipComment();
                    continue;
                case '(':
                    if (depth > 0)
                    {
                        Error ??= new ZoneFileError(file, _line, _column, "(", "parentheses do not nest");
                    }
                    else
                    {
                        parenLine = _line;
                        parenColumn = _column;
                    }

                    Advance();
                    depth++;
                    continue;
                case ')':
                    if (depth == 0)
                    {
                        Error ??= new ZoneFileError(file, _line, _column, ")", "closing parenthesis without an opening one");
                    }
                    else
                    {
                        depth--;
                    }

                    Advance();
                    continue;
                case '"':
                    {
                        var (line, column, start) = (_line, _column, _textLength);
                        if (!ReadQuoted())
                        {
                            Error ??= new ZoneFileError(file, line, column, FirstLine(_text.AsSpan(start, _textLength - start)), "quoted string is never closed");
                            return true;
                        }

                        AddToken(new ZoneToken(start, _textLength - start, line, column, Quoted: true));
                        continue;
                    }

                default:
                    {
                        var (line, column, start) = (_line, _column, _textLength);
                        ReadBare();
                        AddToken(new ZoneToken(start, _textLength - start, line, column, Quoted: false));
                        continue;
                    }
            }
        }
    }

    /// <summary>
    /// Ends an entry: true when it holds tokens. An entry over <see cref="MaxEntryChars"/> or
    /// <see cref="MaxEntryTokens"/> (whose characters were not kept) becomes an error at its start.
    /// </summary>
    private bool Finish()
    {
        if (_overflow)
        {
            var column = Count > 0 ? _tokens[0].Column : 1;
            Error ??= new ZoneFileError(file, Line, column, string.Empty, $"entry is longer than {MaxEntryChars / 1024 / 1024} MiB or {MaxEntryTokens} tokens; no record is that long");
            Count = 0;
        }

        return Count > 0;
    }

    /// <summary>An excerpt of a token's first line, marked as cut when more lines follow.</summary>
    private static string FirstLine(ReadOnlySpan<char> text)
    {
        var newline = text.IndexOf('\n');
        if (newline < 0)
        {
            return Excerpt.Of(text);
        }

        var shown = Excerpt.Of(text[..newline].TrimEnd('\r'));
        return shown.EndsWith('…') ? shown : shown + "…";
    }

    private void AddToken(ZoneToken token)
    {
        if (_overflow || Count >= MaxEntryTokens)
        {
            _overflow = true;
            return;
        }

        if (Count == _tokens.Length)
        {
            Array.Resize(ref _tokens, _tokens.Length * 2);
        }

        _tokens[Count++] = token;
    }

    private bool ReadQuoted()
    {
        Append('"');
        Advance();
        while (true)
        {
            if (_pos == _end && !Fill())
            {
                return false;
            }

            var span = _buffer.AsSpan(_pos, _end - _pos);
            var stop = span.IndexOfAny(QuotedStops);
            var take = stop < 0 ? span.Length : stop;
            Append(span[..take]);
            _pos += take;
            _column += take;
            if (stop < 0)
            {
                continue;
            }

            switch (span[stop])
            {
                case '"':
                    Append('"');
                    Advance();
                    return true;
                case '\n':
                    Append('\n');
                    Advance();
                    continue;
                default:
                    Advance();
                    var escaped = Peek();
                    if (escaped == -1)
                    {
                        return false;
                    }

                    Append('\\');
                    Append((char)escaped);
                    Advance();
                    continue;
            }
        }
    }

    private void ReadBare()
    {
        while (true)
        {
            if (_pos == _end && !Fill())
            {
                return;
            }

            var span = _buffer.AsSpan(_pos, _end - _pos);
            var stop = span.IndexOfAny(BareStops);
            var take = stop < 0 ? span.Length : stop;
            Append(span[..take]);
            _pos += take;
            _column += take;
            if (stop < 0)
            {
                continue;
            }

            if (span[stop] != '\\')
            {
                return;
            }

            // A backslash takes the next character into the token, unless the line or file ends.
            Append('\\');
            Advance();
            var next = Peek();
            if (next is not (-1 or '\n'))
            {
                Append((char)next);
                Advance();
            }
        }
    }

    private void SkipBlanks()
    {
        while (_pos < _end || Fill())
        {
            var span = _buffer.AsSpan(_pos, _end - _pos);
            var other = span.IndexOfAnyExcept(Blanks);
            var take = other < 0 ? span.Length : other;
            _pos += take;
            _column += take;
            if (other >= 0)
            {
                return;
            }
        }
    }

    // Up to the end of the line; the newline itself is left for the entry loop.
    private void SkipComment()
    {
        while (_pos < _end || Fill())
        {
            var span = _buffer.AsSpan(_pos, _end - _pos);
            var newline = span.IndexOf('\n');
            var take = newline < 0 ? span.Length : newline;
            _pos += take;
            _column += take;
            if (newline >= 0)
            {
                return;
            }
        }
    }

    private int Peek() => _pos < _end || Fill() ? _buffer[_pos] : -1;

    private void Advance()
    {
        if (_buffer[_pos++] == '\n')
        {
            _line++;
            _column = 1;
        }
        else
        {
            _column++;
        }
    }

    private bool Fill()
    {
        if (_eof)
        {
            return false;
        }

        _pos = 0;
        _end = reader.Read(_buffer, 0, _buffer.Length);
        if (_end > 0)
        {
            return true;
        }

        _end = 0;
        _eof = true;
        return false;
    }

    private void Append(char c)
    {
        if (_textLength >= MaxEntryChars)
        {
            _overflow = true;
            return;
        }

        if (_textLength == _text.Length)
        {
            Array.Resize(ref _text, _text.Length * 2);
        }

        _text[_textLength++] = c;
    }

    private void Append(ReadOnlySpan<char> chars)
    {
        if (_textLength + chars.Length > MaxEntryChars)
        {
            _overflow = true;
            return;
        }

        if (_textLength + chars.Length > _text.Length)
        {
            Array.Resize(ref _text, Math.Max(_text.Length * 2, _textLength + chars.Length));
        }

        chars.CopyTo(_text.AsSpan(_textLength));
        _textLength += chars.Length;
    }
}
