using System.Text.Json;

namespace NsPolicy.Cli.Tests.Action;

/// <summary>
/// Runs action.yml's steps as a runner would (see <see cref="ActionRunner"/>) in a temporary
/// workspace, for a pull_request and a schedule event. The setup-dotnet and cache steps are
/// <c>uses:</c> steps that need the network, so they are not run: the test puts the nspolicy
/// these tests were built with where the cache would restore it and reports a cache hit, which
/// also skips the build step. The step that hashes the action's source runs for real.
/// </summary>
public sealed class ActionTests : IDisposable
{
    private readonly TempDirectory temp = new();

    private string Workspace => Path.Combine(temp.Path, "workspace");

    private string RunnerTemp => Path.Combine(temp.Path, "runner-temp");

    public void Dispose() => temp.Dispose();

    private ActionRunner Runner(string eventName, object payload)
    {
        Directory.CreateDirectory(Workspace);
        Directory.CreateDirectory(RunnerTemp);
        var bin = Path.Combine(RunnerTemp, "nspolicy", "bin");
        if (!Directory.Exists(bin))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(bin)!);
            Directory.CreateSymbolicLink(bin, AppContext.BaseDirectory);
        }

        var eventPath = Path.Combine(RunnerTemp, "event.json");
        File.WriteAllText(eventPath, JsonSerializer.Serialize(payload));
        var runner = new ActionRunner(Repository.PathOf("action.yml"))
        {
            Workspace = Workspace,
            RunnerTemp = RunnerTemp,
            EventName = eventName,
            EventPath = eventPath,
        };
        runner.UsesOutputs["cache"] = new() { ["cache-hit"] = "true" };
        return runner;
    }

    private void Policy(string relative, string source)
    {
        var target = Path.Combine(Workspace, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(Repository.PathOf(source), target);
    }

    private static readonly object PullRequest = new
    {
        action = "synchronize",
        number = 42,
        pull_request = new { number = 42, head = new { sha = "0123456789abcdef0123456789abcdef01234567" } },
        repository = new { full_name = "example/dns" },
    };

    private static readonly object Schedule = new { schedule = "17 5 * * *", repository = new { full_name = "example/dns" } };

    [Fact]
    public async Task On_a_pull_request_it_annotates_writes_sarif_and_markdown_sets_outputs_and_fails_on_errors()
    {
        Policy("dns/nspolicy.yaml", "tests/NsPolicy.Core.Tests/testdata/policy/glue-missing.yaml");
        var runner = Runner("pull_request", PullRequest);

        var run = await runner.RunAsync(new Dictionary<string, string>
        {
            ["offline"] = "true",
            ["working-directory"] = "dns",
            ["format"] = "github sarif markdown",
            ["output"] = "- nspolicy.sarif report.md",
        });

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["Name the build for this runner", "Run nspolicy"], run.Ran);
        Assert.Contains("Build nspolicy from the action's source (cache miss only)", run.Skipped);
        Assert.Matches("^nspolicy-linux-(x64|arm64)-[0-9a-f]{32}$", run.StepOutputs["source"]["key"]);
        Assert.Contains("::error file=dns/nspolicy.yaml,line=4,col=36,title=POLICY_GLUE_MISSING%3A ", run.Stdout, StringComparison.Ordinal);
        Assert.Equal("1", run.Outputs["errors"]);
        Assert.Equal("0", run.Outputs["warnings"]);
        Assert.Equal("0", run.Outputs["notices"]);
        Assert.Equal("0", run.Outputs["acknowledged"]);
        Assert.Equal("1", run.Outputs["exit-code"]);
        Assert.Equal(Path.Combine(Workspace, "dns", "nspolicy.sarif"), run.Outputs["sarif-report"]);
        Assert.Equal(Path.Combine(Workspace, "dns", "report.md"), run.Outputs["markdown-report"]);
        Assert.Equal(string.Empty, run.Outputs["json-report"]);
        using var sarif = JsonDocument.Parse(await File.ReadAllTextAsync(run.Outputs["sarif-report"]));
        Assert.Equal("dns/nspolicy.yaml", sarif.RootElement.GetProperty("runs")[0].GetProperty("results")[0]
            .GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.StartsWith("## nspolicy report\n\n**1 error, 0 warnings, 0 notices** in `nspolicy.yaml`", run.Summary, StringComparison.Ordinal);
        Assert.Contains("```mermaid", run.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("test-token-never-printed", run.Stdout + run.Stderr + run.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_format_text_in_another_working_directory_the_problem_matcher_finds_every_file_from_the_workspace()
    {
        Policy("dns/nspolicy.yaml", "tests/NsPolicy.Core.Tests/testdata/policy/glue-missing.yaml");
        var runner = Runner("pull_request", PullRequest);

        var run = await runner.RunAsync(new Dictionary<string, string>
        {
            ["command"] = "validate",
            ["working-directory"] = "dns",
            ["format"] = "text",
        });

        Assert.Equal(1, run.ExitCode);
        var lines = run.Stdout.Split('\n');
        var added = Assert.Single(lines, l => l.StartsWith("::add-matcher::", StringComparison.Ordinal));
        Assert.Contains("::remove-matcher owner=nspolicy::", lines);
        using var matcher = JsonDocument.Parse(await File.ReadAllTextAsync(added["::add-matcher::".Length..]));
        var pattern = matcher.RootElement.GetProperty("problemMatcher")[0].GetProperty("pattern")[0];
        var regex = new System.Text.RegularExpressions.Regex(pattern.GetProperty("regexp").GetString()!);
        var matches = lines.Select(l => regex.Match(l)).Where(m => m.Success).ToList();
        Assert.NotEmpty(matches);
        foreach (var match in matches)
        {
            // The runner roots a relative file at the workspace, not at the step's working directory,
            // and drops the annotation when no such file is there.
            var file = match.Groups[pattern.GetProperty("file").GetInt32()].Value;
            Assert.True(File.Exists(Path.Combine(Workspace, file)), $"the matcher's file '{file}' is not in the workspace");
        }

        Assert.Equal("dns/nspolicy.yaml", matches[0].Groups[pattern.GetProperty("file").GetInt32()].Value);
        Assert.Equal("4", matches[0].Groups[pattern.GetProperty("line").GetInt32()].Value);
        Assert.Equal("POLICY_GLUE_MISSING", matches[0].Groups[pattern.GetProperty("code").GetInt32()].Value);
    }

    [Fact]
    public async Task On_a_schedule_validate_passes_below_fail_on_and_still_reports_counts_and_summary()
    {
        Policy("nspolicy.yaml", "tests/NsPolicy.Core.Tests/testdata/policy/nameserver-duplicate-via-set.yaml");
        var runner = Runner("schedule", Schedule);

        var run = await runner.RunAsync(new Dictionary<string, string> { ["command"] = "validate", ["format"] = "github, json", ["output"] = "-, report.json" });

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("0", run.Outputs["exit-code"]);
        Assert.Equal("0", run.Outputs["errors"]);
        Assert.NotEqual("0", run.Outputs["warnings"]);
        Assert.Contains("::warning file=nspolicy.yaml,", run.Stdout, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(run.Outputs["json-report"]));
        Assert.Equal(run.Outputs["warnings"], json.RootElement.GetProperty("summary").GetProperty("warnings").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("| **warning** |", run.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fail_on_warning_fails_the_step_on_warnings()
    {
        Policy("nspolicy.yaml", "tests/NsPolicy.Core.Tests/testdata/policy/nameserver-duplicate-via-set.yaml");
        var runner = Runner("schedule", Schedule);

        var run = await runner.RunAsync(new Dictionary<string, string> { ["offline"] = "true", ["fail-on"] = "warning" });

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("1", run.Outputs["exit-code"]);
    }

    [Fact]
    public async Task Zones_and_shard_inputs_become_zone_and_shard_flags()
    {
        Policy("nspolicy.yaml", "tests/NsPolicy.Core.Tests/testdata/report/zones.yaml");
        var runner = Runner("schedule", Schedule);

        var run = await runner.RunAsync(new Dictionary<string, string>
        {
            ["offline"] = "true",
            ["zones"] = "example.net\nexample.org",
            ["shard"] = "1/1",
            ["format"] = "json",
            ["output"] = "r.json",
        });

        Assert.Contains("nspolicy check --policy nspolicy.yaml --fail-on error --format json --output r.json --offline --zone example.net --zone example.org --shard 1/1", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, run.ExitCode);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(run.Outputs["json-report"]));
        Assert.Equal(
            ["example.net.", "example.org.", null],
            json.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("zone").GetString()).Distinct().OrderBy(z => z ?? "~", StringComparer.Ordinal));
    }

    [Fact]
    public async Task More_outputs_than_formats_fails_with_exit_2_before_running_nspolicy()
    {
        Policy("nspolicy.yaml", "examples/nspolicy.yaml");
        var runner = Runner("pull_request", PullRequest);

        var run = await runner.RunAsync(new Dictionary<string, string> { ["command"] = "validate", ["format"] = "sarif", ["output"] = "a.sarif b.sarif" });

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("::error title=nspolicy action::2 outputs given for 1 formats", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Outputs["exit-code"]);
    }

    [Fact]
    public async Task A_missing_policy_exits_2()
    {
        var runner = Runner("schedule", Schedule);

        var run = await runner.RunAsync(new Dictionary<string, string> { ["command"] = "validate" });

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("2", run.Outputs["exit-code"]);
        Assert.Contains("nspolicy.yaml: cannot read the policy file", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_cache_hit_it_installs_nothing_and_builds_nothing()
    {
        var runner = Runner("schedule", Schedule);

        var plan = await runner.RunAsync(new Dictionary<string, string>(), dryRun: true);

        Assert.Equal(["Name the build for this runner", "Run nspolicy"], plan.Ran);
        Assert.Equal(["Restore the built tool"], plan.Used);
    }

    [Fact]
    public async Task On_a_cache_miss_it_sets_up_dotnet_and_builds_from_source()
    {
        var runner = Runner("schedule", Schedule);
        runner.UsesOutputs["cache"] = new() { ["cache-hit"] = "false" };

        var plan = await runner.RunAsync(new Dictionary<string, string>(), dryRun: true);

        Assert.Equal(["Name the build for this runner", "Build nspolicy from the action's source (cache miss only)", "Run nspolicy"], plan.Ran);
        Assert.Equal(["Restore the built tool", "Set up .NET (cache miss only)"], plan.Used);
    }

    [Fact]
    public async Task The_build_is_named_for_the_runner_and_the_source()
    {
        var runner = Runner("schedule", Schedule);

        var run = await runner.RunAsync(new Dictionary<string, string> { ["command"] = "validate" });

        var key = run.StepOutputs["source"]["key"];
        Assert.Matches("^nspolicy-linux-(x64|arm64)-[0-9a-f]{32}$", key);
        Assert.StartsWith("nspolicy-" + run.StepOutputs["source"]["rid"] + "-", key, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_input_maps_to_a_flag_or_setting_the_run_step_uses()
    {
        var runner = Runner("schedule", Schedule);
        var action = File.ReadAllText(Repository.PathOf("action.yml"));

        foreach (var input in runner.InputNames)
        {
            Assert.Contains("${{ inputs." + input + " }}", action, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_option_of_check_is_an_input_of_the_same_name_and_default()
    {
        var check = new CheckCommand(TextWriter.Null, TextWriter.Null, TimeProvider.System, new CliEnvironment()).Build();
        var inputs = InputDefaults();
        // The repeatable options take lists: --zone a --zone b is `zones: a b`.
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal) { ["--zone"] = "zones", ["--resolver"] = "resolvers" };
        // Where the action means to differ: it annotates the run by default, and passes the job's own token.
        var ownDefaults = new Dictionary<string, string>(StringComparer.Ordinal) { ["format"] = "github", ["github-token"] = "${{ github.token }}" };

        var options = check.Options.Where(o => o.Name is not ("--help" or "--version") && !o.Hidden).ToList();
        Assert.NotEmpty(options);
        foreach (var option in options)
        {
            var input = renamed.GetValueOrDefault(option.Name) ?? option.Name.TrimStart('-');
            Assert.True(inputs.ContainsKey(input), $"check has {option.Name} but action.yml has no input '{input}': add one (kebab-case, the same default) and map it in the run step");
            var expected = ownDefaults.GetValueOrDefault(input) ?? DefaultOf(option);
            Assert.True(expected == inputs[input], $"input '{input}' defaults to '{inputs[input]}', but {option.Name} to '{expected}'");
        }
    }

    private static string DefaultOf(System.CommandLine.Option option)
    {
        if (option.ValueType == typeof(bool))
        {
            return "false";
        }

        return option.HasDefaultValue ? option.GetDefaultValue() switch
        {
            null => string.Empty,
            string text => text,
            Array => string.Empty,
            var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
        } : string.Empty;
    }

    private static Dictionary<string, string> InputDefaults()
    {
        var stream = new YamlDotNet.RepresentationModel.YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Repository.PathOf("action.yml"))));
        var root = (YamlDotNet.RepresentationModel.YamlMappingNode)stream.Documents[0].RootNode;
        var inputs = (YamlDotNet.RepresentationModel.YamlMappingNode)root.Children[new YamlDotNet.RepresentationModel.YamlScalarNode("inputs")];
        return inputs.Children.ToDictionary(
            kv => ((YamlDotNet.RepresentationModel.YamlScalarNode)kv.Key).Value!,
            kv => ((YamlDotNet.RepresentationModel.YamlMappingNode)kv.Value).Children.TryGetValue(new YamlDotNet.RepresentationModel.YamlScalarNode("default"), out var d)
                ? ((YamlDotNet.RepresentationModel.YamlScalarNode)d).Value ?? string.Empty
                : string.Empty,
            StringComparer.Ordinal);
    }
}
