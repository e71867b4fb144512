namespace NsPolicy.Core.Changes;

/// <summary>
/// The policy's folder as it was at a git revision, extracted into a temporary folder that
/// <see cref="Dispose"/> removes: where the base versions of the policy and its zone files are read
/// like the current ones (the delegation diff, the serial check, changed zones, new-vs-base findings).
/// </summary>
public sealed class BaseCheckout : IDisposable
{
    private readonly DirectoryInfo temp;

    private BaseCheckout(DirectoryInfo temp, string? policyPath)
    {
        this.temp = temp;
        PolicyPath = policyPath;
    }

    /// <summary>The temporary folder: the policy's folder at the revision.</summary>
    public string Folder => temp.FullName;

    /// <summary>The policy file at the revision; null when the folder or the file did not exist then.</summary>
    public string? PolicyPath { get; }

    /// <summary>Checks that <paramref name="revision"/> names a commit, then extracts the folder of <paramref name="policyPath"/> at it.</summary>
    /// <exception cref="GitException">Not a git work tree, or the revision does not name a commit.</exception>
    public static async Task<BaseCheckout> ExtractAsync(string policyPath, string revision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policyPath);
        ArgumentNullException.ThrowIfNull(revision);
        var git = new GitClient(Path.GetDirectoryName(policyPath) is { Length: > 0 } folder ? folder : ".");
        await git.VerifyAsync(revision, cancellationToken).ConfigureAwait(false);
        var temp = Directory.CreateTempSubdirectory("nspolicy-base-");
        try
        {
            var basePolicy = Path.Combine(temp.FullName, Path.GetFileName(policyPath));
            var present = await git.ExtractAsync(revision, temp.FullName, cancellationToken).ConfigureAwait(false) && File.Exists(basePolicy);
            return new BaseCheckout(temp, present ? basePolicy : null);
        }
        catch
        {
            temp.Delete(recursive: true);
            throw;
        }
    }

    public void Dispose() => temp.Delete(recursive: true);
}
