namespace NsPolicy.Core.Changes;

/// <summary>
/// The base revisions one run extracts, each once: the changed-zones selection, the serial check,
/// the pull-request comment's delegation diff and its new-vs-base findings all read the same
/// <see cref="BaseCheckout"/> of a revision. <see cref="Dispose"/> removes them all.
/// </summary>
public sealed class BaseCheckouts : IDisposable
{
    private readonly Dictionary<(string Policy, string Revision), BaseCheckout> extracted = [];

    /// <summary>The folder of <paramref name="policyPath"/> at <paramref name="revision"/>, extracted on first use.</summary>
    /// <exception cref="GitException">Not a git work tree, or the revision does not name a commit.</exception>
    public async Task<BaseCheckout> ExtractAsync(string policyPath, string revision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policyPath);
        ArgumentNullException.ThrowIfNull(revision);
        var key = (Path.GetFullPath(policyPath), revision);
        if (!extracted.TryGetValue(key, out var checkout))
        {
            checkout = await BaseCheckout.ExtractAsync(policyPath, revision, cancellationToken).ConfigureAwait(false);
            extracted[key] = checkout;
        }

        return checkout;
    }

    public void Dispose()
    {
        foreach (var checkout in extracted.Values)
        {
            checkout.Dispose();
        }

        extracted.Clear();
    }
}
