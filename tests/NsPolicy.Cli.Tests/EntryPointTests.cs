namespace NsPolicy.Cli.Tests;

/// <summary>
/// The few tests that start nspolicy as a separate process, for what only the real entry point
/// shows: <c>Main</c>'s exit code, what reaches the process's stdout and stderr, and secrets masked
/// from the process's own environment. Every other CLI test runs in-process (<see cref="CliRunner"/>).
/// </summary>
public sealed class EntryPointTests
{
    [Fact]
    public async Task Version_exits_0_with_the_version_on_stdout_alone()
    {
        var result = await CliRunner.RunProcessAsync(Repository.Root, "--version");

        Assert.Equal((0, string.Empty), (result.ExitCode, result.Stderr));
        Assert.Matches(@"^\d+\.\d+\.\d+\s*$", result.Stdout);
    }

    [Fact]
    public async Task Findings_go_to_stdout_and_exit_1_with_nothing_on_stderr()
    {
        var result = await CliRunner.RunProcessAsync(Repository.Root, "validate", "-p", "tests/NsPolicy.Core.Tests/testdata/policy/glue-missing.yaml");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("tests/NsPolicy.Core.Tests/testdata/policy/glue-missing.yaml:4:36: error: ", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Fact]
    public async Task A_usage_error_exits_2_with_the_message_on_stderr_and_nothing_on_stdout()
    {
        var result = await CliRunner.RunProcessAsync(Repository.Root, "validate", "--fail-on", "sometimes");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Contains("sometimes", result.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("Run 'nspolicy validate --help' for usage.\n", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_in_the_process_environment_is_masked_on_stdout()
    {
        using var dir = new TempDirectory();
        const string Secret = "Hunter2-Entry-Point-Secret";
        // The zone's name, with the secret in it, is in the finding's message.
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "nspolicy.yaml"), $"version: 1\nzones:\n  - zone: \"{Secret}.example\"\n    nameservers: [ns1.example.net]\n");

        var result = await CliRunner.RunProcessAsync(dir.Path, new Dictionary<string, string> { ["DEPLOY_TOKEN"] = Secret }, "validate");

        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain(Secret, result.Stdout + result.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("***", result.Stdout, StringComparison.Ordinal);
    }
}
