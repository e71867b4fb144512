using System.Globalization;
using Octokit;

namespace NsPolicy.Core.GitHub;

/// <summary>Whether a pull request is open or closed.</summary>
public enum GitHubIssueState
{
    Open,
    Closed,
}

/// <summary>What <c>check --open-pr</c> needs of a pull request (from Octokit's <see cref="PullRequest"/>).</summary>
public sealed record GitHubPullRequest(
    int Number,
    string Title,
    string Body,
    GitHubIssueState State,
    bool Merged,
    string HeadBranch,
    string BaseBranch,
    DateTimeOffset CreatedAt,
    string? HtmlUrl);

/// <summary>A file's bytes at a revision, with its blob id.</summary>
public sealed record GitHubFile(string Path, string BlobSha, byte[] Content);

/// <summary>
/// The repository, git data (refs, commits, blobs, trees), contents and pulls calls that
/// <c>check --open-pr</c> needs, on Octokit's models and the same handler (retries, token kept to
/// the API host) as the issue calls.
/// </summary>
public sealed partial class GitHubClient
{
    /// <summary>The contents API returns files up to this size inline.</summary>
    public const int MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>The repository's default branch (what pull requests go into).</summary>
    public async Task<string> GetDefaultBranchAsync(CancellationToken cancellationToken)
    {
        var repository = await CallAsync(() => connection.Get<Repository>(ApiUrls.Repository(Owner, Name), null, null, cancellationToken), cancellationToken).ConfigureAwait(false);
        return repository.DefaultBranch ?? throw Unexpected("GET", $"repos/{Owner}/{Name}", "no default_branch");
    }

