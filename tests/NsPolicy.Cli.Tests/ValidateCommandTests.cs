using System.Text.Json;

namespace NsPolicy.Cli.Tests;

public sealed class ValidateCommandTests
{
    [Fact]
    public async Task Validating_the_bundled_example_exits_0_with_the_acknowledged_finding()
    {
        var result = await CliRunner.RunInRepositoryAsync("validate", "--policy", "examples/nspolicy.yaml");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        Assert.Equal(
            "examples/nspolicy.yaml:32:9: warning: DS 27020 of zone example.com. uses deprecated digest type 1 (SHA-1) (acknowledged until 2099-01-31: the registrar still wants a SHA-1 DS beside the SHA-256 one) [POLICY_DS_DIGEST_TYPE_DEPRECATED]\n" +
            "0 errors, 0 warnings, 0 notices, 1 acknowledged\n",
            result.Stdout);
    }

    [Fact]
    public async Task A_broken_policy_exits_1_with_the_code_at_its_line_and_column()
    {
        var result = await CliRunner.RunInRepositoryAsync("validate", "-p", "tests/NsPolicy.Core.Tests/testdata/policy/glue-missing.yaml");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("tests/NsPolicy.Core.Tests/testdata/policy/glue-missing.yaml:4:36: error: nameserver ns2.example.com. is inside zone example.com. but has no glue addresses in the policy [POLICY_GLUE_MISSING]\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_policy_option_it_reads_nspolicy_yaml_in_the_current_directory()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "nspolicy.yaml"), "version: 1\nzones:\n  - zone: example.com\n    nameservers: [ns1.example.com, ns2.example.net]\n");

        var result = await CliRunner.RunAsync(dir.Path, "validate");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nspolicy.yaml:4:19: error: nameserver ns1.example.com. is inside zone example.com. but has no glue addresses in the policy [POLICY_GLUE_MISSING]", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_option_is_a_usage_error_with_exit_2()
    {
        var result = await CliRunner.RunInRepositoryAsync("validate", "--polcy", "examples/nspolicy.yaml");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--polcy", result.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("\nRun 'nspolicy validate --help' for usage.\n", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_format_reports_findings_with_location_and_summary()
    {
        var result = await CliRunner.RunInRepositoryAsync("validate", "--format", "json", "-p", "tests/NsPolicy.Core.Tests/testdata/policy/ds-digest-length.yaml");

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        var findings = root.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Equal("POLICY_DS_DIGEST_LENGTH", f.GetProperty("code").GetString()));
        Assert.Equal("example.com.", findings[0].GetProperty("zone").GetString());
        Assert.Equal(6, findings[0].GetProperty("location").GetProperty("line").GetInt32());
        Assert.Equal(9, findings[0].GetProperty("location").GetProperty("column").GetInt32());
        Assert.Equal("64", findings[0].GetProperty("expected").GetString());
        Assert.Equal("62", findings[0].GetProperty("found").GetString());
        Assert.Equal(2, root.GetProperty("summary").GetProperty("errors").GetInt32());
    }

    [Theory]
    [InlineData("error", 0)]
    [InlineData("warning", 1)]
    [InlineData("none", 0)]
    public async Task Fail_on_sets_the_threshold_for_exit_1(string failOn, int exitCode)
    {
        var result = await CliRunner.RunInRepositoryAsync("validate", "--fail-on", failOn, "-p", "tests/NsPolicy.Core.Tests/testdata/policy/set-unused.yaml");

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains("[POLICY_NAMESERVER_SET_UNUSED]", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fail_on_none_still_exits_1_never_but_reports_errors()
    {
        var result = await CliRunner.RunInRepositoryAsync("validate", "--fail-on", "none", "-p", "tests/NsPolicy.Core.Tests/testdata/policy/zone-duplicate.yaml");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("[POLICY_ZONE_DUPLICATE]", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbose_logs_to_stderr_and_keeps_stdout_for_results()
    {
        var result = await CliRunner.RunInRepositoryAsync("validate", "-v", "-p", "examples/nspolicy.yaml");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("nspolicy: debug: validating examples/nspolicy.yaml", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("debug", result.Stdout, StringComparison.Ordinal);
    }
}
