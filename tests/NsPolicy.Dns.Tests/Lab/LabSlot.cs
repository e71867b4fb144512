using System.Globalization;

namespace NsPolicy.Dns.Tests.Lab;

/// <summary>
/// One of 16 address ranges a lab can use, held by an exclusive file lock for the lab's life so
/// that test assemblies running side by side each get their own. The lock file's neighbour
/// records the run directory and server process ids, so a run that was killed before it could
/// clean up has its servers ended by the next run that takes the slot.
/// </summary>
internal sealed class LabSlot : IDisposable
{
    private readonly FileStream lockFile;

    private LabSlot(int number, FileStream lockFile, string processFile)
    {
        Number = number;
        this.lockFile = lockFile;
        ProcessFile = processFile;
    }

    public static string StateDirectory => Path.Combine(Path.GetTempPath(), "nspolicy-dns-lab");

    public int Number { get; }

    /// <summary>Lines of "pid TAB run directory" for the servers of the run that holds the slot.</summary>
    internal string ProcessFile { get; }

    /// <summary>Takes <paramref name="forced"/>, or else the first free slot.</summary>
    public static LabSlot Acquire(int? forced)
    {
        Directory.CreateDirectory(StateDirectory);
        var candidates = forced is null ? Enumerable.Range(0, 16) : [forced.Value];
        foreach (var number in candidates)
        {
            var lockPath = Path.Combine(StateDirectory, string.Create(CultureInfo.InvariantCulture, $"slot-{number}.lock"));
            try
            {
                var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return new LabSlot(number, stream, Path.ChangeExtension(lockPath, ".processes"));
            }
            catch (IOException)
            {
                // Held by another running lab.
            }
        }

        throw new DnsLabException(forced is null
            ? $"all 16 lab slots are taken by running labs; lock files are in {StateDirectory}"
            : string.Create(CultureInfo.InvariantCulture, $"lab slot {forced} is taken by another running lab; lock files are in {StateDirectory}"));
    }

    /// <summary>Ends the servers that a killed earlier run in this slot left behind, verified by their run directory.</summary>
    public void EndLeftovers()
    {
        if (!File.Exists(ProcessFile))
        {
            return;
        }

        foreach (var line in File.ReadAllLines(ProcessFile))
        {
            var fields = line.Split('\t', 2);
            if (fields.Length != 2 || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            EndIfItRunsFrom(pid, fields[1]);
        }

        File.Delete(ProcessFile);
    }

    /// <summary>Notes a server process so that a later run can end it if this one is killed.</summary>
    public void Record(int pid, string runDirectory)
    {
        File.AppendAllText(ProcessFile, string.Create(CultureInfo.InvariantCulture, $"{pid}\t{runDirectory}\n"));
    }

    public void Dispose()
    {
        try
        {
            File.Delete(ProcessFile);
        }
        catch (IOException)
        {
            // A leftover record is harmless: its processes are checked before they are ended.
        }

        lockFile.Dispose();
    }

    private static void EndIfItRunsFrom(int pid, string runDirectory)
    {
        // The server and the processes it forked all carry the run directory in their command line.
        foreach (var candidate in ProcessAndChildren(pid))
        {
            string commandLine;
            try
            {
                commandLine = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{candidate}/cmdline"));
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (!commandLine.Contains(runDirectory, StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(candidate);
                process.Kill();
                process.WaitForExit(5000);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone already.
            }
        }
    }

    private static List<int> ProcessAndChildren(int pid)
    {
        var result = new List<int> { pid };
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var candidate))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields.Length > 1 && fields[1] == pid.ToString(CultureInfo.InvariantCulture))
                {
                    result.Add(candidate);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return result;
    }
}
