using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace NsPolicy.Cli.Tests.Action;

/// <summary>What a simulated run of the action produced.</summary>
internal sealed record ActionRun(
    int ExitCode,
    string Stdout,
    string Stderr,
    IReadOnlyDictionary<string, string> Outputs,
    string Summary,
    IReadOnlyList<string> Skipped,
    IReadOnlyList<string> Ran,
    IReadOnlyDictionary<string, Dictionary<string, string>> StepOutputs)
{
    /// <summary>The <c>uses:</c> steps whose condition held: a runner would have run them.</summary>
    public IReadOnlyList<string> Used { get; init; } = [];
}

/// <summary>
/// Runs a composite action's steps the way the Actions runner does, as far as a test can without
/// the network: inputs (with their defaults) reach steps only through <c>${{ inputs.x }}</c>
/// expressions, as in a real composite action; each <c>run:</c> step runs with
/// <c>bash --noprofile --norc -eo pipefail</c> in its working directory with the runner's
/// environment files (GITHUB_OUTPUT per step, GITHUB_STEP_SUMMARY, GITHUB_EVENT_PATH, ...);
/// <c>if:</c> conditions are evaluated; the action's outputs are read from the steps' outputs.
/// <c>uses:</c> steps are not run (they fetch actions from the network); a test states their
/// outputs instead, e.g. a cache hit. Expressions beyond context lookups, <c>==</c>, <c>!=</c>
/// and <c>&amp;&amp;</c> fail the test, which keeps the action within what this runner checks.
/// </summary>
internal sealed class ActionRunner
{
    private static readonly Regex Expression = new(@"\$\{\{\s*(.*?)\s*\}\}", RegexOptions.CultureInvariant);
    private static readonly Regex Comparison = new(@"^([A-Za-z0-9_.\-]+)\s*(==|!=)\s*'([^']*)'$", RegexOptions.CultureInvariant);

    private readonly YamlMappingNode action;
    private readonly Dictionary<string, string> inputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> steps = new(StringComparer.Ordinal);

