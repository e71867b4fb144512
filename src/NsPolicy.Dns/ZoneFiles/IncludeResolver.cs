// Where the text of a zone file comes from, kept apart from parsing it: the top-level file and each
// $INCLUDE target (RFC 1035 §5.1) are found and opened here, under the file-access policy.
using System.Globalization;
using NsPolicy.Dns.Files;

namespace NsPolicy.Dns.ZoneFiles;

/// <summary>
/// Opens the files a zone is read from: the real path (every symbolic link followed) must lie inside
/// the root unless <see cref="ZoneFileOptions.AllowIncludeOutsideRoot"/>; only regular files of at
/// most <see cref="ZoneFileOptions.MaxFileBytes"/>, read as checked UTF-8; $INCLUDE paths start from
/// the including file's folder, nest at most <see cref="ZoneFileOptions.MaxIncludeDepth"/> deep and
/// never name a file that is being read already (a loop).
/// </summary>
internal sealed class IncludeResolver(ZoneFileOptions options, string root)
{
    private const int BufferSize = 64 * 1024;

    private readonly FileAccessPolicy _access = new()
    {
        Root = FileEntry.RealPath(root, out _) ?? root,
        AllowOutside = options.AllowIncludeOutsideRoot,
    };

    /// <summary>Real paths of the files being read, the top-level one first.</summary>
    private readonly List<string> _reading = [];

    /// <summary>Opens the top-level file; positions name it <paramref name="displayName"/>.</summary>
    /// <exception cref="FileRefusedException">The policy refuses the file.</exception>
    /// <exception cref="IOException">It cannot be opened.</exception>
    /// <exception cref="UnauthorizedAccessException">It may not be read.</exception>
    public ZoneSource OpenTop(string path, string displayName)
    {
        var full = Path.GetFullPath(path);
        if (_access.Check(full, options.MaxFileBytes, out var real, out _) is { } problem)
        {
            throw new FileRefusedException(full, problem);
        }

        return Start(real, displayName, Path.GetDirectoryName(full) ?? full, 0);
    }

    /// <summary>
    /// Opens the file an $INCLUDE in <paramref name="including"/> names; null, with why in
    /// <paramref name="problem"/> (to report at the file name's token), when it may not or cannot be read.
    /// </summary>
    public ZoneSource? Include(ZoneSource including, string name, out string? problem)
    {
        var full = Path.GetFullPath(Path.Combine(including.Directory, name));
        if (_access.Check(full, options.MaxFileBytes, out var real, out _) is { } refused)
        {
            problem = "$INCLUDE file " + refused;
            return null;
        }

        if (_reading.Contains(real, StringComparer.Ordinal))
        {
            problem = "$INCLUDE loop: the file is already being read";
            return null;
        }

        if (including.Depth + 1 > options.MaxIncludeDepth)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"$INCLUDE nests deeper than {options.MaxIncludeDepth} files");
            return null;
        }

        var display = (Path.GetDirectoryName(including.File) is { Length: > 0 } parent ? Path.Combine(parent, name) : name).Replace('\\', '/');
        try
        {
            problem = null;
            return Start(real, display, Path.GetDirectoryName(full) ?? full, including.Depth + 1);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = ex is FileNotFoundException or DirectoryNotFoundException ? "file does not exist" : "file cannot be read: " + ex.Message;
            return null;
        }
    }

    /// <summary>Closes a file that has been read to its end (or abandoned).</summary>
    public void Finished(ZoneSource source)
    {
        if (source.RealPath is { } real)
        {
            _reading.RemoveAt(_reading.LastIndexOf(real));
        }

        source.Dispose();
    }

    private ZoneSource Start(string real, string displayName, string directory, int depth)
    {
        var utf8 = new Utf8CheckingStream(new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan));
        var reader = new StreamReader(utf8, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: BufferSize);
        _reading.Add(real);
        return new ZoneSource(reader, ownsReader: true, displayName, directory, depth, utf8, real);
    }
}
