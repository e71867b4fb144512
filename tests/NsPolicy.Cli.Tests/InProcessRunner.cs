using System.Globalization;

namespace NsPolicy.Cli.Tests;

/// <summary>
/// Runs nspolicy in-process through <see cref="NsPolicyApp"/>, as <c>Program</c> does but with the
/// console captured, a given clock and working directory, and no GitHub environment.
/// </summary>
internal static class InProcessRunner
{
    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string workingDirectory, TimeProvider time, params string[] args)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var environment = new CliEnvironment
        {
            WorkingDirectory = workingDirectory,
            GitHubOutput = null,
            GitHubStepSummary = null,
            GitHubWorkspace = null,
            OutputIsTerminal = false,
            ErrorIsTerminal = false,
        };
        var exit = await new NsPolicyApp(stdout, stderr, time, environment).RunAsync(args, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
