namespace NsPolicy.Cli.Tests;

public sealed class CommandTests
{
    [Theory]
    [InlineData]
    [InlineData("validate")]
    [InlineData("check")]
    [InlineData("check-zone")]
    [InlineData("diff")]
    [InlineData("schema")]
    [InlineData("rules")]
    [InlineData("explain")]
    public async Task Every_command_has_help(params string[] command)
    {
        var result = await CliRunner.RunInRepositoryAsync([.. command, "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("nspolicy", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_prints_the_version()
    {
        var result = await CliRunner.RunInRepositoryAsync("--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+\s*$", result.Stdout);
    }

    [Fact]
    public async Task Schema_prints_the_schema_file()
    {
        var result = await CliRunner.RunInRepositoryAsync("schema");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(File.ReadAllText(Repository.PathOf("schemas", "nspolicy.schema.json")), result.Stdout);
    }

    [Fact]
    public async Task Rules_lists_codes_with_default_severity()
    {
        var result = await CliRunner.RunInRepositoryAsync("rules");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"(?m)^POLICY_GLUE_MISSING\s+error\s+An in-bailiwick nameserver has no glue$", result.Stdout);
    }

    [Fact]
    public async Task Explain_prints_why_a_code_matters()
    {
        var result = await CliRunner.RunInRepositoryAsync("explain", "policy_glue_missing");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("POLICY_GLUE_MISSING (error): An in-bailiwick nameserver has no glue\n\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("RFC 9471", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_of_an_unknown_code_exits_2()
    {
        var result = await CliRunner.RunInRepositoryAsync("explain", "NOT_A_CODE");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown code 'NOT_A_CODE'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_command_prints_usage_and_exits_2()
    {
        var result = await CliRunner.RunInRepositoryAsync();

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Required command was not provided", result.Stderr, StringComparison.Ordinal);
    }
}