    /// <summary>The commit a branch points at, or null when there is no such branch.</summary>
    public async Task<string?> GetBranchHeadAsync(string branch, CancellationToken cancellationToken)
    {
        try
        {
            var reference = await CallAsync(() => connection.Get<Reference>(Relative($"git/ref/heads/{Segments(branch)}"), null, null, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
            return Sha(reference.Object?.Sha);
        }
        catch (GitHubApiException e) when (e.StatusCode == 404)
        {
            return null;
        }
    }

    /// <summary>The tree of a commit.</summary>
    public async Task<string> GetCommitTreeAsync(string commit, CancellationToken cancellationToken)
    {
        var found = await CallAsync(() => connection.Get<Commit>(Relative($"git/commits/{Sha(commit)}"), null, null, cancellationToken), cancellationToken).ConfigureAwait(false);
        return Sha(found.Tree?.Sha);
    }

    /// <summary>A file at a revision (branch or commit), or null when it does not exist there.</summary>
    public async Task<GitHubFile?> GetFileAsync(string path, string revision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revision);
        RepositoryContent content;
        try
        {
            content = await CallAsync(() => connection.Get<RepositoryContent>(
                Relative($"contents/{Segments(path)}"), new Dictionary<string, string>(StringComparer.Ordinal) { ["ref"] = revision }, null, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (GitHubApiException e) when (e.StatusCode == 404)
        {
            return null;
        }

        if (content.Type.StringValue is { } type && type != "file")
        {
            throw Unexpected("GET", $"contents/{path}", $"{path} is a {type}, not a file");
        }

        if (content.Size > MaxFileBytes)
        {
            throw Unexpected("GET", $"contents/{path}", string.Create(CultureInfo.InvariantCulture, $"{path} is {content.Size} bytes; a policy is at most {MaxFileBytes}"));
        }

        if (content.Encoding != "base64" || content.EncodedContent is null)
        {
            throw Unexpected("GET", $"contents/{path}", $"{path} did not come base64-encoded (too large for the contents API?)");
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(content.EncodedContent.Replace("\n", string.Empty, StringComparison.Ordinal));
        }
        catch (FormatException)
        {
            throw Unexpected("GET", $"contents/{path}", $"{path} is not valid base64");
        }

        if (bytes.Length > MaxFileBytes)
        {
            throw Unexpected("GET", $"contents/{path}", string.Create(CultureInfo.InvariantCulture, $"{path} is more than {MaxFileBytes} bytes"));
        }

        return new GitHubFile(path, Sha(content.Sha), bytes);
    }

    /// <summary>Stores bytes as a blob; returns its id.</summary>
    public async Task<string> CreateBlobAsync(byte[] content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var blob = new NewBlob { Content = Convert.ToBase64String(content), Encoding = EncodingType.Base64 };
        var created = await CallAsync(() => connection.Post<BlobReference>(ApiUrls.Blobs(Owner, Name), blob, null, null, cancellationToken: cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        return Sha(created.Sha);
    }

    /// <summary>A tree that is <paramref name="baseTree"/> with the file at <paramref name="path"/> set to the blob.</summary>
    public async Task<string> CreateTreeAsync(string baseTree, string path, string blob, CancellationToken cancellationToken)
    {
        var tree = new NewTree { BaseTree = Sha(baseTree) };
        tree.Tree.Add(new NewTreeItem { Path = path, Mode = "100644", Type = TreeType.Blob, Sha = Sha(blob) });
        var created = await CallAsync(() => connection.Post<TreeResponse>(ApiUrls.Tree(Owner, Name), tree, null, null, cancellationToken: cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        return Sha(created.Sha);
    }

    /// <summary>A commit of <paramref name="tree"/> on top of <paramref name="parent"/>; returns its id.</summary>
    public async Task<string> CreateCommitAsync(string message, string tree, string parent, CancellationToken cancellationToken)
    {
        var commit = new NewCommit(message, Sha(tree), Sha(parent));
        var created = await CallAsync(() => connection.Post<Commit>(ApiUrls.CreateCommit(Owner, Name), commit, null, null, cancellationToken: cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        return Sha(created.Sha);
    }

    /// <summary>Creates a branch at a commit; a <see cref="GitHubApiException"/> with status 422 when it exists.</summary>
    public Task CreateBranchAsync(string branch, string commit, CancellationToken cancellationToken) =>
        CallAsync(() => connection.Post<Reference>(ApiUrls.Reference(Owner, Name), new NewReference("refs/heads/" + branch, Sha(commit)), null, null, cancellationToken: cancellationToken), cancellationToken);

    /// <summary>Points an existing branch at a commit, whatever it pointed at before.</summary>
    public Task MoveBranchAsync(string branch, string commit, CancellationToken cancellationToken) =>
        CallAsync(() => connection.Patch<Reference>(Relative($"git/refs/heads/{Segments(branch)}"), new ReferenceUpdate(Sha(commit), force: true)), cancellationToken);

    /// <summary>Every pull request (any state) from <paramref name="branch"/> of this repository, oldest first.</summary>
    public async Task<IReadOnlyList<GitHubPullRequest>> ListPullRequestsAsync(string branch, CancellationToken cancellationToken)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["state"] = "all",
            ["head"] = $"{Owner}:{branch}",
            ["sort"] = "created",
            ["direction"] = "asc",
            ["per_page"] = PageSize.ToString(CultureInfo.InvariantCulture),
        };
        var pulls = await ListAsync<PullRequest>(ApiUrls.PullRequests(Owner, Name), parameters, cancellationToken).ConfigureAwait(false);
        return [.. pulls.Select(ToPullRequest).Where(p => p.HeadBranch == branch).OrderBy(p => p.Number)];
    }

    /// <summary>Opens a pull request; a <see cref="GitHubApiException"/> with status 422 when one is already open for the branch.</summary>
    public async Task<GitHubPullRequest> CreatePullRequestAsync(string title, string head, string baseBranch, string body, CancellationToken cancellationToken)
    {
        var pull = new NewPullRequest(title, head, baseBranch) { Body = body, MaintainerCanModify = true };
        return ToPullRequest(await CallAsync(() => connection.Post<PullRequest>(ApiUrls.PullRequests(Owner, Name), pull, null, null, cancellationToken: cancellationToken), cancellationToken)
            .ConfigureAwait(false));
    }

    /// <summary>Changes a pull request's title, body or state; null members are left as they are.</summary>
    public async Task<GitHubPullRequest> EditPullRequestAsync(int number, string? title, string? body, GitHubIssueState? state, CancellationToken cancellationToken)
    {
        var update = new PullRequestUpdate
        {
            Title = title,
            Body = body,
            State = state switch
            {
                GitHubIssueState.Open => ItemState.Open,
                GitHubIssueState.Closed => ItemState.Closed,
                _ => null,
            },
        };
        return ToPullRequest(await CallAsync(() => connection.Patch<PullRequest>(ApiUrls.PullRequest(Owner, Name, Number(number)), update), cancellationToken).ConfigureAwait(false));
    }

    private GitHubPullRequest ToPullRequest(PullRequest pull) => new(
        pull.Number,
        pull.Title ?? string.Empty,
        pull.Body ?? string.Empty,
        pull.State.StringValue == "open" ? GitHubIssueState.Open : GitHubIssueState.Closed,
        pull.MergedAt is not null,
        pull.Head?.Ref ?? throw Unexpected("GET", "pulls", "a pull request without head.ref"),
        pull.Base?.Ref ?? throw Unexpected("GET", "pulls", "a pull request without base.ref"),
        pull.CreatedAt,
        pull.HtmlUrl);

    /// <summary>A path under this repository's API address.</summary>
    private Uri Relative(string path) => new($"repos/{Uri.EscapeDataString(Owner)}/{Uri.EscapeDataString(Name)}/{path}", UriKind.Relative);

    /// <summary>GitHub answered (2xx) with something nspolicy cannot use: the status says so, so callers can tell it from a failed call.</summary>
    private GitHubApiException Unexpected(string method, string path, string reason) =>
        new(method, handler.Mask("/" + path), 200, handler.Mask(reason));

    /// <summary>A path or branch name for a URL: each '/'-separated part escaped.</summary>
    private static string Segments(string path) =>
        string.Join('/', path.Split('/').Select(part => part is "" or "." or ".."
            ? throw new ArgumentException($"'{path}' is not a plain relative path", nameof(path))
            : Uri.EscapeDataString(part)));

    /// <summary>A git object id from a response, checked so that it cannot change a later request's path.</summary>
    private static string Sha(string? sha) =>
        sha is { Length: >= 4 and <= 64 } && sha.All(char.IsAsciiHexDigit) ? sha : throw new GitHubApiException("GitHub returned an object id that is not hexadecimal");
}
