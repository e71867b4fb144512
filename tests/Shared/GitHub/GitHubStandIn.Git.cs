using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace NsPolicy.Tests.Shared.GitHub;

/// <summary>
/// The repository side of the stand-in: a small content-addressed git store (blobs, trees of
/// whole paths, commits, branches), the contents API to read a file at a branch or commit, the git
/// data API (refs, commits, blobs, trees) and the pulls API (list by head and state, create, edit),
/// with GitHub's errors for an existing branch (422), a second open pull request for the same head
/// (422) and a head without changes (422). Pull requests share numbers and comments with issues, as
/// on GitHub. With <see cref="ReadOnly"/> every write answers 403, as for a fork's token.
/// </summary>
internal sealed partial class GitHubStandIn
{
    private readonly Dictionary<string, byte[]> blobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<string, string>> trees = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StandInCommit> commits = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> branches = new(StringComparer.Ordinal);
    private readonly Dictionary<int, (string Head, string Base, bool Merged)> pulls = [];

    public string DefaultBranch { get; set; } = "main";

    /// <summary>Every write (POST, PATCH) answers 403 "Resource not accessible by integration".</summary>
    public bool ReadOnly { get; set; }

    /// <summary>Branch names and the commits they point at.</summary>
    public IReadOnlyDictionary<string, string> Branches
    {
        get
        {
            lock (gate)
            {
                return new Dictionary<string, string>(branches, StringComparer.Ordinal);
            }
        }
    }

    public IReadOnlyList<StandInPull> PullRequests
    {
        get
        {
            lock (gate)
            {
                return [.. issues.Where(i => i.IsPullRequest && pulls.ContainsKey(i.Number))
                    .Select(i => new StandInPull(i.Number, i.Title, i.Body, i.State, pulls[i.Number].Head, pulls[i.Number].Base, pulls[i.Number].Merged))
                    .OrderBy(p => p.Number)];
            }
        }
    }

    /// <summary>Commits <paramref name="content"/> at <paramref name="path"/> on a branch (created from the default branch, or empty, when missing).</summary>
    public string CommitFile(string branch, string path, byte[] content, string message = "change")
    {
        lock (gate)
        {
            var parent = branches.GetValueOrDefault(branch) ?? branches.GetValueOrDefault(DefaultBranch);
            var files = parent is null ? new SortedDictionary<string, string>(StringComparer.Ordinal) : new SortedDictionary<string, string>(trees[commits[parent].Tree], StringComparer.Ordinal);
            files[path] = StoreBlob(content);
            var commit = StoreCommit(StoreTree(files), parent is null ? [] : [parent], message);
            branches[branch] = commit;
            return commit;
        }
    }

    /// <summary>The file at a branch's head, or null.</summary>
    public byte[]? FileAt(string branch, string path)
    {
        lock (gate)
        {
            return branches.TryGetValue(branch, out var head) && trees[commits[head].Tree].TryGetValue(path, out var blob) ? blobs[blob] : null;
        }
    }

    /// <summary>The commits on a branch, newest first (first parents).</summary>
    public IReadOnlyList<StandInCommit> History(string branch)
    {
        lock (gate)
        {
            var list = new List<StandInCommit>();
            for (var sha = branches.GetValueOrDefault(branch); sha is not null; sha = commits[sha].Parents.FirstOrDefault())
            {
                list.Add(commits[sha]);
            }

            return list;
        }
    }

    /// <summary>Merges a pull request as someone on the web page would: its base branch takes the head's files.</summary>
    public void Merge(int number)
    {
        lock (gate)
        {
            var (head, baseBranch, _) = pulls[number];
            var merged = StoreCommit(commits[branches[head]].Tree, [branches[baseBranch], branches[head]], $"Merge pull request #{number}");
            branches[baseBranch] = merged;
            pulls[number] = (head, baseBranch, true);
            var index = issues.FindIndex(i => i.Number == number);
            issues[index] = issues[index] with { State = "closed", UpdatedAt = Tick(), ClosedAt = Tick() };
        }
    }

