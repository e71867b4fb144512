using System.Diagnostics;
using System.Formats.Tar;
using System.Text;
using NsPolicy.Dns;

namespace NsPolicy.Core.Changes;

/// <summary>git failed: not a repository, an unknown revision, or git is missing.</summary>
public sealed class GitException(string message) : Exception(message);

/// <summary>
/// Read-only use of the <c>git</c> command in one folder of a work tree: it never changes the
/// index, the work tree or any ref. Paths are relative to that folder.
/// </summary>
public sealed class GitClient(string directory)
{
    /// <summary>Fails with a clear message when <paramref name="revision"/> does not name a commit.</summary>
    public async Task VerifyAsync(string revision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revision);
        if (revision.StartsWith('-'))
        {
            throw new GitException($"'{Excerpt.Of(revision)}' is not a revision");
        }

        await RunAsync(["rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"], cancellationToken, $"'{Excerpt.Of(revision)}' does not name a commit in this repository").ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the tree of this folder at <paramref name="revision"/> into <paramref name="destination"/>
    /// (which must exist), so the base versions of the policy and zone files can be read like the current ones.
    /// </summary>
    /// <returns>False when the folder did not exist at that revision (nothing is written).</returns>
    public async Task<bool> ExtractAsync(string revision, string destination, CancellationToken cancellationToken)
    {
        byte[] tar;
        try
        {
            tar = await RunAsync(["archive", "--format=tar", revision, "--", "."], cancellationToken).ConfigureAwait(false);
        }
        catch (GitException e) when (e.Message.Contains("did not match any files", StringComparison.Ordinal))
        {
            return false;
        }

        using var stream = new MemoryStream(tar);
        await TarFile.ExtractToDirectoryAsync(stream, destination, overwriteFiles: false, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Files of this folder that differ between <paramref name="revision"/> and the work tree
    /// (staged or not, deleted included) and files git does not track yet, relative to this folder.
    /// </summary>
    public async Task<IReadOnlySet<string>> ChangedFilesAsync(string revision, CancellationToken cancellationToken)
    {
        var changed = await RunAsync(["diff", "--name-only", "--relative", "-z", revision, "--", "."], cancellationToken).ConfigureAwait(false);
        var untracked = await RunAsync(["ls-files", "--others", "--exclude-standard", "-z", "--", "."], cancellationToken).ConfigureAwait(false);
        return Split(changed).Concat(Split(untracked)).ToHashSet(StringComparer.Ordinal);
    }

    private static IEnumerable<string> Split(byte[] output) =>
        Encoding.UTF8.GetString(output).Split('\0', StringSplitOptions.RemoveEmptyEntries);

    private async Task<byte[]> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken, string? failure = null)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No pager, no prompts, no locale-dependent messages.
        start.Environment["GIT_PAGER"] = "cat";
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["LC_ALL"] = "C";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new GitException("cannot start git");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new GitException($"cannot run git: {e.Message}");
        }

        using (process)
        {
            using var output = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await Task.WhenAll(copy, error).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                var reason = Excerpt.Of((await error.ConfigureAwait(false)).Trim(), 300);
                throw new GitException(failure ?? $"git {arguments[0]} failed: {(reason.Length == 0 ? "exit code " + process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : reason)}");
            }

            return output.ToArray();
        }
    }
}
