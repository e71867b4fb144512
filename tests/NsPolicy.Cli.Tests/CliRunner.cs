using System.Diagnostics;

namespace NsPolicy.Cli.Tests;

/// <summary>The outcome of running the real nspolicy command.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed);

/// <summary>Runs the built nspolicy as a user would: a separate process, in a chosen directory.</summary>
internal static class CliRunner
{
    /// <summary>Guards against hangs only; not a performance assertion.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    /// <summary>The GitHub Actions variables nspolicy reads; cleared unless a test sets them, so a CI run's own files are never touched.</summary>
    private static readonly string[] GitHubVariables = ["GITHUB_ACTIONS", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE", "GITHUB_EVENT_PATH", "GITHUB_TOKEN", "GITHUB_API_URL", "GITHUB_REPOSITORY"];

    public static Task<CliResult> RunAsync(string workingDirectory, params string[] args) =>
        RunAsync(workingDirectory, new Dictionary<string, string>(), args);

    public static async Task<CliResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
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

        start.Environment["NO_COLOR"] = "1";
        start.Environment["NSPOLICY_LOOPBACK_ONLY"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var name in GitHubVariables)
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var clock = Stopwatch.StartNew();
        var (exit, stdout, stderr) = await ProcessRunner.RunAsync(start, HangGuard, $"nspolicy {string.Join(' ', args)}");
        return new CliResult(exit, stdout, stderr, clock.Elapsed);
    }

    public static Task<CliResult> RunInRepositoryAsync(params string[] args) => RunAsync(Repository.Root, args);
}
