using System.Text.Json;

namespace NsPolicy.Cli.Tests;

/// <summary>--format/--output pairs, atomic report files, and the GitHub Actions files, end to end.</summary>
public sealed class ReportOutputTests
{
    private const string Broken = "tests/NsPolicy.Core.Tests/testdata/policy/glue-missing.yaml";

    [Fact]
    public async Task Sarif_goes_to_its_file_and_text_to_stdout()
    {
        using var dir = new TempDirectory();
        var sarif = Path.Combine(dir.Path, "nspolicy.sarif");

        var result = await CliRunner.RunInRepositoryAsync("validate", "-p", Broken, "--format", "sarif", "--output", sarif, "--format", "text");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"{Broken}:4:36: error: ", result.Stdout, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(sarif));
        Assert.Equal("2.1.0", json.RootElement.GetProperty("version").GetString());
        var result0 = json.RootElement.GetProperty("runs")[0].GetProperty("results")[0];
        Assert.Equal("POLICY_GLUE_MISSING", result0.GetProperty("ruleId").GetString());
        Assert.Equal(Broken, result0.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
    }

    [Fact]
    public async Task Every_format_can_be_written_in_one_run_with_nothing_on_stdout()
    {
        using var dir = new TempDirectory();
        var args = new List<string> { "validate", "-p", Broken };
        foreach (var format in new[] { "text", "json", "sarif", "github", "markdown" })
        {
            args.AddRange(["--format", format, "--output", Path.Combine(dir.Path, "report." + format)]);
        }

        var result = await CliRunner.RunInRepositoryAsync([.. args]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Equal(string.Empty, result.Stderr);
        Assert.Contains("[POLICY_GLUE_MISSING]", await File.ReadAllTextAsync(Path.Combine(dir.Path, "report.text")), StringComparison.Ordinal);
        Assert.Contains("\"fingerprint\"", await File.ReadAllTextAsync(Path.Combine(dir.Path, "report.json")), StringComparison.Ordinal);
        Assert.StartsWith("::error file=", await File.ReadAllTextAsync(Path.Combine(dir.Path, "report.github")), StringComparison.Ordinal);
        Assert.Contains("```mermaid", await File.ReadAllTextAsync(Path.Combine(dir.Path, "report.markdown")), StringComparison.Ordinal);
        Assert.Equal(5, Directory.GetFiles(dir.Path).Length);
    }

    [Fact]
    public async Task Format_with_an_equals_sign_and_output_dash_write_to_stdout()
    {
        var result = await CliRunner.RunInRepositoryAsync("validate", "-p", Broken, "--format=json", "-o", "-");

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("POLICY_GLUE_MISSING", json.RootElement.GetProperty("findings")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Output_without_any_format_writes_text_to_the_file()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "report.txt");

        var result = await CliRunner.RunInRepositoryAsync("validate", "-p", Broken, "--output", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.StartsWith($"{Broken}:4:36: error: ", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("only one format can go to standard output", "--format", "sarif", "--format", "json")]
    [InlineData("must follow the --format it is for", "--output", "a.txt", "--format", "json")]
    [InlineData("has two --output files", "--format", "json", "--output", "a.json", "--output", "b.json")]
    [InlineData("two formats would write the same file", "--format", "json", "--output", "a.out", "--format", "sarif", "--output", "a.out")]
    public async Task Pairs_that_make_no_sense_are_usage_errors(string message, params string[] options)
    {
        using var dir = new TempDirectory();

        var result = await CliRunner.RunAsync(dir.Path, ["validate", "-p", Repository.PathOf(Broken), .. options]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("\nRun 'nspolicy validate --help' for usage.\n", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task A_report_into_a_missing_directory_exits_2_naming_the_file()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "missing", "report.sarif");

        var result = await CliRunner.RunInRepositoryAsync("validate", "-p", Broken, "--format", "sarif", "--output", file);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{file}: cannot write: the directory", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "missing")));
    }

    [Fact]
    public async Task A_report_replaces_an_older_one_whole_and_leaves_no_temporary_file()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "report.json");
        await File.WriteAllTextAsync(file, new string('x', 100_000));

        var result = await CliRunner.RunInRepositoryAsync("validate", "-p", Broken, "--format", "json", "--output", file);

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        Assert.Equal(1, json.RootElement.GetProperty("summary").GetProperty("errors").GetInt32());
        Assert.Equal([file], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task A_report_onto_a_directory_fails_and_keeps_the_directory()
    {
        using var dir = new TempDirectory();
        var target = Directory.CreateDirectory(Path.Combine(dir.Path, "report.json")).FullName;

        var result = await CliRunner.RunInRepositoryAsync("validate", "-p", Broken, "--format", "json", "--output", target);

        Assert.Equal(2, result.ExitCode);
        Assert.True(Directory.Exists(target));
        Assert.Equal([target], Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task Under_actions_the_github_format_appends_the_job_summary_and_sets_step_outputs()
    {
        using var dir = new TempDirectory();
        var summary = Path.Combine(dir.Path, "summary.md");
        var outputs = Path.Combine(dir.Path, "output.txt");
        await File.WriteAllTextAsync(summary, "earlier step\n");
        await File.WriteAllTextAsync(outputs, "earlier=1\n");
        var sarif = Path.Combine(dir.Path, "nspolicy.sarif");
        var env = new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_STEP_SUMMARY"] = summary,
            ["GITHUB_OUTPUT"] = outputs,
            ["GITHUB_WORKSPACE"] = Path.GetDirectoryName(Repository.Root)!,
        };

        var result = await CliRunner.RunAsync(Repository.Root, env, "validate", "-p", Broken, "--format", "github", "--format", "sarif", "--output", sarif);

        Assert.Equal(1, result.ExitCode);
        var repo = Path.GetFileName(Repository.Root);
        Assert.StartsWith($"::error file={repo}/{Broken},line=4,col=36,title=POLICY_GLUE_MISSING%3A ", result.Stdout, StringComparison.Ordinal);
        var summaryText = await File.ReadAllTextAsync(summary);
        Assert.StartsWith("earlier step\n## nspolicy report\n", summaryText, StringComparison.Ordinal);
        Assert.Contains("| **error** | `POLICY_GLUE_MISSING` |", summaryText, StringComparison.Ordinal);
        var lines = (await File.ReadAllTextAsync(outputs)).Split('\n');
        Assert.Equal("earlier=1", lines[0]);
        Assert.Contains("errors=1", lines);
        Assert.Contains("warnings=0", lines);
        Assert.Contains("notices=0", lines);
        Assert.Contains("acknowledged=0", lines);
        var start = Array.FindIndex(lines, l => l.StartsWith("sarif-report<<", StringComparison.Ordinal));
        Assert.True(start > 0);
        Assert.Equal(sarif, lines[start + 1]);
        Assert.Equal(lines[start]["sarif-report<<".Length..], lines[start + 2]);
    }

    [Fact]
    public async Task Annotations_and_sarif_name_a_file_in_the_message_as_in_file_from_the_repository_root()
    {
        using var repo = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(repo.Path, ".git"));
        var dns = Path.Combine(repo.Path, "dns");
        Directory.CreateDirectory(Path.Combine(dns, "zones"));
        var policy = (await File.ReadAllTextAsync(Repository.PathOf("examples", "nspolicy.yaml")))
            .Replace("provider-a: [ns1.provider-a.net, ns2.provider-a.net]", "provider-a: [ns1.provider-a.net, ns2.provider-a.net, ns3.provider-a.net]", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(dns, "nspolicy.yaml"), policy);
        foreach (var zone in Directory.GetFiles(Repository.PathOf("examples", "zones")))
        {
            File.Copy(zone, Path.Combine(dns, "zones", Path.GetFileName(zone)));
        }

        var sarif = Path.Combine(repo.Path, "report.sarif");
        var result = await CliRunner.RunAsync(dns, "check", "--offline", "--format", "github", "--format", "sarif", "--output", sarif);

        Assert.Equal(1, result.ExitCode);
        var annotation = Assert.Single(result.Stdout.Split('\n'), l => l.Contains("ZONE_NS_NOT_IN_FILE", StringComparison.Ordinal) && l.Contains("example.net.", StringComparison.Ordinal));
        Assert.StartsWith("::error file=dns/nspolicy.yaml,", annotation, StringComparison.Ordinal);
        Assert.Contains("is not in the apex NS records of dns/zones/example.net.zone (", annotation, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(sarif));
        var messages = json.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
            .Select(r => r.GetProperty("message").GetProperty("text").GetString()!).ToList();
        Assert.Contains(messages, m => m.Contains("apex NS records of dns/zones/example.net.zone (", StringComparison.Ordinal));

        var text = await CliRunner.RunAsync(dns, "check", "--offline");
        Assert.Contains("nspolicy.yaml:45:19: error: nameserver ns3.provider-a.net. of zone example.net. is not in the apex NS records of zones/example.net.zone (", text.Stdout, StringComparison.Ordinal);
    }
}
