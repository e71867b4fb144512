using System.Text;
using NsPolicy.Core.Secrets;
using NsPolicy.Dns.Files;

namespace NsPolicy.Core.Output;

/// <summary>An output path names something nspolicy will not replace: a device, FIFO, socket, directory or symbolic link.</summary>
public sealed class OutputRefusedException(string path, string reason) : IOException($"{path}: {reason}");

/// <summary>
/// Every file nspolicy writes (reports, the policy from init, evidence) is written here: whole or
/// not at all (a temporary file in the same folder, then a rename over the target), secrets
/// masked, and only over a regular file or where nothing is. A device, FIFO, socket, directory or
/// symbolic link at the path is refused and left as it was.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Why nothing may be written at <paramref name="path"/>, or null when it may.</summary>
    public static string? Refusal(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var kind = FileEntry.KindOf(Path.GetFullPath(path), followLinks: false, out _);
        return kind is FileKind.Missing or FileKind.Regular
            ? null
            : $"is {FileEntry.Describe(kind)}; nspolicy writes reports only to a regular file or a new path, and leaves this as it is";
    }

    /// <param name="overwrite">Replace a regular file at the path; when false the rename fails if a file appeared there meanwhile.</param>
    /// <exception cref="OutputRefusedException">Something other than a regular file is at the path.</exception>
    /// <exception cref="IOException">The folder does not exist or the file cannot be written.</exception>
    public static async Task WriteAsync(string path, string content, SecretMasker? masker, CancellationToken cancellationToken, bool overwrite = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(content);
        var full = Path.GetFullPath(path);
        if (Refusal(full) is { } reason)
        {
            throw new OutputRefusedException(path, reason);
        }

        var directory = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"the directory {directory} does not exist");
        }

        var bytes = Utf8.GetBytes((masker ?? SecretMasker.None).Apply(content));
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
            {
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            // Checked again just before the rename, which replaces only the directory entry.
            if (Refusal(full) is { } late)
            {
                throw new OutputRefusedException(path, late);
            }

            File.Move(temp, full, overwrite);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
