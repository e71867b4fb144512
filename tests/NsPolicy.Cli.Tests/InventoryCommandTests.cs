namespace NsPolicy.Cli.Tests;

public sealed class InventoryCommandTests
{
    private const string Folder = "tests/NsPolicy.Core.Tests/testdata/inventory";

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    [InlineData("mermaid")]
    public async Task Prints_the_inventory_of_a_policy_in_each_format_as_the_golden_file_says(string format)
    {
        var result = await CliRunner.RunInRepositoryAsync("inventory", "--policy", $"{Folder}/shared-providers.yaml", "--format", format);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        Assert.Equal(File.ReadAllText(Repository.PathOf(Folder, $"shared-providers.{format}.out")), result.Stdout);
    }

    [Fact]
    public async Task Lists_the_bundled_example_without_network_and_names_its_single_provider_zones()
    {
        var result = await CliRunner.RunInRepositoryAsync("inventory", "-p", "examples/nspolicy.yaml");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("3 zones, 4 nameserver hosts, 2 providers\n", result.Stdout, StringComparison.Ordinal);
        Assert.EndsWith(
            "Zones that depend on a single provider: 2\n" +
            "  xn--bcher-kva.example. (bücher.example.): example.com. (domain)\n" +
            "  example.net.: $provider-a (set)\n",
            result.Stdout,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_policy_with_errors_is_listed_as_far_as_it_reads_with_a_warning()
    {
        var result = await CliRunner.RunInRepositoryAsync("inventory", "--policy", $"{Folder}/unusual-names.yaml");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(File.ReadAllText(Repository.PathOf(Folder, "unusual-names.text.out")), result.Stdout);
        Assert.Contains($"warning: {Folder}/unusual-names.yaml has 2 error(s)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_policy_that_does_not_load_exits_2_with_the_error_at_its_line_and_column()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "nspolicy.yaml"), "version: 1\nzones:\n  - zone: [example.com\n");

        var result = await CliRunner.RunAsync(dir.Path, "inventory");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Matches(@"nspolicy\.yaml:\d+:\d+: error: .*\[POLICY_YAML_SYNTAX\]", result.Stderr);
        Assert.Contains("nspolicy: nspolicy.yaml cannot be loaded, so there is no inventory", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_states_the_provider_rule_and_the_formats()
    {
        var result = await CliRunner.RunInRepositoryAsync("inventory", "--help");

        Assert.Equal(0, result.ExitCode);
        var help = string.Join(' ', result.Stdout.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("A host listed in a nameserver set belongs to that set", help, StringComparison.Ordinal);
        Assert.Contains("No public-suffix list is used", help, StringComparison.Ordinal);
        Assert.Contains("<json|mermaid|text>", help, StringComparison.Ordinal);
    }
}
