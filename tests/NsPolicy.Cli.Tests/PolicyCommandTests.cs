namespace NsPolicy.Cli.Tests;

/// <summary>What every command that reads a policy does with a policy it cannot read or a format it does not know.</summary>
public sealed class PolicyCommandTests
{
    [Theory]
    [InlineData("check", "--offline")]
    [InlineData("inventory")]
    [InlineData("validate")]
    public async Task A_missing_policy_file_exits_2_naming_the_file(params string[] command)
    {
        using var dir = new TempDirectory();

        var result = await CliRunner.RunAsync(dir.Path, [.. command, "--policy", "missing.yaml"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Contains("missing.yaml: cannot read the policy file", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("inventory", "dot")]
    [InlineData("validate", "xml")]
    public async Task An_unknown_format_is_a_usage_error_with_exit_2(string command, string format)
    {
        var result = await CliRunner.RunInRepositoryAsync(command, "-p", "examples/nspolicy.yaml", "--format", format);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(format, result.Stderr, StringComparison.Ordinal);
    }
}
