using NsPolicy.Core.Validation;

namespace NsPolicy.Core.Changes;

/// <summary>
/// The delegation changes between a git revision and the work tree, for the policy at a path and the
/// zone files it names: what <c>nspolicy diff</c> prints and the pull-request comment carries.
/// </summary>
public static class RevisionDiff
{
    /// <summary>
    /// Loads both sides (the revision's from <paramref name="checkout"/>) and compares them. A policy
    /// absent at the revision counts as empty.
    /// </summary>
    /// <exception cref="PolicyUnreadableException">The policy (at the revision or now) does not load.</exception>
    /// <param name="checkout">The policy's folder at <paramref name="revision"/>.</param>
    /// <param name="policyPath">The policy file to read.</param>
    /// <param name="displayPath">The name the policy and its zone files carry in the diff, as the user wrote it.</param>
    public static async Task<IReadOnlyList<ZoneDiff>> CompareAsync(BaseCheckout checkout, string policyPath, string displayPath, string revision, bool allowIncludeOutside, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkout);
        ArgumentNullException.ThrowIfNull(policyPath);
        ArgumentNullException.ThrowIfNull(revision);
        var before = checkout.PolicyPath is { } basePolicy
            ? await RepositoryState.LoadAsync(basePolicy, $"{revision}:{displayPath}", allowIncludeOutside, time, cancellationToken).ConfigureAwait(false)
            : RepositoryState.Empty;
        var after = await RepositoryState.LoadAsync(policyPath, displayPath, allowIncludeOutside, time, cancellationToken).ConfigureAwait(false);
        return DelegationDiff.Compare(before, after, revision);
    }
}
