using System.Diagnostics;

namespace NsPolicy.Tests.Shared;

/// <summary>A throw-away git repository in a temporary folder: commit a folder's files as the base, then lay another folder over the work tree.</summary>
internal sealed class TempGitRepository : IDisposable
{
    public TempGitRepository()
    {
        Path = Directory.CreateTempSubdirectory("nspolicy-git-").FullName;
        Git("init", "-q", "-b", "main");
    }

    public string Path { get; }

    /// <summary>Replaces the work tree (all but .git) with a copy of <paramref name="source"/>.</summary>
    public void Replace(string source)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(Path).Where(e => System.IO.Path.GetFileName(e) != ".git"))
        {
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }

        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(Path, System.IO.Path.GetRelativePath(source, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);

            // A file rewritten within the second of the commit, at the same size (and maybe the
            // same inode), can look unchanged to git's stat check; a later mtime rules that out.
            File.SetLastWriteTimeUtc(target, DateTime.UtcNow.AddSeconds(5));
        }
    }

    public void CommitAll(string message)
    {
        Git("add", "-A");
        Git("-c", "user.name=nspolicy", "-c", "user.email=dev@nspolicy.invalid", "commit", "-q", "-m", message);
    }

    public void Git(params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Path, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)}: {error}");
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