    private (int, string, string?)? RouteRepository(HttpExchange exchange, StandInRequest request, string[] rest)
    {
        if (rest.Length > 0 && rest[0] == "issues")
        {
            return null;
        }

        if (ReadOnly && request.IsMutation)
        {
            return (403, """{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest"}""", null);
        }

        JsonElement input = default;
        if (request.IsMutation)
        {
            try
            {
                using var doc = JsonDocument.Parse(exchange.Body);
                input = doc.RootElement.Clone();
            }
            catch (JsonException)
            {
                return (400, """{"message":"Problems parsing JSON"}""", null);
            }
        }

        var path = rest.Select(Uri.UnescapeDataString).ToArray();
        lock (gate)
        {
            return (request.Method, path) switch
            {
                ("GET", []) => (200, RepositoryJson(), null),
                ("GET", ["contents", .. var file]) => Contents(string.Join('/', file), Query(exchange)["ref"] ?? DefaultBranch),
                ("GET", ["git", "ref", "heads", .. var branch]) when branches.TryGetValue(string.Join('/', branch), out var sha) => (200, RefJson(string.Join('/', branch), sha), null),
                ("POST", ["git", "refs"]) => CreateRef(input),
                ("PATCH", ["git", "refs", "heads", .. var branch]) when branches.ContainsKey(string.Join('/', branch)) => MoveRef(string.Join('/', branch), input),
                ("GET", ["git", "commits", var sha]) when commits.TryGetValue(sha, out var commit) => (200, CommitJson(commit), null),
                ("POST", ["git", "commits"]) => CreateCommit(input),
                ("POST", ["git", "blobs"]) => CreateBlob(input),
                ("POST", ["git", "trees"]) => CreateTree(input),
                ("GET", ["pulls"]) => ListPulls(exchange),
                ("POST", ["pulls"]) => CreatePull(input),
                ("GET", ["pulls", var n]) when Pull(n) is { } pr => (200, PullJson(pr), null),
                ("PATCH", ["pulls", var n]) when Pull(n) is { } pr => EditPull(pr, input),
                _ => NotFound(),
            };
        }
    }

    private string RepositoryJson() => Json(json =>
    {
        json.WriteString("full_name", Repository);
        json.WriteString("default_branch", DefaultBranch);
        json.WriteStartObject("permissions");
        json.WriteBoolean("push", !ReadOnly);
        json.WriteEndObject();
    });

    private (int, string, string?) Contents(string path, string revision)
    {
        var commit = branches.GetValueOrDefault(revision) ?? (commits.ContainsKey(revision) ? revision : null);
        if (commit is null || !trees[commits[commit].Tree].TryGetValue(path, out var blob))
        {
            return NotFound();
        }

        var content = blobs[blob];
        return (200, Json(json =>
        {
            json.WriteString("type", "file");
            json.WriteString("path", path);
            json.WriteString("name", path.Split('/')[^1]);
            json.WriteString("sha", blob);
            json.WriteNumber("size", content.Length);
            json.WriteString("encoding", "base64");
            // GitHub wraps the base64 text at 60 characters.
            json.WriteString("content", string.Join("\n", Convert.ToBase64String(content).Chunk(60).Select(c => new string(c))) + "\n");
        }), null);
    }

    private string RefJson(string branch, string sha) => Json(json =>
    {
        json.WriteString("ref", "refs/heads/" + branch);
        json.WriteStartObject("object");
        json.WriteString("sha", sha);
        json.WriteString("type", "commit");
        json.WriteEndObject();
    });

    private (int, string, string?) CreateRef(JsonElement input)
    {
        var name = String(input, "ref");
        var sha = String(input, "sha");
        if (name is null || !name.StartsWith("refs/heads/", StringComparison.Ordinal) || sha is null || !commits.ContainsKey(sha))
        {
            return Invalid("ref");
        }

        var branch = name["refs/heads/".Length..];
        if (branches.ContainsKey(branch))
        {
            return (422, """{"message":"Reference already exists","documentation_url":"https://docs.github.com/rest/git/refs#create-a-reference"}""", null);
        }

        branches[branch] = sha;
        return (201, RefJson(branch, sha), null);
    }

    private (int, string, string?) MoveRef(string branch, JsonElement input)
    {
        var sha = String(input, "sha");
        if (sha is null || !commits.ContainsKey(sha))
        {
            return Invalid("sha");
        }

        var force = input.TryGetProperty("force", out var f) && f.ValueKind == JsonValueKind.True;
        if (!force && !IsAncestor(branches[branch], sha))
        {
            return (422, """{"message":"Update is not a fast forward"}""", null);
        }

        branches[branch] = sha;
        return (200, RefJson(branch, sha), null);
    }

