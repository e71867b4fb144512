// Splits a master file into entries (RFC 1035 §5.1): one entry per line, or several lines joined by
// parentheses. Reads the text once, character by character, so files of any size stream through.
using System.Text;

namespace NsPolicy.Dns.ZoneFiles;

/// <summary>One token with the place where it starts; quoted tokens keep their quotes and escapes.</summary>
internal readonly record struct ZoneToken(string Text, int Line, int Column, bool Quoted);

/// <summary>The tokens of one entry; <paramref name="LeadingBlank"/> when its line began with white space (owner inherited).</summary>
internal sealed record ZoneEntry(IReadOnlyList<ZoneToken> Tokens, bool LeadingBlank, int Line, ZoneFileError? Error);

internal sealed class ZoneLexer(TextReader reader, string file)
{
    private readonly StringBuilder _token = new();
    private int _line = 1;
    private int _column = 1;

    /// <summary>The next entry that holds tokens or an error; null at the end of the file.</summary>
    public ZoneEntry? Next()
    {
        var tokens = new List<ZoneToken>();
        ZoneFileError? error = null;
        var depth = 0;
        var parenLine = 0;
        var parenColumn = 0;
        var leadingBlank = reader.Peek() is ' ' or '\t';
        var entryLine = _line;
        while (true)
        {
            var c = reader.Peek();
            switch (c)
            {
                case -1:
                    if (depth > 0)
                    {
                        error ??= new ZoneFileError(file, parenLine, parenColumn, "(", "parenthesis is never closed");
                    }

                    return tokens.Count > 0 || error is not null ? new ZoneEntry(tokens, leadingBlank, entryLine, error) : null;
                case '\n':
                    Read();
                    if (depth > 0)
                    {
                        continue;
                    }

                    if (tokens.Count > 0 || error is not null)
                    {
                        return new ZoneEntry(tokens, leadingBlank, entryLine, error);
                    }

                    leadingBlank = reader.Peek() is ' ' or '\t';
                    entryLine = _line;
                    continue;
                case ' ' or '\t' or '\r':
                    Read();
                    continue;
                case ';':
                    while (reader.Peek() is not ('\n' or -1))
                    {
                        Read();
                    }

                    continue;
                case '(':
                    if (depth > 0)
                    {
                        error ??= new ZoneFileError(file, _line, _column, "(", "parentheses do not nest");
                    }
                    else
                    {
                        parenLine = _line;
                        parenColumn = _column;
                    }

                    Read();
                    depth++;
                    continue;
                case ')':
                    if (depth == 0)
                    {
                        error ??= new ZoneFileError(file, _line, _column, ")", "closing parenthesis without an opening one");
                    }
                    else
                    {
                        depth--;
                    }

                    Read();
                    continue;
                case '"':
                    {
                        var (line, column) = (_line, _column);
                        if (!ReadQuoted())
                        {
                            error ??= new ZoneFileError(file, line, column, Shorten(_token.ToString()), "quoted string is never closed");
                            return new ZoneEntry(tokens, leadingBlank, entryLine, error);
                        }

                        tokens.Add(new ZoneToken(_token.ToString(), line, column, Quoted: true));
                        continue;
                    }

                default:
                    {
                        var (line, column) = (_line, _column);
                        ReadBare();
                        tokens.Add(new ZoneToken(_token.ToString(), line, column, Quoted: false));
                        continue;
                    }
            }
        }
    }

    private bool ReadQuoted()
    {
        _token.Clear();
        _token.Append((char)Read());
        while (true)
        {
            var c = Read();
            switch (c)
            {
                case -1:
                    return false;
                case '\\':
                    var escaped = Read();
                    if (escaped == -1)
                    {
                        return false;
                    }

                    _token.Append('\\').Append((char)escaped);
                    continue;
                case '"':
                    _token.Append('"');
                    return true;
                default:
                    _token.Append((char)c);
                    continue;
            }
        }
    }

    private void ReadBare()
    {
        _token.Clear();
        while (true)
        {
            var c = reader.Peek();
            if (c is -1 or ' ' or '\t' or '\r' or '\n' or ';' or '(' or ')' or '"')
            {
                return;
            }

            Read();
            _token.Append((char)c);
            if (c == '\\' && reader.Peek() is not (-1 or '\n'))
            {
                _token.Append((char)Read());
            }
        }
    }

    private int Read()
    {
        var c = reader.Read();
        if (c == '\n')
        {
            _line++;
            _column = 1;
        }
        else if (c >= 0)
        {
            _column++;
        }

        return c;
    }

    /// <summary>A token as errors quote it: its first line, at most 40 characters.</summary>
    internal static string Shorten(string text)
    {
        var end = text.AsSpan().IndexOfAny('\r', '\n');
        var cut = end >= 0 && end < 40 ? end : Math.Min(text.Length, 40);
        return cut == text.Length ? text : string.Concat(text.AsSpan(0, cut), "…");
    }
}
