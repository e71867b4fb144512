using NsPolicy.Dns.Tests.Support;
using NsPolicy.Dns.Tests.Lab;
using NsPolicy.Dns.ZoneFiles;

namespace NsPolicy.Dns.Tests.ZoneFiles;

/// <summary>
/// $GENERATE as BIND expands it: each zone in testdata/zonefile/generate (named after its origin)
/// must load to exactly the records that <c>named-checkzone -D -i local</c> prints for it; and the
/// malformed or oversized forms are errors at the directive.
/// </summary>
public sealed class GenerateTests
{
    private static string Folder => TestData.PathOf("zonefile", "generate");

    public static TheoryData<string> Zones()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder, "*.zone").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Zones))]
    public async Task Expands_each_zone_exactly_as_named_checkzone_does(string file)
    {
        var origin = file[..^".zone".Length];
        var path = Path.Combine(Folder, file);

        var ours = ZoneFileReading.Parse(path, DnsName.Parse(origin));
        var bind = await LabProcess.RunAsync("named-checkzone", ["-D", "-i", "local", "-o", "-", origin, path], Folder, TimeSpan.FromMinutes(2), CancellationToken.None);

        Assert.Empty(ours.Errors);
        Assert.True(bind.ExitCode == 0, bind.Output);
        var expected = bind.StandardOutput.Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith("zone ", StringComparison.Ordinal) && l != "OK")
            .Select(RecordLine.Parse)
            .Select(r => r.ToString())
            .Order(StringComparer.Ordinal)
            .ToList();
        var actual = ours.Records.Distinct().Select(r => r.ToString()).Order(StringComparer.Ordinal).ToList();
        Assert.True(expected.Count > 10, $"named-checkzone printed too little:\n{bind.Output}");
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("$GENERATE 3-1 x$ A 10.0.0.1", 11, "$GENERATE range '3-1' ends before it starts")]
    [InlineData("$GENERATE 1-3/0 x$ A 10.0.0.1", 11, "$GENERATE range '1-3/0' has step 0")]
    [InlineData("$GENERATE 1-3/ x$ A 10.0.0.1", 11, "$GENERATE range '1-3/' is not start-stop or start-stop/step with decimal numbers")]
    [InlineData("$GENERATE 9--10 x$ A 10.0.0.1", 11, "$GENERATE range '9--10' is not start-stop or start-stop/step with decimal numbers")]
    [InlineData("$GENERATE 7 x$ A 10.0.0.1", 11, "$GENERATE range '7' is not start-stop or start-stop/step with decimal numbers")]
    [InlineData("$GENERATE 0-65536 x$ A 10.0.0.1", 11, "$GENERATE range makes 65537 records; at most 65536 per directive")]
    [InlineData("$GENERATE 1-2 x${0 A 10.0.0.1", 15, "$GENERATE owner 'x${0' has '${' without its '}'")]
    [InlineData("$GENERATE 1-2 x A 10.0.0.${1,0,dgarbage}", 19, "$GENERATE data '10.0.0.${1,0,dgarbage}': base 'dgarbage' is not one of d, o, x, X, n, N")]
    [InlineData("$GENERATE 1-2 x${1,2,d,x} A 10.0.0.1", 15, "$GENERATE owner 'x${1,2,d,x}': '${1,2,d,x}' has more than offset, width and base")]
    [InlineData("$GENERATE 1-2 x${,} A 10.0.0.1", 15, "$GENERATE owner 'x${,}': offset '' is not a whole number")]
    [InlineData("$GENERATE 1-2 x${0,-1} A 10.0.0.1", 15, "$GENERATE owner 'x${0,-1}': width '-1' is not a number from 0 to 255")]
    [InlineData("$GENERATE 1-2 x$ MX 10 mail$", 24, "unexpected text after the $GENERATE data (quote data that has spaces, as BIND needs)")]
    [InlineData("$GENERATE 1-2 x$ A", 18, "$GENERATE needs a range, an owner, a type and its data (start-stop[/step] lhs [ttl] [class] type rhs)")]
    [InlineData("$GENERATE 250-260 x$ A 10.0.0.$", 24, "$GENERATE at 256: A address '10.0.0.256' is not a dotted-quad IPv4 address")]
    [InlineData("$GENERATE 1-2 x${-5,0,x} A 10.0.0.1", 1, "$GENERATE at 1: value -4 is negative, which base x cannot write")]
    public void Malformed_or_oversized_directives_are_errors_at_the_directive(string directive, int column, string message)
    {
        var result = ZoneFileReading.ParseText("$TTL 60\n" + directive + "\nafter A 192.0.2.9\n", "g.zone", DnsName.Parse("example."));

        var error = Assert.Single(result.Errors);
        Assert.Equal((2, column, message), (error.Line, error.Column, error.Message));
        Assert.Contains(result.Records, r => r.Owner == DnsName.Parse("after.example."));
    }

    [Fact]
    public void Generated_records_are_placed_at_the_directive_and_take_ttl_and_class_in_either_order()
    {
        var text = "$TTL 60\n@ SOA ns h 1 7200 3600 1209600 3600\n$GENERATE 1-65536 h$ IN 90 A 10.0.0.1\n";

        var result = ZoneFileReading.ParseText(text, "g.zone", DnsName.Parse("example."));
        var records = result.Placed.ToList();

        Assert.Empty(result.Errors);
        Assert.Equal(65537, records.Count);
        Assert.All(records.Skip(1), r => Assert.Equal(("g.zone", 3, 1, 90u), (r.File, r.Line, r.Column, r.Record.Ttl)));
        Assert.Equal("h65536.example.", records[^1].Record.Owner.ToString());
    }
}