    private bool IsAncestor(string ancestor, string sha)
    {
        var queue = new Queue<string>([sha]);
        while (queue.TryDequeue(out var next))
        {
            if (next == ancestor)
            {
                return true;
            }

            foreach (var parent in commits[next].Parents)
            {
                queue.Enqueue(parent);
            }
        }

        return false;
    }

    private (int, string, string?) CreateBlob(JsonElement input)
    {
        var content = String(input, "content");
        if (content is null)
        {
            return Invalid("content");
        }

        var bytes = String(input, "encoding") == "base64" ? Convert.FromBase64String(content) : Encoding.UTF8.GetBytes(content);
        var sha = StoreBlob(bytes);
        return (201, Json(json => json.WriteString("sha", sha)), null);
    }

    private (int, string, string?) CreateTree(JsonElement input)
    {
        var files = String(input, "base_tree") is { } baseTree && trees.TryGetValue(baseTree, out var existing)
            ? new SortedDictionary<string, string>(existing, StringComparer.Ordinal)
            : new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!input.TryGetProperty("tree", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            return Invalid("tree");
        }

        foreach (var entry in entries.EnumerateArray())
        {
            var path = String(entry, "path");
            var blob = String(entry, "sha");
            if (path is null || blob is null || !blobs.ContainsKey(blob) || String(entry, "type") != "blob")
            {
                return Invalid("tree");
            }

            files[path] = blob;
        }

        var sha = StoreTree(files);
        return (201, Json(json => json.WriteString("sha", sha)), null);
    }

    private (int, string, string?) CreateCommit(JsonElement input)
    {
        var tree = String(input, "tree");
        var parents = input.TryGetProperty("parents", out var p) && p.ValueKind == JsonValueKind.Array
            ? p.EnumerateArray().Select(x => x.GetString() ?? string.Empty).ToList()
            : [];
        if (tree is null || !trees.ContainsKey(tree) || parents.Any(x => !commits.ContainsKey(x)))
        {
            return Invalid("tree");
        }

        var sha = StoreCommit(tree, parents, String(input, "message") ?? string.Empty);
        return (201, CommitJson(commits[sha]), null);
    }

    private (int, string, string?) ListPulls(HttpExchange exchange)
    {
        var query = Query(exchange);
        var state = query["state"] ?? "open";
        var head = query["head"];
        var selected = issues.Where(i => i.IsPullRequest && pulls.ContainsKey(i.Number))
            .Where(i => state == "all" || i.State == state)
            .Where(i => head is null || $"{Owner}:{pulls[i.Number].Head}" == head)
            .OrderBy(i => i.Number)
            .ToList();
        return Page(exchange, selected, PullJson);
    }

    private (int, string, string?) CreatePull(JsonElement input)
    {
        var title = String(input, "title");
        var head = String(input, "head");
        var baseBranch = String(input, "base");
        if (title is null || head is null || baseBranch is null || !branches.ContainsKey(baseBranch))
        {
            return Invalid("base");
        }

        head = head.StartsWith(Owner + ":", StringComparison.Ordinal) ? head[(Owner.Length + 1)..] : head;
        if (!branches.TryGetValue(head, out var headSha))
        {
            return Invalid("head");
        }

        if (issues.Any(i => i.IsPullRequest && i.State == "open" && pulls.TryGetValue(i.Number, out var pr) && pr.Head == head && pr.Base == baseBranch))
        {
            return (422, $$"""{"message":"Validation Failed","errors":[{"resource":"PullRequest","code":"custom","message":"A pull request already exists for {{Owner}}:{{head}}."}]}""", null);
        }

        if (commits[headSha].Tree == commits[branches[baseBranch]].Tree)
        {
            return (422, $$"""{"message":"Validation Failed","errors":[{"resource":"PullRequest","code":"custom","message":"No commits between {{baseBranch}} and {{head}}"}]}""", null);
        }

        var now = Tick();
        var issue = new StandInIssue(nextNumber++, title, String(input, "body") ?? string.Empty, "open", null, [], now, now, null, true);
        issues.Add(issue);
        pulls[issue.Number] = (head, baseBranch, false);
        return (201, PullJson(issue), null);
    }

