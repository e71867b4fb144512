using System.Globalization;
using System.Security.Cryptography;
using NsPolicy.Core.Accept;
using NsPolicy.Core.Init;
using NsPolicy.Core.Secrets;
using NsPolicy.Dns;

namespace NsPolicy.Core.GitHub;

/// <summary>How <c>check --open-pr</c> finds the policy in the repository and the zones' issues.</summary>
public sealed record PullRequestSyncOptions
{
    /// <summary>The policy file's path in the repository ('/'-separated, from its root).</summary>
    public required string PolicyPath { get; init; }

    /// <summary>The branch the pull requests go into; null: the repository's default branch.</summary>
    public string? BaseBranch { get; init; }

    /// <summary>The label of issue sync's issues, to link a zone's issue and its pull request.</summary>
    public string IssueLabel { get; init; } = "nspolicy";

    /// <summary>Plan only: read, change nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Masks secrets in the pull request's title and body (the committed policy is left as it is).</summary>
    public SecretMasker Masker { get; init; } = SecretMasker.None;
}

public enum PullRequestSyncAction
{
    Opened,
    Updated,
    Unchanged,
    Closed,

    /// <summary>Someone closed (or merged) the pull request for this same proposal: it is left so.</summary>
    Declined,

    /// <summary>Nothing can be proposed for the zone (see the reason); its pull request, if any, is left as it is.</summary>
    Skipped,
}

public sealed record PullRequestZoneResult(string Zone, PullRequestSyncAction Action, int? Number, string? Reason = null)
{
    public string Describe(bool dryRun)
    {
        var pr = Number is { } n ? string.Create(CultureInfo.InvariantCulture, $"pull request #{n}") : "a pull request";
        var text = (Action, dryRun) switch
        {
            (PullRequestSyncAction.Opened, false) => $"opened {pr} to accept the live delegation",
            (PullRequestSyncAction.Opened, true) => "would open a pull request to accept the live delegation",
            (PullRequestSyncAction.Updated, false) => $"updated {pr}",
            (PullRequestSyncAction.Updated, true) => $"would update {pr}",
            (PullRequestSyncAction.Closed, false) => $"closed {pr}: the policy states the live delegation",
            (PullRequestSyncAction.Closed, true) => $"would close {pr}: the policy states the live delegation",
            (PullRequestSyncAction.Declined, _) => $"{pr} for this delegation was closed by someone; left so",
            (PullRequestSyncAction.Skipped, _) => $"no pull request proposed: {Reason}",
            _ => $"{pr} is up to date",
        };
        return $"{Zone}: {text}";
    }
}

/// <summary>What the sync did per zone; <see cref="Warning"/> when it could not write (a fork or a read-only token) or found no policy.</summary>
public sealed record PullRequestSyncResult(IReadOnlyList<PullRequestZoneResult> Zones, bool DryRun, string? Warning)
{
    public IEnumerable<string> Describe() => Zones.Select(z => z.Describe(DryRun));
}

/// <summary>
/// Keeps one pull request per zone whose live delegation differs from the policy on the base
/// branch: from the branch <c>nspolicy/accept/ZONE</c>, one commit on the base branch's head that
/// rewrites only that zone's entry (<see cref="PolicyProposal"/>). Pull requests are found again by
/// branch and by the hidden marker in their body, which also carries a digest of the proposed file:
/// <list type="bullet">
/// <item>drift and no pull request: commit, point the branch at it, open one;</item>
/// <item>drift and an open one with another digest (the live state, or the base, changed): new commit, branch moved, body edited; the same digest: left alone;</item>
/// <item>drift and the latest one for this same digest was closed by someone (not by nspolicy): left closed, the owners declined it;</item>
/// <item>the policy on the base branch states what is live: the open pull request is commented and closed.</item>
/// </list>
/// Every step can be repeated: a branch that exists is moved, a pull request that another run opened
/// first is found again and taken over, comments are posted once. When the token cannot write, the
/// run warns and changes nothing more.
/// </summary>
public sealed class PullRequestSync(GitHubClient client, PullRequestSyncOptions options)
{
    public const string BranchPrefix = "nspolicy/accept/";

    private const string MarkerPrefix = "<!-- nspolicy:accept=";
    private const string ClosedMarker = "<!-- nspolicy:accept-closed -->";

    private string? baseTree;

