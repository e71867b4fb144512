// The lexer reads its input in blocks and scans each block for the end of a token; these tests make
// every token, escape, quote and parenthesis fall across a block edge by feeding the same text in
// reads of every size from 1 character, and check that nothing changes: records, errors, positions.
using System.Text;
using NsPolicy.Dns.ZoneFiles;

namespace NsPolicy.Dns.Tests.ZoneFiles;

public sealed class ZoneFileStreamingTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.");

    public static TheoryData<string> GoldenFiles()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(TestData.PathOf("zonefile"), "*.zone").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(GoldenFiles))]
    public void Loads_the_same_records_and_errors_whatever_size_the_reads_are(string file)
    {
        var directory = TestData.PathOf("zonefile");
        var text = File.ReadAllText(Path.Combine(directory, file));
        var expected = Load(new StringReader(text), file, directory);

        foreach (var size in (int[])[1, 2, 3, 5, 7, 64])
        {
            Assert.Equal(expected, Load(new ChunkedReader(text, size), file, directory));
        }
    }

    [Fact]
    public void Reads_tokens_that_straddle_the_lexer_block_edge()
    {
        // Long enough for several 32 KiB blocks; the varying padding puts every kind of token on an edge somewhere.
        var text = new StringBuilder("$TTL 300\n");
        for (var i = 0; i < 3000; i++)
        {
            var pad = new string('x', i % 17);
            text.Append("n").Append(i).Append(pad).Append(" IN TXT \"a\\\"b ").Append(pad).Append("\" ; note ").Append(pad).Append('\n');
            text.Append("\t( A 192.0.2.").Append(i % 250).Append(" )\n");
            text.Append("e\\.").Append(i).Append(" MX 10 mail\\046").Append(pad).Append('\n');
        }

        var whole = Load(new StringReader(text.ToString()), "big.zone", ".");

        Assert.True(text.Length > 3 * 32 * 1024);
        Assert.Equal(9000, whole.Count(line => !line.StartsWith("error", StringComparison.Ordinal)));
        Assert.DoesNotContain(whole, line => line.StartsWith("error", StringComparison.Ordinal));
        Assert.Equal(whole, Load(new ChunkedReader(text.ToString(), 4093), "big.zone", "."));
    }

    [Fact]
    public void Keeps_line_and_column_of_errors_after_many_blocks()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 5000; i++)
        {
            text.Append("h").Append(i).Append(" 300 A 192.0.2.1\n");
        }

        text.Append("bad 300 A 192.0.2.300\n   \"open");

        var lines = Load(new StringReader(text.ToString()), "tail.zone", ".");

        Assert.Equal(
            ["error tail.zone:5001:11: 192.0.2.300: A address '192.0.2.300' is not a dotted-quad IPv4 address",
             "error tail.zone:5002:4: \"open: quoted string is never closed"],
            lines.Where(l => l.StartsWith("error", StringComparison.Ordinal)));
    }

    private static List<string> Load(TextReader reader, string file, string directory)
    {
        var lines = new List<string>();
        var options = new ZoneFileOptions { BaseDirectory = directory };
        using var parser = ZoneFileParser.ForText(reader, file, Origin, options);
        while (parser.Next(out var entry))
        {
            lines.Add(entry.Error is { } e ? "error " + e : entry.Record.ToString());
        }

        return lines;
    }

    /// <summary>Hands out at most <c>size</c> characters per read, as a slow pipe or network stream might.</summary>
    private sealed class ChunkedReader(string text, int size) : TextReader
    {
        private int _at;

        public override int Peek() => _at < text.Length ? text[_at] : -1;

        public override int Read() => _at < text.Length ? text[_at++] : -1;

        public override int Read(char[] buffer, int index, int count)
        {
            var n = Math.Min(Math.Min(count, size), text.Length - _at);
            text.CopyTo(_at, buffer, index, n);
            _at += n;
            return n;
        }
    }
}
