using System.Diagnostics;
using System.Globalization;

namespace NsPolicy.Cli.Tests;

/// <summary>The outcome of running nspolicy.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed);

/// <summary>
/// Runs nspolicy as a user would, in a chosen directory with a chosen environment: in-process
/// through <see cref="Program.RunAsync"/> (what <c>Main</c> runs, with its console captured), or,
/// for the real entry point, as a separate process (<see cref="RunProcessAsync(string, IReadOnlyDictionary{string, string}, string[])"/>).
/// Either way the environment holds NO_COLOR=1, NSPOLICY_LOOPBACK_ONLY=1 and no GitHub Actions
/// variable unless the test sets it, so a CI run's own files are never touched.
/// </summary>
internal static class CliRunner
{
    /// <summary>Guards against hangs only; not a performance assertion.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    /// <summary>The GitHub Actions variables nspolicy reads; a process run does not inherit them from the test's environment.</summary>
    private static readonly string[] GitHubVariables = ["GITHUB_ACTIONS", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE", "GITHUB_EVENT_PATH", "GITHUB_TOKEN", "GITHUB_API_URL", "GITHUB_REPOSITORY", "GITHUB_SERVER_URL"];

    private static readonly Dictionary<string, string> Base = new(StringComparer.Ordinal)
    {
        ["NO_COLOR"] = "1",
        ["NSPOLICY_LOOPBACK_ONLY"] = "1",
    };

    public static Task<CliResult> RunAsync(string workingDirectory, params string[] args) =>
        RunAsync(workingDirectory, new Dictionary<string, string>(), args);

    public static Task<CliResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunAsync(workingDirectory, environment, TimeProvider.System, args);

    /// <summary>In-process with a given clock (golden cases dated to a fixed day).</summary>
    public static Task<CliResult> RunAsync(string workingDirectory, TimeProvider time, params string[] args) =>
        RunAsync(workingDirectory, new Dictionary<string, string>(), time, args);

    public static async Task<CliResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeProvider time, params string[] args)
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in Base.Concat(environment))
        {
            variables[name] = value;
        }

        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var surroundings = new CliEnvironment(name => variables.GetValueOrDefault(name), workingDirectory, outputIsTerminal: false, errorIsTerminal: false);
        var clock = Stopwatch.StartNew();
        var run = Program.RunAsync(args, stdout, stderr, variables, surroundings, time);
        if (await Task.WhenAny(run, Task.Delay(HangGuard)) != run)
        {
            throw new TimeoutException($"nspolicy {string.Join(' ', args)} did not finish within {HangGuard}");
        }

        var exit = await run;
        return new CliResult(exit, stdout.ToString(), stderr.ToString(), clock.Elapsed);
    }

    public static Task<CliResult> RunInRepositoryAsync(params string[] args) => RunAsync(Repository.Root, args);

    public static Task<CliResult> RunProcessAsync(string workingDirectory, params string[] args) =>
        RunProcessAsync(workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>The built nspolicy as a separate process: the real entry point, console and exit code.</summary>
    public static async Task<CliResult> RunProcessAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "nspolicy.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var name in GitHubVariables)
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in Base.Concat(environment))
        {
            start.Environment[name] = value;
        }

        var clock = Stopwatch.StartNew();
        var (exit, stdout, stderr) = await ProcessRunner.RunAsync(start, HangGuard, $"nspolicy {string.Join(' ', args)}");
        return new CliResult(exit, stdout, stderr, clock.Elapsed);
    }
}
