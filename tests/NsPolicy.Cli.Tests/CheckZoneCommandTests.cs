using System.Text.Json;

namespace NsPolicy.Cli.Tests;

public sealed class CheckZoneCommandTests
{
    private const string Zones = "tests/NsPolicy.Core.Tests/testdata/zone";

    [Fact]
    public async Task A_sound_zone_file_exits_0()
    {
        var result = await CliRunner.RunInRepositoryAsync("check-zone", "examples/zones/example.com.zone", "--origin", "example.com");

        Assert.Equal(string.Empty, result.Stderr);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("0 errors, 0 warnings, 0 notices\n", result.Stdout);
    }

    [Theory]
    [InlineData("$ORIGIN example.com.\n$TTL 60\n@ SOA ns1 h 1 7200 3600 1209600 3600\n@ NS ns1.example.net.\n@ NS ns2.example.net.\n")]
    [InlineData("; no $ORIGIN, an absolute SOA owner\n$TTL 60\nexample.com. SOA ns1 h 1 7200 3600 1209600 3600\n NS ns1.example.net.\n NS ns2.example.net.\n")]
    public async Task Without_origin_the_file_names_its_zone_by_origin_or_soa_owner(string text)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "z.zone"), text);

        var result = await CliRunner.RunAsync(dir.Path, "check-zone", "z.zone", "--format", "json");

        Assert.Equal((string.Empty, 0), (result.Stderr, result.ExitCode));
        Assert.Contains("\"findings\": []", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_origin_a_file_that_states_none_is_a_usage_error()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "z.zone"), "$TTL 60\n@ SOA ns1 h 1 7200 3600 1209600 3600\n");

        var result = await CliRunner.RunAsync(dir.Path, "check-zone", "z.zone");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("nspolicy: z.zone: the file states no origin (no $ORIGIN, and no SOA owner written as an absolute name before the first records); give --origin NAME\n", result.Stderr);
    }

    [Fact]
    public async Task Findings_name_the_zone_file_line_and_fail_on_sets_the_exit_code()
    {
        var file = $"{Zones}/occluded-data.zone";

        var lenient = await CliRunner.RunInRepositoryAsync("check-zone", file, "--origin", "example.com.");
        var strict = await CliRunner.RunInRepositoryAsync("check-zone", file, "--origin", "example.com.", "--fail-on", "warning");

        Assert.Equal(0, lenient.ExitCode);
        Assert.Contains($"{file}:10:1: warning: ns.sub.example.com. TXT is below the delegation point sub.example.com.", lenient.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("0 errors, 4 warnings, 0 notices\n", lenient.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, strict.ExitCode);
    }

    [Fact]
    public async Task Syntax_errors_exit_1_and_json_carries_their_positions()
    {
        var file = $"{Zones}/syntax-errors.zone";

        var result = await CliRunner.RunInRepositoryAsync("check-zone", file, "--origin", "example.com", "--format", "json");

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var first = json.RootElement.GetProperty("findings")[0];
        Assert.Equal("ZONE_SYNTAX", first.GetProperty("code").GetString());
        Assert.Equal(file, first.GetProperty("location").GetProperty("file").GetString());
        Assert.Equal(8, first.GetProperty("location").GetProperty("line").GetInt32());
        Assert.Equal(15, first.GetProperty("location").GetProperty("column").GetInt32());
    }

    [Fact]
    public async Task The_origin_decides_what_is_out_of_zone()
    {
        var result = await CliRunner.RunInRepositoryAsync("check-zone", "examples/zones/example.com.zone", "--origin", "example.org");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("[ZONE_SOA_MISSING]", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("examples/zones/example.com.zone:3:1: error: example.com. SOA is outside zone example.org. and will not be served [ZONE_OUT_OF_ZONE]", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_exits_2_naming_it()
    {
        using var dir = new TempDirectory();

        var result = await CliRunner.RunAsync(dir.Path, "check-zone", "nothere.zone", "--origin", "example.com");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Contains("nothere.zone: cannot read the zone file", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("check-zone", "tests/NsPolicy.Dns.Tests/testdata/zonefile/include-guards.zone")]
    [InlineData("check-zone", "examples/zones/example.com.zone", "--origin", "a..b")]
    public async Task A_missing_or_invalid_origin_is_a_usage_error(params string[] args)
    {
        var result = await CliRunner.RunInRepositoryAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--origin", result.Stderr, StringComparison.Ordinal);
    }
}