    private (int, string, string?) EditPull(StandInIssue pr, JsonElement input)
    {
        var updated = pr with { UpdatedAt = Tick() };
        if (String(input, "title") is { } title)
        {
            updated = updated with { Title = title };
        }

        if (String(input, "body") is { } body)
        {
            updated = updated with { Body = body };
        }

        switch (String(input, "state"))
        {
            case null:
                break;
            case "closed":
                updated = updated with { State = "closed", ClosedAt = pr.ClosedAt ?? updated.UpdatedAt };
                break;
            case "open" when !pulls[pr.Number].Merged && branches.ContainsKey(pulls[pr.Number].Head):
                updated = updated with { State = "open", ClosedAt = null };
                break;
            default:
                return Invalid("state");
        }

        issues[issues.IndexOf(pr)] = updated;
        return (200, PullJson(updated), null);
    }

    private StandInIssue? Pull(string number) => Find(number) is { IsPullRequest: true } pr && pulls.ContainsKey(pr.Number) ? pr : null;

    private string PullJson(StandInIssue pr)
    {
        var (head, baseBranch, merged) = pulls[pr.Number];
        return Json(json =>
        {
            json.WriteNumber("id", 300_000 + pr.Number);
            json.WriteNumber("number", pr.Number);
            json.WriteString("state", pr.State);
            json.WriteString("title", pr.Title);
            json.WriteString("body", pr.Body);
            json.WriteString("html_url", $"https://github.example/{Repository}/pull/{pr.Number}");
            json.WriteString("created_at", Time(pr.CreatedAt));
            json.WriteString("updated_at", Time(pr.UpdatedAt));
            if (pr.ClosedAt is { } closed)
            {
                json.WriteString("closed_at", Time(closed));
            }
            else
            {
                json.WriteNull("closed_at");
            }

            if (merged)
            {
                json.WriteString("merged_at", Time(pr.ClosedAt ?? pr.UpdatedAt));
            }
            else
            {
                json.WriteNull("merged_at");
            }

            json.WriteStartObject("head");
            json.WriteString("ref", head);
            json.WriteString("label", $"{Owner}:{head}");
            json.WriteString("sha", branches.GetValueOrDefault(head) ?? string.Empty);
            json.WriteEndObject();
            json.WriteStartObject("base");
            json.WriteString("ref", baseBranch);
            json.WriteString("label", $"{Owner}:{baseBranch}");
            json.WriteEndObject();
        });
    }

    private static string CommitJson(StandInCommit commit) => Json(json =>
    {
        json.WriteString("sha", commit.Sha);
        json.WriteString("message", commit.Message);
        json.WriteStartObject("tree");
        json.WriteString("sha", commit.Tree);
        json.WriteEndObject();
        json.WriteStartArray("parents");
        foreach (var parent in commit.Parents)
        {
            json.WriteStartObject();
            json.WriteString("sha", parent);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    });

    private string StoreBlob(byte[] content)
    {
        var sha = Hash("blob", content);
        blobs[sha] = content;
        return sha;
    }

    private string StoreTree(SortedDictionary<string, string> files)
    {
        var sha = Hash("tree", Encoding.UTF8.GetBytes(string.Join("\n", files.Select(f => $"{f.Key} {f.Value}"))));
        trees[sha] = files;
        return sha;
    }

    private string StoreCommit(string tree, IReadOnlyList<string> parents, string message)
    {
        // Commits carry the stand-in's clock, so two commits of the same tree and parent differ as on GitHub.
        var sha = Hash("commit", Encoding.UTF8.GetBytes($"{tree}\n{string.Join(" ", parents)}\n{Tick():O}\n{message}"));
        commits[sha] = new StandInCommit(sha, tree, parents, message);
        return sha;
    }

    private static string Hash(string kind, byte[] content) =>
        Convert.ToHexString(SHA1.HashData([.. Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{kind} {content.Length}\0")), .. content])).ToLowerInvariant();

    private static string? String(JsonElement input, string name) =>
        input.ValueKind == JsonValueKind.Object && input.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

internal sealed record StandInCommit(string Sha, string Tree, IReadOnlyList<string> Parents, string Message);

internal sealed record StandInPull(int Number, string Title, string Body, string State, string Head, string Base, bool Merged);
