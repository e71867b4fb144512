using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace NsPolicy.Dns.Tests.Lab;

/// <summary>Output of a command that ran to completion.</summary>
public sealed record LabCommandResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Both streams, for error messages.</summary>
    public string Output => StandardOutput + StandardError;
}

/// <summary>
/// Runs the external tools of the lab (key generation, signing, dig) with a hard time limit,
/// and long-running servers whose output is kept for error reports.
/// </summary>
internal static class LabProcess
{
    public static string CommandLine(string fileName, IReadOnlyList<string> arguments) =>
        fileName + " " + string.Join(' ', arguments.Select(a => a.Contains(' ', StringComparison.Ordinal) ? "\"" + a + "\"" : a));

    /// <summary>Runs a command to completion; kills it when <paramref name="timeout"/> passes.</summary>
    public static async Task<LabCommandResult> RunAsync(
        string fileName, IReadOnlyList<string> arguments, string? workingDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var commandLine = CommandLine(fileName, arguments);
        using var process = new Process { StartInfo = CreateStartInfo(fileName, arguments, workingDirectory) };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new DnsLabException($"cannot run `{commandLine}`: {e.Message} (is the Debian package installed? see scripts/test.sh)", e);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new DnsLabException(string.Create(
                CultureInfo.InvariantCulture, $"`{commandLine}` did not finish within {timeout.TotalSeconds} s and was killed"));
        }

        return new LabCommandResult(commandLine, process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>Runs a command and throws, with its output, unless it exits with 0.</summary>
    public static async Task<LabCommandResult> RunCheckedAsync(
        string fileName, IReadOnlyList<string> arguments, string? workingDirectory, CancellationToken cancellationToken)
    {
        var result = await RunAsync(fileName, arguments, workingDirectory, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new DnsLabException(string.Create(
                CultureInfo.InvariantCulture, $"`{result.CommandLine}` exited with {result.ExitCode}:\n{result.Output}"));
        }

        return result;
    }

    public static ProcessStartInfo CreateStartInfo(string fileName, IReadOnlyList<string> arguments, string? workingDirectory)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }
}

/// <summary>A server process of the lab; keeps everything it writes so a failure can show it.</summary>
internal sealed class LabServerProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly string? logFile;

    private LabServerProcess(string name, Process process, string commandLine, string? logFile)
    {
        Name = name;
        this.process = process;
        CommandLine = commandLine;
        this.logFile = logFile;
    }

    public string Name { get; }

    public string CommandLine { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>Starts a server in the foreground; <paramref name="logFile"/> is read into error reports too.</summary>
    public static LabServerProcess Start(string name, string fileName, IReadOnlyList<string> arguments, string workingDirectory, string? logFile)
    {
        var commandLine = LabProcess.CommandLine(fileName, arguments);
        var process = new Process { StartInfo = LabProcess.CreateStartInfo(fileName, arguments, workingDirectory) };
        var server = new LabServerProcess(name, process, commandLine, logFile);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new DnsLabException($"lab server {name}: cannot run `{commandLine}`: {e.Message} (is the Debian package installed? see scripts/test.sh)", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>What the server wrote to stdout, stderr and its log file so far.</summary>
    public string Output
    {
        get
        {
            string text;
            lock (output)
            {
                text = output.ToString();
            }

            if (logFile is not null && File.Exists(logFile))
            {
                try
                {
                    text += File.ReadAllText(logFile);
                }
                catch (IOException e)
                {
                    text += "(log file unreadable: " + e.Message + ")";
                }
            }

            return text;
        }
    }

    public DnsLabException Failure(string what)
    {
        if (process.HasExited)
        {
            // Exited is seen before the asynchronous readers reach the end of stdout and stderr;
            // this wait lets them, so the report has the server's last words.
            process.WaitForExit();
        }

        var exit = process.HasExited
            ? string.Create(CultureInfo.InvariantCulture, $"exited with {process.ExitCode}")
            : "is still running";
        return new DnsLabException($"lab server {Name} {what}; it {exit}.\ncommand: {CommandLine}\noutput:\n{Output}");
    }

    /// <summary>
    /// Asks the server to stop (SIGTERM, so that it reaps the processes it forked), then kills
    /// what is left of its process tree after three seconds.
    /// </summary>
    public void Stop()
    {
        try
        {
            if (process.HasExited)
            {
                return;
            }

            _ = Terminate(process.Id, SignalTerminate);
            if (!process.WaitForExit(3000))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // The process was never started or is already gone.
        }
    }

    public void Dispose()
    {
        Stop();
        process.Dispose();
    }

    private const int SignalTerminate = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Terminate(int pid, int signal);

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}

/// <summary>The lab could not be built or started; the message holds the command and its output.</summary>
public sealed class DnsLabException : Exception
{
    public DnsLabException()
    {
    }

    public DnsLabException(string message)
        : base(message)
    {
    }

    public DnsLabException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
