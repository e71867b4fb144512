using System.Globalization;
using System.Text;

namespace NsPolicy.Dns.Files;

/// <summary>A file nspolicy was asked to read is refused: outside the repository, not a regular file, or too large.</summary>
public sealed class FileRefusedException(string path, string reason) : IOException($"{path}: {reason}")
{
    public string Path { get; } = path;

    /// <summary>Why, without the path: "is a FIFO, not a regular file".</summary>
    public string Reason { get; } = reason;
}

/// <summary>
/// What nspolicy may read on the user's behalf (the policy, zone files and what they $INCLUDE,
/// root hints, evidence): the real path (every symbolic link followed) must lie inside
/// <see cref="Root"/> unless <see cref="AllowOutside"/>; only regular files, nothing under /proc,
/// /sys or /dev; and no more than a size limit per kind of file.
/// </summary>
public sealed record FileAccessPolicy
{
    /// <summary>A zone file (and each file it includes) is at most 2 GiB.</summary>
    public const long MaxZoneFileBytes = 2L * 1024 * 1024 * 1024;

    /// <summary>A root hints file is at most 1 MiB (IANA's is 3 KB).</summary>
    public const long MaxRootHintsBytes = 1024 * 1024;

    /// <summary>An evidence file is at most 1 GiB.</summary>
    public const long MaxEvidenceBytes = 1024L * 1024 * 1024;

    /// <summary>What <see cref="Check"/> says of a path that names nothing.</summary>
    public const string MissingReason = "does not exist";

    private static readonly string[] PseudoFileSystems = ["/proc", "/sys", "/dev"];

    /// <summary>The real path files must stay inside; null: anywhere (still regular files only).</summary>
    public string? Root { get; init; }

    /// <summary>Files outside <see cref="Root"/> may be read (--allow-include-outside).</summary>
    public bool AllowOutside { get; init; }

    /// <summary>No confinement: for files named on the command line, which the user chose.</summary>
    public static FileAccessPolicy Anywhere { get; } = new();

    /// <summary>Confined to the repository that holds <paramref name="file"/> (see <see cref="RepositoryRoot"/>).</summary>
    public static FileAccessPolicy ForRepositoryOf(string file, bool allowOutside)
    {
        ArgumentNullException.ThrowIfNull(file);
        var folder = Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".";
        return new FileAccessPolicy { Root = RepositoryRoot(folder), AllowOutside = allowOutside };
    }

    /// <summary>
    /// The repository root for a folder: the git work tree that holds it (the nearest folder with a
    /// .git entry), else the folder itself; as a real path.
    /// </summary>
    public static string RepositoryRoot(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var real = FileEntry.RealPath(Path.GetFullPath(folder), out _) ?? Path.GetFullPath(folder);
        for (var dir = real; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (FileEntry.KindOf(Path.Combine(dir, ".git"), followLinks: false, out _) is FileKind.Directory or FileKind.Regular)
            {
                return dir;
            }
        }

        return real;
    }

    /// <summary>Why <paramref name="path"/> may not be read (null when it may), with its real path and size.</summary>
    public string? Check(string path, long maxBytes, out string realPath, out long size)
    {
        ArgumentNullException.ThrowIfNull(path);
        size = 0;
        realPath = Path.GetFullPath(path);
        var real = FileEntry.RealPath(path, out var error);
        if (real is null)
        {
            return "cannot be resolved: " + error;
        }

        realPath = real;
        if (!AllowOutside && Root is { } root && !FileEntry.IsInside(real, root))
        {
            return "resolves to a file outside the repository (symbolic links followed); --allow-include-outside allows it";
        }

        if (PseudoFileSystems.FirstOrDefault(p => FileEntry.IsInside(real, p)) is { } pseudo)
        {
            return $"is in {pseudo}, which holds no regular files";
        }

        var kind = FileEntry.KindOf(real, followLinks: false, out size);
        if (kind == FileKind.Missing)
        {
            return MissingReason;
        }

        if (kind != FileKind.Regular)
        {
            return $"is {FileEntry.Describe(kind)}, not a regular file";
        }

        if (size > maxBytes)
        {
            return string.Create(CultureInfo.InvariantCulture, $"is {size} bytes; the limit is {maxBytes} bytes ({Size(maxBytes)})");
        }

        return null;
    }

    /// <summary>Opens <paramref name="path"/> for reading after <see cref="Check"/>.</summary>
    /// <exception cref="FileRefusedException">The policy refuses the file.</exception>
    /// <exception cref="IOException">It cannot be opened.</exception>
    public FileStream Open(string path, long maxBytes, int bufferSize = 64 * 1024)
    {
        if (Check(path, maxBytes, out var real, out _) is { } problem)
        {
            throw new FileRefusedException(path, problem);
        }

        return new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize, FileOptions.SequentialScan);
    }

    /// <summary>Reads a whole (small) file as UTF-8 text after <see cref="Check"/>.</summary>
    public async Task<string> ReadAllTextAsync(string path, long maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = Open(path, maxBytes);
        using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Size(long bytes) => bytes >= 1L << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes >> 30} GiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes >> 20} MiB");
}
