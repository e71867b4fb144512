using System.Text.Json;

namespace NsPolicy.Cli.Tests;

/// <summary><c>check</c> with report formats and files, and <c>--shard</c>.</summary>
public sealed class CheckReportTests
{
    private const string Policy =
        "version: 1\n" +
        "zones:\n" +
        "  - zone: example.com\n" +
        "    nameservers: [ns1.example.com, ns2.example.net]\n" +
        "  - zone: example.org\n" +
        "    nameservers: [ns1.example.net]\n" +
        "  - zone: example.net\n" +
        "    nameservers: [ns1.example.org, ns2.example.org]\n";

    [Fact]
    public async Task Check_writes_sarif_to_a_file_and_text_to_stdout()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "nspolicy.yaml"), Policy);

        var result = await CliRunner.RunAsync(dir.Path, "check", "--offline", "--format", "sarif", "--output", "out.sarif", "--format", "text");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nspolicy.yaml:4:19: error: ", result.Stdout, StringComparison.Ordinal);
        using var sarif = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir.Path, "out.sarif")));
        var rules = sarif.RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("rules");
        Assert.Equal(["POLICY_GLUE_MISSING", "POLICY_TOO_FEW_NAMESERVERS"], rules.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Check_with_two_formats_on_stdout_is_a_usage_error()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "nspolicy.yaml"), Policy);

        var result = await CliRunner.RunAsync(dir.Path, "check", "--offline", "--format", "json", "--format", "markdown");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("only one format can go to standard output", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_shards_of_a_check_together_report_every_finding_once()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "nspolicy.yaml"), Policy);

        var whole = await FingerprintsAsync(dir.Path);
        var parts = new List<string>();
        for (var k = 1; k <= 3; k++)
        {
            parts.AddRange(await FingerprintsAsync(dir.Path, "--shard", $"{k}/3"));
        }

        Assert.NotEmpty(whole);
        Assert.Equal(whole.Order(StringComparer.Ordinal), parts.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("0/3")]
    [InlineData("4/3")]
    [InlineData("two/3")]
    public async Task A_shard_that_is_not_k_of_n_is_a_usage_error(string shard)
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "nspolicy.yaml"), Policy);

        var result = await CliRunner.RunAsync(dir.Path, "check", "--offline", "--shard", shard);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--shard '{shard}'", result.Stderr, StringComparison.Ordinal);
    }

    private static async Task<List<string>> FingerprintsAsync(string directory, params string[] extra)
    {
        var result = await CliRunner.RunAsync(directory, ["check", "--offline", "--format", "json", .. extra]);
        Assert.Contains(result.ExitCode, new[] { 0, 1 });
        using var json = JsonDocument.Parse(result.Stdout);
        return json.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("fingerprint").GetString()!).ToList();
    }
}