    /// <summary>Brings the pull requests of the zones in <paramref name="live"/> (captured from this run's evidence) in step.</summary>
    public async Task<PullRequestSyncResult> SyncAsync(IReadOnlyList<ZoneBaseline> live, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(live);
        var baseBranch = options.BaseBranch ?? await client.GetDefaultBranchAsync(cancellationToken).ConfigureAwait(false);
        var baseHead = await client.GetBranchHeadAsync(baseBranch, cancellationToken).ConfigureAwait(false)
            ?? throw new GitHubApiException($"the base branch '{Excerpt.Of(baseBranch)}' does not exist");
        GitHubFile? policy;
        try
        {
            policy = await client.GetFileAsync(options.PolicyPath, baseHead, cancellationToken).ConfigureAwait(false);
        }
        catch (GitHubApiException e) when (e.StatusCode is >= 200 and < 300)
        {
            // Answered, but not with a file nspolicy can use: a folder, or a file too large for the contents API.
            return new([], options.DryRun, $"--open-pr: cannot read {options.PolicyPath} on the branch {baseBranch} ({e.Message}); no pull request is opened or changed");
        }

        if (policy is null)
        {
            return new([], options.DryRun, $"--open-pr: {options.PolicyPath} is not on the branch {baseBranch}; no pull request is opened or changed");
        }

        var issues = (await ListIssuesAsync(cancellationToken).ConfigureAwait(false))
            .Where(i => i.State.StringValue == "open")
            .Select(i => (Issue: i, Zone: IssueMarker.TryReadZone(i.Body ?? string.Empty, out var z) ? z : null))
            .Where(i => i.Zone is not null)
            .GroupBy(i => i.Zone!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.OrderBy(i => i.Issue.Number).First().Issue, StringComparer.OrdinalIgnoreCase);

        var results = new List<PullRequestZoneResult>();
        foreach (var zone in live.OrderBy(z => z.Zone))
        {
            try
            {
                var issue = issues.GetValueOrDefault(zone.Zone.ToString());
                if (await SyncZoneAsync(zone, policy, baseBranch, baseHead, issue, cancellationToken).ConfigureAwait(false) is { } result)
                {
                    results.Add(result);
                }
            }
            catch (GitHubApiException e) when (e.StatusCode == 403 || (e.StatusCode == 404 && e.Method is "POST" or "PATCH"))
            {
                return new(results, options.DryRun,
                    $"--open-pr: the token cannot write to {client.Repository} ({e.Message}); a fork's workflow or a read-only token gets no pull requests " +
                    "(the job needs contents: write and pull-requests: write)");
            }
        }

        return new(results, options.DryRun, null);
    }

