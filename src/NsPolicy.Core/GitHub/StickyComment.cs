namespace NsPolicy.Core.GitHub;

/// <summary>What happened to the sticky comment.</summary>
public enum StickyCommentAction
{
    Unchanged,
    Created,
    Updated,
}

public sealed record StickyCommentResult(StickyCommentAction Action, int IssueNumber, long? CommentId, bool DryRun)
{
    public string Describe() => (Action, DryRun) switch
    {
        (StickyCommentAction.Created, false) => $"commented on #{IssueNumber}",
        (StickyCommentAction.Created, true) => $"would comment on #{IssueNumber}",
        (StickyCommentAction.Updated, false) => $"updated the comment on #{IssueNumber}",
        (StickyCommentAction.Updated, true) => $"would update the comment on #{IssueNumber}",
        _ => $"the comment on #{IssueNumber} is up to date",
    };
}

/// <summary>
/// One comment on a pull request (or issue) that nspolicy edits on every run instead of adding a
/// new one: found again by its hidden marker; created when absent. When several carry the marker
/// (two runs raced), the oldest is kept up to date.
/// </summary>
public sealed class StickyComment(GitHubClient client)
{
    public async Task<StickyCommentResult> UpsertAsync(int number, string key, string body, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var marker = IssueMarker.ForComment(key);
        var text = marker + "\n" + body.ReplaceLineEndings("\n").TrimEnd() + "\n";
        var comments = await client.ListCommentsAsync(number, cancellationToken).ConfigureAwait(false);
        var existing = comments.FirstOrDefault(c => Carries(c, marker));
        if (existing is null)
        {
            // A create whose answer was lost may have posted the comment: look for the marker before posting another.
            var created = dryRun ? null : await client.CreateOnceAsync(
                c => client.CreateCommentAsync(number, text, c),
                async c => (await client.ListCommentsAsync(number, c).ConfigureAwait(false)).FirstOrDefault(x => Carries(x, marker)),
                cancellationToken).ConfigureAwait(false);
            return new StickyCommentResult(StickyCommentAction.Created, number, created?.Id, dryRun);
        }

        if ((existing.Body ?? string.Empty).ReplaceLineEndings("\n").TrimEnd() == text.TrimEnd())
        {
            return new StickyCommentResult(StickyCommentAction.Unchanged, number, existing.Id, dryRun);
        }

        if (!dryRun)
        {
            await client.EditCommentAsync(existing.Id, text, cancellationToken).ConfigureAwait(false);
        }

        return new StickyCommentResult(StickyCommentAction.Updated, number, existing.Id, dryRun);
    }

    private static bool Carries(Octokit.IssueComment comment, string marker) => (comment.Body ?? string.Empty).Contains(marker, StringComparison.Ordinal);
}