    public ActionRunner(string actionFile)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(actionFile)));
        action = (YamlMappingNode)stream.Documents[0].RootNode;
        ActionPath = Path.GetDirectoryName(Path.GetFullPath(actionFile))!;
    }

    public string ActionPath { get; }

    public required string Workspace { get; init; }

    public required string RunnerTemp { get; init; }

    public required string EventName { get; init; }

    public required string EventPath { get; init; }

    /// <summary>Outputs of <c>uses:</c> steps, by step id, as the test says they would be.</summary>
    public Dictionary<string, Dictionary<string, string>> UsesOutputs { get; } = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> InputNames => Map(action, "inputs").Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();

    /// <param name="given">The inputs the workflow gives (<c>with:</c>); the rest take their defaults.</param>
    /// <param name="dryRun">Only decide which steps would run, running none (run steps are taken to succeed without outputs).</param>
    public async Task<ActionRun> RunAsync(IReadOnlyDictionary<string, string> given, bool dryRun = false)
    {
        foreach (var name in given.Keys)
        {
            Assert.True(InputNames.Contains(name), $"action.yml has no input {name}");
        }

        foreach (var (key, value) in Map(action, "inputs").Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            var fallback = ((YamlMappingNode)value).Children.TryGetValue("default", out var d) ? ((YamlScalarNode)d).Value ?? string.Empty : string.Empty;
            inputs[name] = given.TryGetValue(name, out var v) ? v : Substitute(fallback);
        }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var summary = new StringBuilder();
        var skipped = new List<string>();
        var ran = new List<string>();
        var used = new List<string>();
        var failed = 0;
        var index = 0;
        foreach (var step in ((YamlSequenceNode)Map(action, "runs").Children["steps"]).Children.Cast<YamlMappingNode>())
        {
            index++;
            var name = Text(step, "name") ?? $"step {index}";
            var id = Text(step, "id") ?? $"__{index}";
            var condition = Text(step, "if");
            if (failed != 0 || (condition is not null && !Condition(condition)))
            {
                skipped.Add(name);
                continue;
            }

            if (Text(step, "uses") is not null)
            {
                // Fetched from the network on a real runner; the test states what they would output.
                steps[id] = UsesOutputs.TryGetValue(id, out var outputs) ? outputs : [];
                skipped.Add(name);
                used.Add(name);
                continue;
            }

            Assert.Equal("bash", Text(step, "shell"));
            ran.Add(name);
            if (dryRun)
            {
                steps[id] = [];
                continue;
            }

            var (code, outputsOfStep, stepSummary) = await RunStepAsync(step, stdout, stderr);
            steps[id] = outputsOfStep;
            summary.Append(stepSummary);
            failed = code;
        }

        var actionOutputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Map(action, "outputs").Children)
        {
            actionOutputs[((YamlScalarNode)key).Value!] = Substitute(Text((YamlMappingNode)value, "value")!);
        }

        return new ActionRun(failed, stdout.ToString(), stderr.ToString(), actionOutputs, summary.ToString(), skipped, ran, steps) { Used = used };
    }

    /// <summary>Evaluates an <c>if:</c> condition of the forms the action uses.</summary>
    public bool Condition(string condition)
    {
        var text = condition.Trim();
        var match = Expression.Match(text);
        if (match.Success && match.Index == 0 && match.Length == text.Length)
        {
            text = match.Groups[1].Value;
        }

        return text.Split("&&").All(part =>
        {
            var m = Comparison.Match(part.Trim());
            Assert.True(m.Success, $"the simulated runner cannot evaluate '{part.Trim()}' in if: {condition}");
            var equal = Lookup(m.Groups[1].Value) == m.Groups[3].Value;
            return m.Groups[2].Value == "==" ? equal : !equal;
        });
    }

    private async Task<(int Code, Dictionary<string, string> Outputs, string Summary)> RunStepAsync(YamlMappingNode step, StringBuilder stdout, StringBuilder stderr)
    {
        var stepDir = Directory.CreateDirectory(Path.Combine(RunnerTemp, "_runner_file_commands", Guid.NewGuid().ToString("N"))).FullName;
        var outputFile = Path.Combine(stepDir, "output");
        var summaryFile = Path.Combine(stepDir, "summary");
        var script = Path.Combine(stepDir, "script.sh");
        File.WriteAllText(outputFile, string.Empty);
        File.WriteAllText(summaryFile, string.Empty);
        File.WriteAllText(script, Substitute(Text(step, "run")!));

        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--noprofile", "--norc", "-eo", "pipefail", script })
        {
            start.ArgumentList.Add(arg);
        }

        var workingDirectory = Text(step, "working-directory") is { } wd ? Substitute(wd) : ".";
        start.WorkingDirectory = Path.GetFullPath(Path.Combine(Workspace, workingDirectory));
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("GITHUB_", StringComparison.Ordinal) || k.StartsWith("RUNNER_", StringComparison.Ordinal) || k.StartsWith("INPUT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["GITHUB_ACTIONS"] = "true";
        start.Environment["CI"] = "true";
        start.Environment["GITHUB_WORKSPACE"] = Workspace;
        start.Environment["GITHUB_ACTION_PATH"] = ActionPath;
        start.Environment["GITHUB_EVENT_NAME"] = EventName;
        start.Environment["GITHUB_EVENT_PATH"] = EventPath;
        start.Environment["GITHUB_REPOSITORY"] = "example/dns";
        start.Environment["GITHUB_OUTPUT"] = outputFile;
        start.Environment["GITHUB_STEP_SUMMARY"] = summaryFile;
        start.Environment["RUNNER_TEMP"] = RunnerTemp;
        start.Environment["RUNNER_OS"] = "Linux";
        start.Environment["NSPOLICY_LOOPBACK_ONLY"] = "1";
        start.Environment["NO_COLOR"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        if (step.Children.TryGetValue("env", out var env))
        {
            foreach (var (key, value) in ((YamlMappingNode)env).Children)
            {
                start.Environment[((YamlScalarNode)key).Value!] = Substitute(((YamlScalarNode)value).Value ?? string.Empty);
            }
        }

        using var process = Process.Start(start)!;
        var outText = process.StandardOutput.ReadToEndAsync();
        var errText = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(cts.Token);
        stdout.Append(await outText);
        stderr.Append(await errText);
        return (process.ExitCode, ParseOutputs(File.ReadAllText(outputFile)), File.ReadAllText(summaryFile));
    }

    /// <summary>Reads a GITHUB_OUTPUT file: <c>name=value</c> lines and <c>name&lt;&lt;DELIMITER</c> blocks.</summary>
    internal static Dictionary<string, string> ParseOutputs(string text)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0)
            {
                continue;
            }

            var heredoc = line.IndexOf("<<", StringComparison.Ordinal);
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (heredoc > 0 && (equals < 0 || heredoc < equals))
            {
                var delimiter = line[(heredoc + 2)..];
                var value = new List<string>();
                for (i++; i < lines.Length && lines[i] != delimiter; i++)
                {
                    value.Add(lines[i]);
                }

                Assert.True(i < lines.Length, $"unterminated {delimiter} block in GITHUB_OUTPUT");
                outputs[line[..heredoc]] = string.Join('\n', value);
            }
            else
            {
                Assert.True(equals > 0, $"malformed GITHUB_OUTPUT line '{line}'");
                outputs[line[..equals]] = line[(equals + 1)..];
            }
        }

        return outputs;
    }

    private string Substitute(string text) => Expression.Replace(text, m => Lookup(m.Groups[1].Value));

    private string Lookup(string path)
    {
        var parts = path.Split('.');
        return parts switch
        {
            ["inputs", var name] => inputs.TryGetValue(name, out var v) ? v : throw new InvalidOperationException($"no input {name}"),
            ["github", "action_path"] => ActionPath,
            ["github", "workspace"] => Workspace,
            ["github", "token"] => "test-token-never-printed",
            ["runner", "temp"] => RunnerTemp,
            ["runner", "os"] => "Linux",
            ["steps", var id, "outputs", var name] => steps.TryGetValue(id, out var o) && o.TryGetValue(name, out var v) ? v : string.Empty,
            _ => throw new InvalidOperationException($"the simulated runner does not know the expression {path}"),
        };
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[key];

    private static string? Text(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) ? ((YamlScalarNode)value).Value : null;
}