    /// <summary>Issue sync's issues, to link; none when the token may not read issues (a job with only contents and pull-requests permissions).</summary>
    private async Task<IReadOnlyList<Octokit.Issue>> ListIssuesAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await client.ListIssuesAsync(options.IssueLabel, cancellationToken).ConfigureAwait(false);
        }
        catch (GitHubApiException e) when (e.StatusCode is 403 or 404)
        {
            return [];
        }
    }

    /// <summary>The branch of a zone's pull request, or null when git cannot name a branch after it.</summary>
    public static string? BranchFor(string zone)
    {
        var name = zone.TrimEnd('.');
        var plain = name.Length is > 0 and <= 200 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') &&
            !name.StartsWith('.') && !name.EndsWith(".lock", StringComparison.OrdinalIgnoreCase);
        return plain ? BranchPrefix + name.ToLowerInvariant() : null;
    }

    /// <summary>The zone and digest in a pull request's marker, or false.</summary>
    internal static bool TryReadMarker(string? body, out string zone, out string digest)
    {
        zone = digest = string.Empty;
        var start = body?.IndexOf(MarkerPrefix, StringComparison.Ordinal) ?? -1;
        if (start < 0)
        {
            return false;
        }

        var end = body!.IndexOf(" -->", start, StringComparison.Ordinal);
        var parts = end < 0 ? [] : body[(start + MarkerPrefix.Length)..end].Split(" digest=");
        if (parts.Length != 2 || parts[0].Length == 0 || parts[0].Any(char.IsWhiteSpace) || parts[1].Any(c => !char.IsAsciiHexDigit(c)))
        {
            return false;
        }

        (zone, digest) = (parts[0], parts[1]);
        return true;
    }

    private async Task<PullRequestZoneResult?> SyncZoneAsync(
        ZoneBaseline live, GitHubFile policy, string baseBranch, string baseHead, Octokit.Issue? issue, CancellationToken cancellationToken)
    {
        var zone = live.Zone.ToString();
        if (BranchFor(zone) is not { } branch)
        {
            return new(zone, PullRequestSyncAction.Skipped, null, "git cannot name a branch after this zone");
        }

        var proposal = await PolicyProposal.CreateAsync(options.PolicyPath, policy.Content, live.Zone, live, cancellationToken).ConfigureAwait(false);
        var all = await client.ListPullRequestsAsync(branch, cancellationToken).ConfigureAwait(false);
        var pulls = all.Where(p => IsOurs(p, zone)).ToList();
        var open = pulls.FirstOrDefault(p => p.State == GitHubIssueState.Open);
        if (open is null && all.FirstOrDefault(p => p.State == GitHubIssueState.Open) is { } foreign)
        {
            return Foreign(zone, branch, foreign);
        }

        switch (proposal.Kind)
        {
            case ProposalKind.Uncertain or ProposalKind.Refused:
                return new(zone, PullRequestSyncAction.Skipped, open?.Number, proposal.Reason);
            case ProposalKind.Matches:
                if (open is null)
                {
                    return null;
                }

                if (!options.DryRun)
                {
                    await EnsureCommentAsync(open.Number, ClosedMarker,
                        $"The policy on `{baseBranch}` now states the live delegation of zone `{zone}` (the drift cleared, or the policy was changed to match): nspolicy closes this pull request.",
                        lastOnly: true, cancellationToken).ConfigureAwait(false);
                    await client.EditPullRequestAsync(open.Number, null, null, GitHubIssueState.Closed, cancellationToken).ConfigureAwait(false);
                }

                return new(zone, PullRequestSyncAction.Closed, open.Number);
        }

        var drift = proposal.Drift!;
        var digest = Convert.ToHexString(SHA256.HashData(proposal.Policy!))[..16].ToLowerInvariant();
        var title = options.Masker.Apply(AcceptanceBody.Title(drift));
        var body = $"{MarkerPrefix}{zone} digest={digest} -->\n\n" +
            options.Masker.Apply(AcceptanceBody.Render(drift, options.PolicyPath, issue is null ? null : new DriftIssue(issue.Number, issue.CreatedAt)));
        if (open is not null)
        {
            TryReadMarker(open.Body, out _, out var current);
            if (current == digest && Same(open.Title, title) && Same(open.Body, body))
            {
                await LinkIssueAsync(issue, open.Number, zone, cancellationToken).ConfigureAwait(false);
                return new(zone, PullRequestSyncAction.Unchanged, open.Number);
            }

            if (!options.DryRun)
            {
                if (current != digest)
                {
                    await PushAsync(branch, proposal.Policy!, baseHead, zone, cancellationToken).ConfigureAwait(false);
                }

                await client.EditPullRequestAsync(open.Number, title, body, null, cancellationToken).ConfigureAwait(false);
                await LinkIssueAsync(issue, open.Number, zone, cancellationToken).ConfigureAwait(false);
            }

            return new(zone, PullRequestSyncAction.Updated, open.Number);
        }

        if (pulls.Count > 0 && TryReadMarker(pulls[^1].Body, out _, out var last) && last == digest &&
            (pulls[^1].Merged || !await ClosedByUsAsync(pulls[^1].Number, cancellationToken).ConfigureAwait(false)))
        {
            return new(zone, PullRequestSyncAction.Declined, pulls[^1].Number);
        }

        if (options.DryRun)
        {
            return new(zone, PullRequestSyncAction.Opened, null);
        }

        await PushAsync(branch, proposal.Policy!, baseHead, zone, cancellationToken).ConfigureAwait(false);
        GitHubPullRequest? opened = null;
        try
        {
            opened = await client.CreatePullRequestAsync(title, branch, baseBranch, body, cancellationToken).ConfigureAwait(false);
        }
        catch (GitHubApiException e) when (e.StatusCode == 422)
        {
            // Another run (or a retried request whose answer was lost) opened it first: take it over.
            var openNow = (await client.ListPullRequestsAsync(branch, cancellationToken).ConfigureAwait(false))
                .Where(p => p.State == GitHubIssueState.Open).ToList();
            if (openNow.Count == 0)
            {
                throw;
            }

            var again = openNow.FirstOrDefault(p => IsOurs(p, zone));
            if (again is null)
            {
                return Foreign(zone, branch, openNow[0]);
            }

            opened = Same(again.Title, title) && Same(again.Body, body)
                ? again
                : await client.EditPullRequestAsync(again.Number, title, body, null, cancellationToken).ConfigureAwait(false);
        }

        await LinkIssueAsync(issue, opened.Number, zone, cancellationToken).ConfigureAwait(false);
        return new(zone, PullRequestSyncAction.Opened, opened.Number);
    }

    private static bool IsOurs(GitHubPullRequest pull, string zone) =>
        TryReadMarker(pull.Body, out var marked, out _) && string.Equals(marked, zone, StringComparison.OrdinalIgnoreCase);

    /// <summary>An open pull request from the zone's branch that is not nspolicy's: neither it nor the branch is touched.</summary>
    private static PullRequestZoneResult Foreign(string zone, string branch, GitHubPullRequest pull) =>
        new(zone, PullRequestSyncAction.Skipped, pull.Number,
            $"pull request #{pull.Number.ToString(CultureInfo.InvariantCulture)} from {branch} is not nspolicy's (no marker); it is left alone");

    /// <summary>Points the branch at a new commit on <paramref name="baseHead"/> holding the proposed policy.</summary>
    private async Task PushAsync(string branch, byte[] content, string baseHead, string zone, CancellationToken cancellationToken)
    {
        baseTree ??= await client.GetCommitTreeAsync(baseHead, cancellationToken).ConfigureAwait(false);
        var blob = await client.CreateBlobAsync(content, cancellationToken).ConfigureAwait(false);
        var tree = await client.CreateTreeAsync(baseTree, options.PolicyPath, blob, cancellationToken).ConfigureAwait(false);
        var commit = await client.CreateCommitAsync($"nspolicy: accept the live delegation of zone {zone}\n\nWritten by nspolicy check --open-pr: only the zone's entry in {options.PolicyPath} changes.",
            tree, baseHead, cancellationToken).ConfigureAwait(false);
        if (await client.GetBranchHeadAsync(branch, cancellationToken).ConfigureAwait(false) is null)
        {
            try
            {
                await client.CreateBranchAsync(branch, commit, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (GitHubApiException e) when (e.StatusCode == 422)
            {
                // Created meanwhile by another run, or by this request before its answer was lost.
            }
        }

        await client.MoveBranchAsync(branch, commit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tells the zone's issue about its pull request, once per pull request.</summary>
    private async Task LinkIssueAsync(Octokit.Issue? issue, int pull, string zone, CancellationToken cancellationToken)
    {
        if (issue is null || options.DryRun)
        {
            return;
        }

        var marker = string.Create(CultureInfo.InvariantCulture, $"<!-- nspolicy:accept-pr={pull} -->");
        await EnsureCommentAsync(issue.Number, marker,
            string.Create(CultureInfo.InvariantCulture,
                $"Pull request #{pull} proposes to accept the live delegation of zone `{zone}` into the policy. Merge it if the change is yours; close it and act on this issue if it is not."),
            lastOnly: false, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> ClosedByUsAsync(int number, CancellationToken cancellationToken)
    {
        var comments = await client.ListCommentsAsync(number, cancellationToken).ConfigureAwait(false);
        return comments.Count > 0 && (comments[^1].Body ?? string.Empty).Contains(ClosedMarker, StringComparison.Ordinal);
    }

    /// <summary>Posts the comment unless the last comment (or, with <paramref name="lastOnly"/> false, any comment) carries the marker.</summary>
    private async Task EnsureCommentAsync(int number, string marker, string text, bool lastOnly, CancellationToken cancellationToken)
    {
        var comments = await client.ListCommentsAsync(number, cancellationToken).ConfigureAwait(false);
        var posted = lastOnly
            ? comments.Count > 0 && (comments[^1].Body ?? string.Empty).Contains(marker, StringComparison.Ordinal)
            : comments.Any(c => (c.Body ?? string.Empty).Contains(marker, StringComparison.Ordinal));
        if (!posted)
        {
            await client.CreateCommentAsync(number, marker + "\n" + text, cancellationToken).ConfigureAwait(false);
        }
    }

    // GitHub's web editor stores CRLF; trailing white space is not content.
    private static bool Same(string a, string b) => a.ReplaceLineEndings("\n").TrimEnd() == b.ReplaceLineEndings("\n").TrimEnd();
}
