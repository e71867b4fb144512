using System.Diagnostics;

namespace NsPolicy.Cli.Tests.Demo;

/// <summary>Runs the built nspolicy-lab (tools/NsPolicy.Lab) as scripts/demo.sh does: a separate process in the repository root.</summary>
internal static class LabRunnerProcess
{
    /// <summary>Guards against hangs only; not a performance assertion.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(180);

    /// <summary>nspolicy-lab.dll of the same configuration as this test assembly.</summary>
    public static string RunnerPath
    {
        get
        {
            var framework = new DirectoryInfo(AppContext.BaseDirectory);
            var configuration = framework.Parent?.Name ?? "Debug";
            return Repository.PathOf("tools", "NsPolicy.Lab", "bin", configuration, framework.Name, "nspolicy-lab.dll");
        }
    }

    /// <summary>nspolicy.dll beside this test assembly (the test project references the CLI).</summary>
    public static string NspolicyPath => Path.Combine(AppContext.BaseDirectory, "nspolicy.dll");

    public static async Task<CliResult> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RunnerPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["NO_COLOR"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment.Remove("NSPOLICY_LAB_SLOT");
        start.Environment.Remove("NSPOLICY_LAB_KEEP");
        var clock = Stopwatch.StartNew();
        var (exit, stdout, stderr) = await ProcessRunner.RunAsync(start, HangGuard, $"nspolicy-lab {string.Join(' ', args)}");
        return new CliResult(exit, stdout, stderr, clock.Elapsed);
    }
}
