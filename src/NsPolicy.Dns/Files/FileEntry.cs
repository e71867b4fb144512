using System.Runtime.InteropServices;
using System.Text;

namespace NsPolicy.Dns.Files;

/// <summary>What a path names, without opening it (opening a FIFO would block).</summary>
public enum FileKind
{
    Missing,
    Regular,
    Directory,
    SymbolicLink,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
    Other,
}

/// <summary>
/// The kind and size of a file-system entry, and real paths (every symbolic link followed). .NET
/// does not tell a device or a FIFO from a regular file, so on Unix this asks the runtime's own
/// native library for lstat/stat, as <see cref="FileInfo"/> does internally.
/// </summary>
public static class FileEntry
{
    /// <summary>The kind of the entry at <paramref name="path"/>; a symbolic link itself unless <paramref name="followLinks"/>.</summary>
    public static FileKind KindOf(string path, bool followLinks, out long size)
    {
        ArgumentNullException.ThrowIfNull(path);
        size = 0;
        if (OperatingSystem.IsWindows())
        {
            return KindOfWindows(path, followLinks, out size);
        }

        var status = new byte[StatusSize];
        var native = Encoding.UTF8.GetBytes(path + "\0");
        var result = followLinks ? Stat(native, status) : LStat(native, status);
        if (result != 0)
        {
            return FileKind.Missing;
        }

        size = BitConverter.ToInt64(status, SizeOffset);
        return (BitConverter.ToInt32(status, ModeOffset) & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Other,
        };
    }

    /// <summary>How a kind is named in messages ("a FIFO").</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Missing => "nothing",
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Fifo => "a FIFO",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        _ => "not a regular file",
    };

    /// <summary>
    /// The absolute path with every symbolic link followed, component by component (at most 40
    /// links, as Linux allows), and '.' and '..' applied after the links they follow. Null (with
    /// the reason) for a loop of links or a path that cannot be resolved. A missing last component
    /// is kept as written.
    /// </summary>
    public static string? RealPath(string path, out string? error)
    {
        ArgumentNullException.ThrowIfNull(path);
        error = null;
        if (OperatingSystem.IsWindows())
        {
            var full = Path.GetFullPath(path);
            return new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        }

        var absolute = Path.IsPathRooted(path) ? path : Path.Combine(Directory.GetCurrentDirectory(), path);
        var pending = new Stack<string>(absolute.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var current = "/";
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }

            var next = current == "/" ? "/" + part : current + "/" + part;
            if (KindOf(next, followLinks: false, out _) != FileKind.SymbolicLink)
            {
                current = next;
                continue;
            }

            if (++links > 40)
            {
                error = "too many levels of symbolic links";
                return null;
            }

            string? target;
            try
            {
                target = new FileInfo(next).LinkTarget;
            }
            catch (IOException e)
            {
                error = e.Message;
                return null;
            }

            if (target is null)
            {
                current = next;
                continue;
            }

            if (target.StartsWith('/'))
            {
                current = "/";
            }

            foreach (var piece in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.Push(piece);
            }
        }

        return current;
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or inside it (both real, absolute paths).</summary>
    public static bool IsInside(string path, string folder)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(folder);
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var root = folder.EndsWith(Path.DirectorySeparatorChar) ? folder : folder + Path.DirectorySeparatorChar;
        return path.Equals(folder, comparison) || path.StartsWith(root, comparison);
    }

    private static FileKind KindOfWindows(string path, bool followLinks, out long size)
    {
        size = 0;
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return Directory.Exists(path) ? FileKind.Directory : FileKind.Missing;
        }

        if (!followLinks && info.LinkTarget is not null)
        {
            return FileKind.SymbolicLink;
        }

        size = info.Length;
        return FileKind.Regular;
    }

    // The runtime's FileStatus (src/native/libs/System.Native/pal_io.h): int32 Flags, int32 Mode,
    // uint32 Uid, uint32 Gid, int64 Size, then times and ids; the buffer leaves room for growth.
    private const int StatusSize = 512;
    private const int ModeOffset = 4;
    private const int SizeOffset = 16;

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat")]
    private static extern int LStat(byte[] path, byte[] status);

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat")]
    private static extern int Stat(byte[] path, byte[] status);
}
