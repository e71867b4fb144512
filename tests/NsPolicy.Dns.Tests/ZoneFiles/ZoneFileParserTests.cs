using NsPolicy.Dns.Tests.Support;
using NsPolicy.Dns.ZoneFiles;

namespace NsPolicy.Dns.Tests.ZoneFiles;

public sealed class ZoneFileParserTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.");

    private static string Folder => TestData.PathOf("zonefile");

    [Fact]
    public void Stops_includes_nested_deeper_than_the_limit()
    {
        var result = ZoneFileReading.ParseText("$TTL 60\n$INCLUDE inc/loop-a.inc\n", "t.zone", Origin,
            new ZoneFileOptions { BaseDirectory = Folder, MaxIncludeDepth = 1 });

        Assert.Equal(["loop-a.example."], result.Records.Select(r => r.Owner.ToString()));
        var error = Assert.Single(result.Errors);
        Assert.Equal("inc/loop-a.inc:2:10: loop-b.inc: $INCLUDE nests deeper than 1 files", error.ToString());
    }

    [Fact]
    public void Follows_an_include_outside_the_root_only_when_allowed()
    {
        var text = "$INCLUDE ../default-ttl.zone\n";
        var inner = Path.Combine(Folder, "inc");

        var refused = ZoneFileReading.ParseText(text, "t.zone", Origin, new ZoneFileOptions { BaseDirectory = inner });
        var allowed = ZoneFileReading.ParseText(text, "t.zone", Origin,
            new ZoneFileOptions { BaseDirectory = inner, RootDirectory = inner, AllowIncludeOutsideRoot = true });

        Assert.Equal("$INCLUDE file resolves to a file outside the repository (symbolic links followed); --allow-include-outside allows it", Assert.Single(refused.Errors).Message);
        Assert.Empty(allowed.Errors);
    }

    [Fact]
    public void Streams_records_and_reports_errors_in_file_order()
    {
        var events = new List<string>();
        var text = "$TTL 60\na A 192.0.2.1\nb A nonsense\nc A 192.0.2.3\n";

        using var reader = new StringReader(text);
        using var parser = ZoneFileParser.ForText(reader, "s.zone", Origin);
        while (parser.Next(out var entry))
        {
            events.Add(entry.Error is { } e ? "error " + e.Line.ToString(System.Globalization.CultureInfo.InvariantCulture) : "record " + entry.Record.Record.Owner);
        }

        Assert.Equal(["record a.example.", "error 3", "record c.example."], events);
    }

    [Fact]
    public void Reads_a_zone_file_by_path_with_includes_relative_to_it()
    {
        var result = ZoneFileReading.Parse(Path.Combine(Folder, "default-ttl.zone"), Origin);

        Assert.Empty(result.Errors);
        Assert.Equal(7, result.Records.Count);
    }

    [Fact]
    public void Gives_each_record_the_file_line_and_column_where_it_was_written()
    {
        var text = "$TTL 60\n@ SOA ns hostmaster (\n  1 2 3 4 5 )\n  NS ns\n$INCLUDE inc/loop-a.inc\nwww A 192.0.2.1\n";

        var records = ZoneFileReading.ParseText(text, "p.zone", Origin,
            new ZoneFileOptions { BaseDirectory = Folder, MaxIncludeDepth = 1 }).Placed.ToList();

        Assert.Equal(
            [
                "p.zone:2:1 SOA",
                "p.zone:4:3 NS",
                "inc/loop-a.inc:1:1 A",
                "p.zone:6:1 A",
            ],
            records.Select(r => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{r.File}:{r.Line}:{r.Column} {r.Record.Type}")));
    }

    [Fact]
    public void A_zone_file_that_is_a_link_out_of_its_root_is_refused_before_it_is_read()
    {
        var root = Directory.CreateTempSubdirectory("nspolicy-zone-root-");
        var outside = Directory.CreateTempSubdirectory("nspolicy-zone-outside-");
        try
        {
            var target = Path.Combine(outside.FullName, "secret.zone");
            File.WriteAllText(target, "$TTL 60\n@ SOA ns h 1 2 3 4 5\n");
            var link = Path.Combine(root.FullName, "example.zone");
            File.CreateSymbolicLink(link, target);
            var options = new ZoneFileOptions { RootDirectory = root.FullName };

            var parser = Assert.Throws<NsPolicy.Dns.Files.FileRefusedException>(() => ZoneFileParser.Open(link, "example.zone", Origin, options));
            Assert.Contains("outside", parser.Reason, StringComparison.Ordinal);

            // The serial comparison reads through the same policy (a base revision's file is no way around it).
            Assert.Throws<NsPolicy.Dns.Files.FileRefusedException>(() => NsPolicy.Dns.Zones.ZoneContent.Load(link, "example.zone", Origin, options));
        }
        finally
        {
            root.Delete(recursive: true);
            outside.Delete(recursive: true);
        }
    }

    [Fact]
    public void An_include_ends_with_the_including_files_origin_and_owner_back_and_the_parser_stays_ended()
    {
        var text = "$TTL 60\nhost A 192.0.2.1\n$INCLUDE inc/loop-a.inc sub.example.\n  A 192.0.2.2\nafter A 192.0.2.3\n";
        using var reader = new StringReader(text);
        using var parser = ZoneFileParser.ForText(reader, "t.zone", Origin, new ZoneFileOptions { BaseDirectory = Folder, MaxIncludeDepth = 1 });
        var seen = new List<string>();
        while (parser.Next(out var entry))
        {
            seen.Add(entry.IsError ? "error" : entry.Record.Record.Owner.ToString());
        }

        Assert.Equal(["host.example.", "loop-a.sub.example.", "error", "host.example.", "after.example."], seen);
        Assert.False(parser.Next(out _));
    }
}
