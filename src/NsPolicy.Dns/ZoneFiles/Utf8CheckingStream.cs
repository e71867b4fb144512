// A zone file must be UTF-8 (RFC 1035 master files are ASCII; UTF-8 is what BIND and every editor
// write). A decoder would turn a bad byte into U+FFFD silently, and an owner name with it into a
// different name; this stream stops at the first byte that is not UTF-8 and says where it is.
namespace NsPolicy.Dns.ZoneFiles;

/// <summary>
/// Passes a stream's bytes through while checking they are UTF-8 (RFC 3629: no overlong forms,
/// surrogates or code points above U+10FFFF). At the first bad byte it ends the stream there and
/// records its line and column (columns count UTF-16 code units, as the lexer does).
/// </summary>
internal sealed class Utf8CheckingStream(Stream inner) : Stream
{
    private int _line = 1;
    private int _column = 1;
    private long _position;
    private int _need;
    private int _length;
    private byte _low = 0x80;
    private byte _high = 0xBF;
    private int _startLine;
    private int _startColumn;
    private byte _startByte;
    private int _startIndex;

    /// <summary>Where the first byte that is not UTF-8 is, and the byte; null while all is well.</summary>
    public (int Line, int Column, byte Byte)? Invalid { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (Invalid is not null)
        {
            return 0;
        }

        var read = inner.Read(buffer);
        if (read == 0)
        {
            if (_need > 0)
            {
                Invalid = (_startLine, _startColumn, _startByte);
            }

            return 0;
        }

        var good = Check(buffer[..read]);
        _position += good;
        return good;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Checks a block; returns how many of its bytes come before the first bad one.</summary>
    private int Check(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        _startIndex = -1;
        if (_position == 0 && bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            // A byte-order mark is skipped by the reader: it takes no column.
            i = 3;
        }

        while (i < bytes.Length)
        {
            if (_need == 0)
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
                (_startLine, _startColumn, _startByte, _startIndex) = (_line, _column, b, i);
                (_need, _length, _low, _high) = b switch
                {
                    >= 0xC2 and <= 0xDF => (1, 2, (byte)0x80, (byte)0xBF),
                    0xE0 => (2, 3, (byte)0xA0, (byte)0xBF),
                    0xED => (2, 3, (byte)0x80, (byte)0x9F),
                    >= 0xE1 and <= 0xEF => (2, 3, (byte)0x80, (byte)0xBF),
                    0xF0 => (3, 4, (byte)0x90, (byte)0xBF),
                    >= 0xF1 and <= 0xF3 => (3, 4, (byte)0x80, (byte)0xBF),
                    0xF4 => (3, 4, (byte)0x80, (byte)0x8F),
                    _ => (-1, 0, (byte)0, (byte)0),
                };
                if (_need < 0)
                {
                    _need = 0;
                    Invalid = (_line, _column, b);
                    return i;
                }

                i++;
                continue;
            }

            var c = bytes[i];
            if (c < _low || c > _high)
            {
                // The sequence's first bytes, when in this block, are not passed on either.
                _need = 0;
                Invalid = (_startLine, _startColumn, _startByte);
                return _startIndex >= 0 ? _startIndex : i;
            }

            (_low, _high) = ((byte)0x80, (byte)0xBF);
            i++;
            if (--_need == 0)
            {
                _column += _length == 4 ? 2 : 1;
            }
        }

        return bytes.Length;
    }
}
