using System.Text.Json;

namespace NsPolicy.Cli.Tests.Live;

/// <summary>The live options of `nspolicy check`: replaying saved evidence and the usage errors.</summary>
public sealed class CheckLiveOptionsTests
{
    private const string Cases = "tests/NsPolicy.Core.Tests/testdata/live";

    [Fact]
    public async Task Evidence_replay_reports_the_recorded_fault_without_the_network()
    {
        var result = await CliRunner.RunInRepositoryAsync(
            "check", "--policy", $"{Cases}/lab-glue-stale.yaml", "--evidence", $"{Cases}/lab-glue-stale.evidence.json", "--format", "json");

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var codes = json.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()).ToList();
        Assert.Equal(["CHILD_ADDRESS_MISMATCH"], codes);
    }

    [Fact]
    public async Task Evidence_replay_of_a_healthy_zone_exits_0()
    {
        var result = await CliRunner.RunInRepositoryAsync(
            "check", "--policy", $"{Cases}/healthy-good.yaml", "--evidence", $"{Cases}/healthy-good.evidence.json");

        Assert.Equal(string.Empty, result.Stderr);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("0 errors, 0 warnings, 0 notices\n", result.Stdout);
    }

    [Fact]
    public async Task Saved_evidence_replays_to_the_same_report()
    {
        using var dir = new TempDirectory();
        var saved = Path.Combine(dir.Path, "again.json");
        var first = await CliRunner.RunInRepositoryAsync(
            "check", "--policy", $"{Cases}/lab-dangling.yaml", "--evidence", $"{Cases}/lab-dangling.evidence.json", "--save-evidence", saved);
        var second = await CliRunner.RunInRepositoryAsync("check", "--policy", $"{Cases}/lab-dangling.yaml", "--evidence", saved);

        Assert.Equal(1, first.ExitCode);
        Assert.Equal(first.Stdout, second.Stdout);
        Assert.Equal(File.ReadAllText(Repository.PathOf(Cases, "lab-dangling.evidence.json")), File.ReadAllText(saved));
    }

    [Fact]
    public async Task A_broken_evidence_file_exits_2_naming_file_line_and_column()
    {
        using var dir = new TempDirectory();
        var broken = Path.Combine(dir.Path, "broken.json");
        File.WriteAllText(broken, "{\n  \"formatVersion\": 1,\n  \"target\": \"parent\",\n  \"collectedAt\": \"2026-01-01T00:00:00+00:00\",\n  \"zones\": [ { \"zone\": \"a..b\" } ]\n}\n");

        var result = await CliRunner.RunInRepositoryAsync("check", "--policy", $"{Cases}/healthy-good.yaml", "--evidence", broken);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("broken.json:5:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("not a domain name", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evidence_without_the_policy_zone_exits_2_naming_the_zone()
    {
        var result = await CliRunner.RunInRepositoryAsync(
            "check", "--policy", $"{Cases}/healthy-good.yaml", "--evidence", $"{Cases}/lab-lame.evidence.json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nothing about zone good.test.", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--timeout", "2 seconds", "--timeout 2 seconds: expected a duration")]
    [InlineData("--resolver", "resolver.example", "--resolver resolver.example: not an IP address")]
    [InlineData("--concurrency", "0", "--concurrency 0: must be at least 1")]
    [InlineData("--signature-window", "soon", "--signature-window soon: expected a duration")]
    public async Task Bad_live_option_values_are_usage_errors(string option, string value, string message)
    {
        var result = await CliRunner.RunInRepositoryAsync("check", "--policy", $"{Cases}/healthy-good.yaml", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evidence_with_offline_is_a_usage_error()
    {
        var result = await CliRunner.RunInRepositoryAsync(
            "check", "--offline", "--policy", $"{Cases}/healthy-good.yaml", "--evidence", $"{Cases}/healthy-good.evidence.json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cannot be combined with --offline", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreadable_root_hints_exit_2_naming_the_file()
    {
        var result = await CliRunner.RunInRepositoryAsync("check", "--policy", $"{Cases}/healthy-good.yaml", "--root-hints", "no-such.hints");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no-such.hints: cannot read the root hints", result.Stderr, StringComparison.Ordinal);
    }
}
