using System.Diagnostics;

namespace NsPolicy.Tests.Shared;

/// <summary>Runs a process to its end with both streams read, killed (whole tree) if it outlives a hang guard.</summary>
internal static class ProcessRunner
{
    /// <param name="start">Must redirect standard output and error.</param>
    /// <param name="hangGuard">Guards against hangs only; not a performance assertion.</param>
    /// <param name="what">The command as the timeout message names it.</param>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(ProcessStartInfo start, TimeSpan hangGuard, string what)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {start.FileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(hangGuard);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{what} did not finish within {hangGuard.TotalSeconds} s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
