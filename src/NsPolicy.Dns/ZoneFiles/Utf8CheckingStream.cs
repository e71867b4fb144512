// A zone file must be UTF-8 (RFC 1035 master files are ASCII; UTF-8 is what BIND and every editor
// write). A decoder would turn a bad byte into U+FFFD silently, and an owner name with it into a
// different name; this stream says where each bad byte is and hands the parser a '?' in its place,
// so the rest of the file is still read and the entry that held the byte can be left out.
using System.Globalization;

namespace NsPolicy.Dns.ZoneFiles;

/// <summary>
/// Passes a stream's bytes through while checking they are UTF-8 (RFC 3629: no overlong forms,
/// surrogates or code points above U+10FFFF). Each bad sequence (its longest start that could
/// still have been UTF-8, as WHATWG's decoder counts them) becomes one '?' per byte and is
/// recorded with its line and column (columns count UTF-16 code units, as the lexer does). After
/// <see cref="MaxRecorded"/> of them the stream ends, so a binary file costs no more than that.
/// </summary>
internal sealed class Utf8CheckingStream(Stream inner) : Stream
{
    /// <summary>The most bad sequences recorded; at the next one the stream ends.</summary>
    public const int MaxRecorded = 100;

    private readonly byte[] _block = new byte[64 * 1024];
    private readonly List<(int Line, int Column, byte Byte)> _invalid = [];
    private int _start;
    private int _ready;
    private int _end;
    private bool _eof;
    private bool _first = true;
    private int _line = 1;
    private int _column = 1;
    private int _reported;

    /// <summary>Each bad sequence read so far, in file order: where it starts and its first byte.</summary>
    public IReadOnlyList<(int Line, int Column, byte Byte)> Invalid => _invalid;

    /// <summary>Where the bad sequence that ended the stream (one more than <see cref="MaxRecorded"/>) is; null while reading goes on.</summary>
    public (int Line, int Column)? StoppedAt { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_start == _ready)
        {
            if (StoppedAt is not null || (_eof && _ready == _end))
            {
                return 0;
            }

            Fill();
        }

        var n = Math.Min(buffer.Length, _ready - _start);
        _block.AsSpan(_start, n).CopyTo(buffer);
        _start += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>The stream ended early at too many bad bytes, so the lexer's last entry is cut short.</summary>
    public bool CutShort => StoppedAt is not null;

    /// <summary>
    /// Reports the bad bytes up to the end of the lexer's current entry (those before it too);
    /// true when one lies among its tokens, so the entry is not to be used: its '?' would make a
    /// different name or text.
    /// </summary>
    public bool ReportUpTo(ZoneLexer lexer, string file, Action<ZoneFileError> onError)
    {
        if (_reported == _invalid.Count || lexer.Count == 0)
        {
            return false;
        }

        var first = lexer[0];
        var end = End(lexer, lexer[lexer.Count - 1]);
        var inside = false;
        for (; _reported < _invalid.Count; _reported++)
        {
            var bad = _invalid[_reported];
            if ((bad.Line, bad.Column).CompareTo(end) > 0)
            {
                break;
            }

            inside |= (bad.Line, bad.Column).CompareTo((first.Line, first.Column)) >= 0;
            onError(Error(file, bad));
        }

        return inside;
    }

    /// <summary>Reports the bad bytes not reported yet, and where the stream gave up.</summary>
    public void ReportRest(string file, Action<ZoneFileError> onError)
    {
        for (; _reported < _invalid.Count; _reported++)
        {
            onError(Error(file, _invalid[_reported]));
        }

        if (StoppedAt is { } at)
        {
            onError(new ZoneFileError(file, at.Line, at.Column, string.Empty,
                $"more than {MaxRecorded} bytes are not UTF-8; the file is not read past here"));
        }
    }

    private static ZoneFileError Error(string file, (int Line, int Column, byte Byte) bad) =>
        new(file, bad.Line, bad.Column, string.Create(CultureInfo.InvariantCulture, $"\\{bad.Byte:D3}"),
            "byte is not UTF-8; a zone file must be UTF-8 (or ASCII)");

    /// <summary>The line and column of a token's last character (a quoted token may span lines).</summary>
    private static (int Line, int Column) End(ZoneLexer lexer, ZoneToken token)
    {
        var text = lexer.Span(token);
        var newline = text.LastIndexOf('\n');
        return newline < 0
            ? (token.Line, token.Column + Math.Max(token.Length, 1) - 1)
            : (token.Line + text.Count('\n'), text.Length - newline - 1);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Reads the next block after the bytes held back (an unfinished sequence) and checks it.</summary>
    private void Fill()
    {
        var held = _end - _ready;
        _block.AsSpan(_ready, held).CopyTo(_block);
        (_start, _ready, _end) = (0, 0, held);
        if (!_eof)
        {
            var read = inner.Read(_block.AsSpan(held));
            _eof = read == 0;
            _end += read;
        }

        var from = 0;
        if (_first && _end >= 3 && _block.AsSpan(0, 3).SequenceEqual((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            // A byte-order mark is skipped by the reader: it takes no column.
            from = 3;
        }

        if (_first && (_end >= 3 || _eof))
        {
            _first = false;
        }

        _ready = Check(from);
    }

    /// <summary>
    /// Checks the block from <paramref name="i"/>, replacing bad sequences; returns how many bytes
    /// may be passed on (an unfinished sequence at the end of a block waits for the next one).
    /// </summary>
    private int Check(int i)
    {
        var bytes = _block.AsSpan(0, _end);
        while (i < bytes.Length)
        {
            var rest = bytes[i..];
            var ascii = rest.IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
            var run = ascii < 0 ? rest : rest[..ascii];
            var lastNewline = run.LastIndexOf((byte)'\n');
            if (lastNewline >= 0)
            {
                _line += run.Count((byte)'\n');
                _column = run.Length - lastNewline;
            }
            else
            {
                _column += run.Length;
            }

            i += run.Length;
            if (ascii < 0)
            {
                break;
            }

            var b = bytes[i];
            var (length, low, high) = b switch
            {
                >= 0xC2 and <= 0xDF => (2, 0x80, 0xBF),
                0xE0 => (3, 0xA0, 0xBF),
                0xED => (3, 0x80, 0x9F),
                >= 0xE1 and <= 0xEF => (3, 0x80, 0xBF),
                0xF0 => (4, 0x90, 0xBF),
                >= 0xF1 and <= 0xF3 => (4, 0x80, 0xBF),
                0xF4 => (4, 0x80, 0x8F),
                _ => (1, 0, 0),
            };
            var good = 1;
            while (good < length && i + good < bytes.Length)
            {
                var c = bytes[i + good];
                if (c < (good == 1 ? low : 0x80) || c > (good == 1 ? high : 0xBF))
                {
                    break;
                }

                good++;
            }

            if (good == length && length > 1)
            {
                _column += length == 4 ? 2 : 1;
                i += length;
                continue;
            }

            if (i + good == bytes.Length && length > 1 && !_eof)
            {
                // The sequence may go on in the next block: hold it back.
                return i;
            }

            if (_invalid.Count == MaxRecorded)
            {
                StoppedAt = (_line, _column);
                return i;
            }

            // The longest start that could have been UTF-8 is one error; each of its bytes a '?'.
            _invalid.Add((_line, _column, b));
            bytes.Slice(i, good).Fill((byte)'?');
            _column += good;
            i += good;
        }

        return bytes.Length;
    }
}

