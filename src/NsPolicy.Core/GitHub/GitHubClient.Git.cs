using System.Globalization;
using System.Text.Json;

namespace NsPolicy.Core.GitHub;

/// <summary>A pull request as the pulls API returns it.</summary>
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
/// <c>check --open-pr</c> needs, with the same retries and token handling as the issue calls.
/// </summary>
public sealed partial class GitHubClient
{
    /// <summary>The contents API returns files up to this size inline.</summary>
    public const int MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>The repository's default branch (what pull requests go into).</summary>
    public Task<string> GetDefaultBranchAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, new Uri(root, repositoryPath), null, e => RequiredString(e, "default_branch"), cancellationToken);

    /// <summary>The commit a branch points at, or null when there is no such branch.</summary>
    public async Task<string?> GetBranchHeadAsync(string branch, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync(HttpMethod.Get, new Uri(root, $"{repositoryPath}/git/ref/heads/{Segments(branch)}"), null,
                e => Sha(RequiredString(e.GetProperty("object"), "sha")), cancellationToken).ConfigureAwait(false);
        }
        catch (GitHubApiException e) when (e.StatusCode == 404)
        {
            return null;
        }
    }

    /// <summary>The tree of a commit.</summary>
    public Task<string> GetCommitTreeAsync(string commit, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, new Uri(root, $"{repositoryPath}/git/commits/{Sha(commit)}"), null,
            e => Sha(RequiredString(e.GetProperty("tree"), "sha")), cancellationToken);

    /// <summary>A file at a revision (branch or commit), or null when it does not exist there.</summary>
    public async Task<GitHubFile?> GetFileAsync(string path, string revision, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync(HttpMethod.Get, new Uri(root, $"{repositoryPath}/contents/{Segments(path)}?ref={Uri.EscapeDataString(revision)}"), null,
                e => ReadFile(e, path), cancellationToken).ConfigureAwait(false);
        }
        catch (GitHubApiException e) when (e.StatusCode == 404)
        {
            return null;
        }
    }

    /// <summary>Stores bytes as a blob; returns its id.</summary>
    public Task<string> CreateBlobAsync(byte[] content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var body = GitHubJson.Write(json =>
        {
            json.WriteString("content", Convert.ToBase64String(content));
            json.WriteString("encoding", "base64");
        });
        return SendAsync(HttpMethod.Post, new Uri(root, $"{repositoryPath}/git/blobs"), body, e => Sha(RequiredString(e, "sha")), cancellationToken);
    }

    /// <summary>A tree that is <paramref name="baseTree"/> with the file at <paramref name="path"/> set to the blob.</summary>
    public Task<string> CreateTreeAsync(string baseTree, string path, string blob, CancellationToken cancellationToken)
    {
        var body = GitHubJson.Write(json =>
        {
            json.WriteString("base_tree", Sha(baseTree));
            json.WriteStartArray("tree");
            json.WriteStartObject();
            json.WriteString("path", path);
            json.WriteString("mode", "100644");
            json.WriteString("type", "blob");
            json.WriteString("sha", Sha(blob));
            json.WriteEndObject();
            json.WriteEndArray();
        });
        return SendAsync(HttpMethod.Post, new Uri(root, $"{repositoryPath}/git/trees"), body, e => Sha(RequiredString(e, "sha")), cancellationToken);
    }

    /// <summary>A commit of <paramref name="tree"/> on top of <paramref name="parent"/>; returns its id.</summary>
    public Task<string> CreateCommitAsync(string message, string tree, string parent, CancellationToken cancellationToken)
    {
        var body = GitHubJson.Write(json =>
        {
            json.WriteString("message", message);
            json.WriteString("tree", Sha(tree));
            json.WriteStartArray("parents");
            json.WriteStringValue(Sha(parent));
            json.WriteEndArray();
        });
        return SendAsync(HttpMethod.Post, new Uri(root, $"{repositoryPath}/git/commits"), body, e => Sha(RequiredString(e, "sha")), cancellationToken);
    }

    /// <summary>Creates a branch at a commit; a <see cref="GitHubApiException"/> with status 422 when it exists.</summary>
    public Task CreateBranchAsync(string branch, string commit, CancellationToken cancellationToken)
    {
        var body = GitHubJson.Write(json =>
        {
            json.WriteString("ref", "refs/heads/" + branch);
            json.WriteString("sha", Sha(commit));
        });
        return SendAsync(HttpMethod.Post, new Uri(root, $"{repositoryPath}/git/refs"), body, _ => true, cancellationToken);
    }

    /// <summary>Points an existing branch at a commit, whatever it pointed at before.</summary>
    public Task MoveBranchAsync(string branch, string commit, CancellationToken cancellationToken)
    {
        var body = GitHubJson.Write(json =>
        {
            json.WriteString("sha", Sha(commit));
            json.WriteBoolean("force", true);
        });
        return SendAsync(HttpMethod.Patch, new Uri(root, $"{repositoryPath}/git/refs/heads/{Segments(branch)}"), body, _ => true, cancellationToken);
    }

    /// <summary>Every pull request (any state) from <paramref name="branch"/> of this repository, oldest first.</summary>
    public async Task<IReadOnlyList<GitHubPullRequest>> ListPullRequestsAsync(string branch, CancellationToken cancellationToken)
    {
        var head = Uri.EscapeDataString($"{options.Repository.Owner}:{branch}");
        var pulls = await ListAsync($"{repositoryPath}/pulls?state=all&head={head}&sort=created&direction=asc&per_page={PageSize}", ReadPullRequest, cancellationToken)
            .ConfigureAwait(false);
        return [.. pulls.Where(p => p.HeadBranch == branch).OrderBy(p => p.Number)];
    }

    /// <summary>Opens a pull request; a <see cref="GitHubApiException"/> with status 422 when one is already open for the branch.</summary>
    public Task<GitHubPullRequest> CreatePullRequestAsync(string title, string head, string baseBranch, string body, CancellationToken cancellationToken)
    {
        var json = GitHubJson.Write(j =>
        {
            j.WriteString("title", title);
            j.WriteString("head", head);
            j.WriteString("base", baseBranch);
            j.WriteString("body", body);
            j.WriteBoolean("maintainer_can_modify", true);
        });
        return SendAsync(HttpMethod.Post, new Uri(root, $"{repositoryPath}/pulls"), json, ReadPullRequest, cancellationToken);
    }

    /// <summary>Changes a pull request's title, body or state; null members are left as they are.</summary>
    public Task<GitHubPullRequest> EditPullRequestAsync(int number, string? title, string? body, GitHubIssueState? state, CancellationToken cancellationToken)
    {
        var json = GitHubJson.Write(j =>
        {
            if (title is not null)
            {
                j.WriteString("title", title);
            }

            if (body is not null)
            {
                j.WriteString("body", body);
            }

            if (state is { } s)
            {
                j.WriteString("state", s == GitHubIssueState.Open ? "open" : "closed");
            }
        });
        return SendAsync(HttpMethod.Patch, new Uri(root, $"{repositoryPath}/pulls/{Number(number)}"), json, ReadPullRequest, cancellationToken);
    }

    private static GitHubPullRequest ReadPullRequest(JsonElement e)
    {
        var state = RequiredString(e, "state") switch
        {
            "open" => GitHubIssueState.Open,
            "closed" => GitHubIssueState.Closed,
            var other => throw new JsonException($"unknown pull request state '{other}'"),
        };
        var merged = e.TryGetProperty("merged_at", out var mergedAt) && mergedAt.ValueKind == JsonValueKind.String;
        var created = OptionalString(e, "created_at") is { } text
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : DateTimeOffset.MinValue;
        return new GitHubPullRequest(
            e.GetProperty("number").GetInt32(),
            OptionalString(e, "title") ?? string.Empty,
            OptionalString(e, "body") ?? string.Empty,
            state,
            merged,
            RequiredString(e.GetProperty("head"), "ref"),
            RequiredString(e.GetProperty("base"), "ref"),
            created,
            OptionalString(e, "html_url"));
    }

    private static GitHubFile ReadFile(JsonElement e, string path)
    {
        if (OptionalString(e, "type") is { } type && type != "file")
        {
            throw new JsonException($"{path} is a {type}, not a file");
        }

        if (e.TryGetProperty("size", out var size) && size.TryGetInt64(out var bytes) && bytes > MaxFileBytes)
        {
            throw new JsonException(string.Create(CultureInfo.InvariantCulture, $"{path} is {bytes} bytes; a policy is at most {MaxFileBytes}"));
        }

        if (OptionalString(e, "encoding") != "base64")
        {
            throw new JsonException($"{path} did not come base64-encoded (too large for the contents API?)");
        }

        var content = Convert.FromBase64String(RequiredString(e, "content").Replace("\n", string.Empty, StringComparison.Ordinal));
        if (content.Length > MaxFileBytes)
        {
            throw new JsonException(string.Create(CultureInfo.InvariantCulture, $"{path} is more than {MaxFileBytes} bytes"));
        }

        return new GitHubFile(path, Sha(RequiredString(e, "sha")), content);
    }

    /// <summary>A path or branch name for a URL: each '/'-separated part escaped.</summary>
    private static string Segments(string path) =>
        string.Join('/', path.Split('/').Select(part => part is "" or "." or ".."
            ? throw new ArgumentException($"'{path}' is not a plain relative path", nameof(path))
            : Uri.EscapeDataString(part)));

    /// <summary>A git object id from a response, checked (a JSON error otherwise) so that it cannot change a later request's path.</summary>
    private static string Sha(string sha) =>
        sha.Length is >= 4 and <= 64 && sha.All(char.IsAsciiHexDigit) ? sha : throw new JsonException("GitHub returned an object id that is not hexadecimal");

    private static string RequiredString(JsonElement e, string name) =>
        OptionalString(e, name) ?? throw new JsonException($"member '{name}' is missing");

    private static string? OptionalString(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
