using System.Text.Json;

namespace NsPolicy.Cli.Tests;

/// <summary>The examples: the bundled policy checks clean offline; the broken one reports each problem at its line.</summary>
public sealed class BrokenExampleTests
{
    [Fact]
    public async Task The_broken_example_reports_every_expected_code_at_its_line_and_nothing_else()
    {
        var result = await CliRunner.RunInRepositoryAsync("check", "--offline", "--policy", "examples/broken/nspolicy.yaml", "--format", "json");

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var found = json.RootElement.GetProperty("findings").EnumerateArray()
            .Select(f => $"{f.GetProperty("location").GetProperty("file").GetString()}:{f.GetProperty("location").GetProperty("line").GetInt32()} {f.GetProperty("code").GetString()}")
            .Order(StringComparer.Ordinal)
            .ToList();
        string[] expected =
        [
            "examples/broken/nspolicy.yaml:13 ZONE_NS_NOT_IN_FILE",
            "examples/broken/nspolicy.yaml:19 ZONE_DS_NO_MATCHING_DNSKEY",
            "examples/broken/nspolicy.yaml:28 ZONE_DNSKEY_MISSING",
            "examples/broken/zones/example.net.zone:6 ZONE_NS_TARGET_CNAME",
            "examples/broken/zones/example.net.zone:9 ZONE_SOA_MULTIPLE",
            "examples/broken/zones/example.org.zone:10 ZONE_CNAME_AND_OTHER_DATA",
            "examples/broken/zones/example.org.zone:13 ZONE_DELEGATION_GLUE_MISSING",
            "examples/broken/zones/example.org.zone:16 ZONE_OCCLUDED_DATA",
            "examples/broken/zones/example.org.zone:17 ZONE_OUT_OF_ZONE",
            "examples/broken/zones/example.org.zone:18 ZONE_SYNTAX",
            "examples/broken/zones/example.org.zone:5 ZONE_NS_TTL_OUT_OF_RANGE",
            "examples/broken/zones/example.org.zone:6 ZONE_NS_NOT_IN_POLICY",
            "examples/broken/zones/example.org.zone:9 ZONE_GLUE_MISMATCH",
        ];
        Assert.Equal(expected, found);
    }

    [Fact]
    public async Task The_bundled_example_checks_clean_offline_but_for_its_acknowledged_finding()
    {
        var result = await CliRunner.RunInRepositoryAsync("check", "--offline", "--policy", "examples/nspolicy.yaml", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var finding = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal("POLICY_DS_DIGEST_TYPE_DEPRECATED", finding.GetProperty("code").GetString());
        Assert.NotEqual(JsonValueKind.Null, finding.GetProperty("acknowledged").ValueKind);
    }

    [Fact]
    public async Task Each_example_zone_file_passes_check_zone()
    {
        foreach (var (file, origin) in new[] { ("examples/zones/example.com.zone", "example.com"), ("examples/zones/example.net.zone", "example.net") })
        {
            var result = await CliRunner.RunInRepositoryAsync("check-zone", file, "--origin", origin, "--fail-on", "notice");

            Assert.Equal(0, result.ExitCode);
        }
    }
}
