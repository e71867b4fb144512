using System.Text.Json;

namespace NsPolicy.Cli.Tests;

public sealed class CheckCommandTests
{
    private const string TwoZones =
        "version: 1\n" +
        "zones:\n" +
        "  - zone: example.com\n" +
        "    nameservers: [ns1.example.net]\n" +
        "  - zone: example.org\n" +
        "    nameservers: [ns1.example.net]\n";

    [Fact]
    public async Task Offline_check_of_the_bundled_example_exits_0_with_only_the_acknowledged_finding()
    {
        var result = await CliRunner.RunInRepositoryAsync("check", "--offline", "--policy", "examples/nspolicy.yaml");

        Assert.Equal(string.Empty, result.Stderr);
        Assert.Equal(0, result.ExitCode);
        Assert.EndsWith("0 errors, 0 warnings, 0 notices, 1 acknowledged\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offline_check_reports_policy_findings_and_exits_1()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "nspolicy.yaml"), TwoZones);

        var result = await CliRunner.RunAsync(dir.Path, "check", "--offline");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            "zone example.com.:\n" +
            "nspolicy.yaml:3:11: error: zone example.com. lists 1 distinct nameserver(s); at least 2 are needed [POLICY_TOO_FEW_NAMESERVERS]\n" +
            "zone example.org.:\n" +
            "nspolicy.yaml:5:11: error: zone example.org. lists 1 distinct nameserver(s); at least 2 are needed [POLICY_TOO_FEW_NAMESERVERS]\n" +
            "2 errors, 0 warnings, 0 notices\n",
            result.Stdout);
    }

    [Fact]
    public async Task Zone_option_limits_the_findings_to_that_zone()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "nspolicy.yaml"), TwoZones);

        var result = await CliRunner.RunAsync(dir.Path, "check", "--offline", "--zone", "EXAMPLE.org", "--format", "json");

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var zones = json.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("zone").GetString()).ToList();
        Assert.Equal(["example.org."], zones);
    }

    [Fact]
    public async Task A_zone_the_policy_does_not_list_is_a_usage_error()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "nspolicy.yaml"), TwoZones);

        var result = await CliRunner.RunAsync(dir.Path, "check", "--offline", "--zone", "example.net");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Contains("nspolicy.yaml: the policy has no zone example.net.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_offline_and_without_a_live_stage_check_exits_2_saying_why()
    {
        var result = await CliRunner.RunInRepositoryAsync("check", "--policy", "examples/nspolicy.yaml");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("live checks are not available", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--offline", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_policy_file_exits_2_naming_the_file()
    {
        using var dir = new TempDirectory();

        var result = await CliRunner.RunAsync(dir.Path, "check", "--offline", "--policy", "missing.yaml");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("missing.yaml: cannot read the policy file", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_zone_name_is_a_usage_error()
    {
        var result = await CliRunner.RunInRepositoryAsync("check", "--offline", "--zone", "a..b", "--policy", "examples/nspolicy.yaml");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--zone a..b", result.Stderr, StringComparison.Ordinal);
    }
}
