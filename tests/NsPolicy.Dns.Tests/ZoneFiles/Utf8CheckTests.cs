// A zone file must be UTF-8: every byte that is not is an error at its line and column, the entry
// that holds it is left out, and the rest of the file is read on; after 100 such bytes the file is
// not read further, so a binary file costs no more than that.
using System.Text;
using NsPolicy.Dns.ZoneFiles;

namespace NsPolicy.Dns.Tests.ZoneFiles;

public sealed class Utf8CheckTests
{
    private const string Head = "$ORIGIN example.\n$TTL 300\n@ SOA ns1 host 1 2 3 4 5\n@ NS ns1\n";

    private static readonly DnsName Origin = DnsName.Parse("example.");

    [Fact]
    public void Each_bad_byte_is_an_error_and_only_the_entries_holding_one_are_left_out()
    {
        var lines = Load(
            Head,
            "ns1 A 192.0.2.1 ; caf", new byte[] { 0xE9 }, " in a comment keeps the record\n",
            "b", new byte[] { 0xFC }, "cher A 192.0.2.2\n",
            "txt TXT \"caf", new byte[] { 0xE9 }, "\"\n",
            "ok A 192.0.2.3\n",
            "two", new byte[] { 0xC3, 0x41 }, "x A 192.0.2.4\n",
            "surrogate", new byte[] { 0xED, 0xA0, 0x80 }, " A 192.0.2.5\n",
            "overlong", new byte[] { 0xC0, 0xAF }, " A 192.0.2.6\n",
            "multi ( A\n 192.0.2.7", new byte[] { 0xFF }, " )\n",
            "fine\u00e9\u00fc A 192.0.2.8\n",
            "last A 192.0.2.9\n",
            "end", new byte[] { 0xF0, 0x9F, 0x98 });

        Assert.Equal(
            [
                "ns1.example. 300 IN A 192.0.2.1",
                "error z.zone:5:22: \\233: byte is not UTF-8; a zone file must be UTF-8 (or ASCII)",
                "error z.zone:6:2: \\252: byte is not UTF-8; a zone file must be UTF-8 (or ASCII)",
                "error z.zone:7:13: \\233: byte is not UTF-8; a zone file must be UTF-8 (or ASCII)",
                "ok.example. 300 IN A 192.0.2.3",
                "error z.zone:9:4: \\195: byte is not UTF-8; a zone file must be UTF-8 (or ASCII)",
                "error z.zone:10:10: \\237: byte is not UTF-8; a zone file must be UTF-8 (or ASCII)",
                "error z.zone:10:11: \\160: byte is not UTF-8; a zone file must be UTF-8 (or ASCII)",
                "error z.zone:10:12: \\128: byte is not UTF-8; a zone file must be UTF-8 (or ASCII)",
                "error z.zone:11:9: \\192: byte is not UTF-8; a zone file must be UTF-8 (or ASCII)",
                "error z.zone:11:10: \\175: byte is not UTF-8; a zone file must be UTF-8 (or ASCII)",
                "error z.zone:13:11: \\255: byte is not UTF-8; a zone file must be UTF-8 (or ASCII)",
                "xn--fine-epa8i.example. 300 IN A 192.0.2.8",
                "last.example. 300 IN A 192.0.2.9",
                "error z.zone:16:4: \\240: byte is not UTF-8; a zone file must be UTF-8 (or ASCII)",
            ],
            lines.Where(l => !l.Contains(" SOA ", StringComparison.Ordinal) && !l.Contains(" NS ", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_character_split_across_read_blocks_is_not_an_error()
    {
        // Multi-byte characters at every offset around the 64 KiB edges of the stream's blocks.
        var text = new StringBuilder(Head);
        for (var i = 0; text.Length < 300_000; i++)
        {
            text.Append("h").Append(i).Append(" TXT \"").Append(new string('x', i % 7)).Append("\u00e9\u20ac\U0001F600\"\n");
        }

        var lines = Load(text.ToString());

        Assert.DoesNotContain(lines, l => l.StartsWith("error", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\\195\\169\\226\\130\\172\\240\\159\\152\\128", StringComparison.Ordinal));
    }

    [Fact]
    public void After_a_hundred_bad_bytes_the_file_is_not_read_further()
    {
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(Head));
        for (var i = 0; i < 1000; i++)
        {
            bytes.AddRange(Encoding.UTF8.GetBytes($"h{i} A 192.0.2.1 ; "));
            bytes.Add(0xFF);
            bytes.Add((byte)'\n');
        }

        var lines = Load(bytes.ToArray());

        var errors = lines.Where(l => l.StartsWith("error", StringComparison.Ordinal)).ToList();
        Assert.Equal(Utf8CheckingStream.MaxRecorded + 1, errors.Count);
        Assert.Equal("error z.zone:105:20: more than 100 bytes are not UTF-8; the file is not read past here", errors[^1]);
        Assert.Equal(Utf8CheckingStream.MaxRecorded, lines.Count(l => l.Contains(" A ", StringComparison.Ordinal)));
    }

    private static List<string> Load(params object[] parts)
    {
        var bytes = new List<byte>();
        foreach (var part in parts)
        {
            bytes.AddRange(part is string s ? Encoding.UTF8.GetBytes(s) : (byte[])part);
        }

        return Load(bytes.ToArray());
    }

    private static List<string> Load(byte[] bytes)
    {
        using var dir = new TempFolder();
        var path = Path.Combine(dir.Path, "z.zone");
        File.WriteAllBytes(path, bytes);
        var lines = new List<string>();
        var options = new ZoneFileOptions { RootDirectory = dir.Path };
        using var parser = ZoneFileParser.Open(path, "z.zone", Origin, options);
        while (parser.Next(out var entry))
        {
            lines.Add(entry.Error is { } e ? "error " + e : entry.Record.Record.ToString().Replace('\t', ' '));
        }

        return lines;
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("nspolicy-utf8-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
