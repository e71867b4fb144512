using System.Collections.Specialized;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Web;

namespace NsPolicy.Tests.Shared.GitHub;

/// <summary>
/// A stand-in for the GitHub REST API on a loopback port: a real HTTP server (<see cref="LoopbackHttpServer"/>) holding one
/// repository's issues and comments in memory. It answers the issue and issue-comment endpoints
/// with GitHub's JSON shapes, label and state filters, <c>Link</c> pagination and bearer-token
/// checks, and can be told to misbehave: rate limits, 5xx, delays, held requests, and connections
/// cut before or after the request took effect.
/// </summary>
internal sealed partial class GitHubStandIn : IAsyncDisposable
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly object gate = new();
    private readonly LoopbackHttpServer server;
    private readonly List<StandInIssue> issues = [];
    private readonly List<StandInComment> comments = [];
    private readonly List<Fault> faults = [];
    private readonly List<string> requests = [];
    private int nextNumber = 1;
    private long nextCommentId = 9000;
    private int ticks;
    private int mutations;
    private int? killAfterMutations;
    private bool killLosesResponse;

    private GitHubStandIn(string owner, string name, string token)
    {
        server = new LoopbackHttpServer(HandleAsync);
        Owner = owner;
        Name = name;
        Token = token;
    }

    public string Owner { get; }

    public string Name { get; }

    public string Repository => $"{Owner}/{Name}";

    public string Token { get; }

    public Uri BaseUri => server.BaseUri;

    /// <summary>Runs before a request is handled (after faults are chosen); tests use it to hold a request back.</summary>
    public Func<StandInRequest, Task>? BeforeHandling { get; set; }

    /// <summary>
    /// Runs after a request has taken effect and before its answer is sent; tests use it to hold
    /// answers so that two clients see the same state.
    /// </summary>
    public Func<StandInRequest, Task>? BeforeReplying { get; set; }

    /// <summary>Every request received, as "METHOD /path?query" with the Authorization value replaced by its kind.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (gate)
            {
                return [.. requests];
            }
        }
    }

    /// <summary>Requests that changed state (POST/PATCH that succeeded).</summary>
    public int Mutations
    {
        get
        {
            lock (gate)
            {
                return mutations;
            }
        }
    }

    public IReadOnlyList<StandInIssue> Issues
    {
        get
        {
            lock (gate)
            {
                return issues.Select(i => i with { }).OrderBy(i => i.Number).ToList();
            }
        }
    }

    public static Task<GitHubStandIn> StartAsync(string repository = "acme/dns", string token = "ghs_standInToken0123456789")
    {
        var parts = repository.Split('/');
        return Task.FromResult(new GitHubStandIn(parts[0], parts[1], token));
    }

    public IReadOnlyList<StandInComment> CommentsOn(int number)
    {
        lock (gate)
        {
            return comments.Where(c => c.IssueNumber == number).OrderBy(c => c.Id).ToList();
        }
    }

    /// <summary>Puts an issue (or pull request) in the repository directly, as if someone had made it earlier.</summary>
    public StandInIssue Seed(string title, string body, IEnumerable<string> labels, bool closed = false, bool pullRequest = false)
    {
        lock (gate)
        {
            var now = Tick();
            var issue = new StandInIssue(nextNumber++, title, body, closed ? "closed" : "open", closed ? "completed" : null, [.. labels], now, now, closed ? now : null, pullRequest);
            issues.Add(issue);
            return issue;
        }
    }

    /// <summary>Changes an issue behind the client's back, as someone on the web page would.</summary>
    public void Change(int number, Func<StandInIssue, StandInIssue> change)
    {
        lock (gate)
        {
            var index = issues.FindIndex(i => i.Number == number);
            issues[index] = change(issues[index]) with { UpdatedAt = Tick() };
        }
    }

    public StandInComment SeedComment(int number, string body)
    {
        lock (gate)
        {
            var comment = new StandInComment(nextCommentId++, number, body, Tick());
            comments.Add(comment);
            return comment;
        }
    }

    /// <summary>Makes the next <paramref name="times"/> requests that match misbehave as <paramref name="kind"/>.</summary>
    public void AddFault(Func<StandInRequest, bool> match, FaultKind kind, int times = 1, int seconds = 0)
    {
        lock (gate)
        {
            faults.Add(new Fault(match, kind, times, seconds));
        }
    }

    /// <summary>
    /// Simulates a run that dies: once <paramref name="count"/> mutations have taken effect every
    /// further request has its connection cut. With <paramref name="loseLastResponse"/> the
    /// <paramref name="count"/>-th mutation takes effect but its response is cut too.
    /// </summary>
    public void KillAfterMutations(int count, bool loseLastResponse)
    {
        lock (gate)
        {
            killAfterMutations = count;
            killLosesResponse = loseLastResponse;
        }
    }

    /// <summary>Ends every fault and kill switch.</summary>
    public void Heal()
    {
        lock (gate)
        {
            faults.Clear();
            killAfterMutations = null;
        }
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();

    private DateTimeOffset Tick() => Epoch.AddMinutes(++ticks);

    private async Task<HttpReply?> HandleAsync(HttpExchange exchange)
    {
        var request = new StandInRequest(exchange.Method, exchange.Path, exchange.Query, exchange.Header("User-Agent") ?? string.Empty);
        Fault? fault;
        bool cutBefore;
        lock (gate)
        {
            var auth = exchange.Header("Authorization") ?? string.Empty;
            requests.Add($"{request.Method} {request.Path}{request.Query} auth={(auth.Length == 0 ? "none" : auth.Split(' ')[0])}");
            cutBefore = killAfterMutations is { } k && mutations >= k;
            fault = cutBefore ? null : faults.FirstOrDefault(f => f.Remaining > 0 && f.Match(request));
            if (fault is not null)
            {
                fault.Remaining--;
            }
        }

        if (cutBefore)
        {
            return null;
        }

        if (BeforeHandling is { } wait)
        {
            await wait(request);
        }

        switch (fault?.Kind)
        {
            case FaultKind.CutBeforeHandling:
                return null;
            case FaultKind.ServerError:
                return new HttpReply(500, """{"message":"Server Error"}""");
            case FaultKind.BadGateway:
                return new HttpReply(502, """{"message":"Bad Gateway"}""");
            case FaultKind.PrimaryRateLimit:
                return new HttpReply(
                    403,
                    """{"message":"API rate limit exceeded for installation ID 1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}""",
                    new Dictionary<string, string>
                    {
                        ["x-ratelimit-limit"] = "5000",
                        ["x-ratelimit-remaining"] = "0",
                        ["x-ratelimit-used"] = "5000",
                        ["x-ratelimit-reset"] = fault.Seconds.ToString(CultureInfo.InvariantCulture),
                    });
            case FaultKind.TooManyRequests:
                return new HttpReply(
                    429,
                    """{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}""",
                    new Dictionary<string, string> { ["Retry-After"] = fault.Seconds.ToString(CultureInfo.InvariantCulture) });
            case FaultKind.SecondaryRateLimit:
                return new HttpReply(403, """{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}""");
            case FaultKind.Delay:
                await Task.Delay(TimeSpan.FromMilliseconds(fault.Seconds));
                break;
            default:
                break;
        }

        var (status, body, link) = Route(exchange, request);
        if (BeforeReplying is { } hold)
        {
            await hold(request);
        }

        bool cutAfter;
        lock (gate)
        {
            var mutated = request.IsMutation && status is >= 200 and < 300;
            if (mutated)
            {
                mutations++;
            }

            cutAfter = fault?.Kind == FaultKind.CutAfterHandling ||
                (mutated && killLosesResponse && killAfterMutations is { } k && mutations == k);
        }

        return cutAfter ? null : new HttpReply(status, body, link is null ? null : new Dictionary<string, string> { ["Link"] = link });
    }

    private (int Status, string Body, string? Link) Route(HttpExchange exchange, StandInRequest request)
    {
        var auth = exchange.Header("Authorization") ?? string.Empty;
        if (auth != $"Bearer {Token}" && auth != $"token {Token}")
        {
            return (401, """{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}""", null);
        }

        var segments = request.Path.Trim('/').Split('/');
        if (segments.Length >= 3 && segments[0] == "repos" && segments[1] == Owner && segments[2] == Name &&
            RouteRepository(exchange, request, segments[3..]) is { } repository)
        {
            return repository;
        }

        if (segments.Length < 4 || segments[0] != "repos" || segments[1] != Owner || segments[2] != Name || segments[3] != "issues")
        {
            return NotFound();
        }

        var rest = segments[4..];
        JsonElement? input = null;
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

        lock (gate)
        {
            return (request.Method, rest) switch
            {
                ("GET", []) => ListIssues(exchange),
                ("POST", []) => CreateIssue(input!.Value),
                ("GET", [var n]) when Find(n) is { } issue => (200, IssueJson(issue), null),
                ("PATCH", [var n]) when Find(n) is { } issue => EditIssue(issue, input!.Value),
                ("GET", [var n, "comments"]) when Find(n) is { } issue => ListComments(exchange, issue.Number),
                ("POST", [var n, "comments"]) when Find(n) is { } issue => CreateComment(issue.Number, input!.Value),
                ("PATCH", ["comments", var id]) when FindComment(id) is { } comment => EditComment(comment, input!.Value),
                _ => NotFound(),
            };
        }
    }

    private static (int, string, string?) NotFound() =>
        (404, """{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}""", null);

    private static (int, string, string?) Invalid(string field) =>
        (422, $$"""{"message":"Validation Failed","errors":[{"resource":"Issue","code":"invalid","field":"{{field}}"}]}""", null);

    private StandInIssue? Find(string number) =>
        int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? issues.FirstOrDefault(i => i.Number == n) : null;

    private StandInComment? FindComment(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? comments.FirstOrDefault(c => c.Id == n) : null;

    private (int, string, string?) ListIssues(HttpExchange context)
    {
        var query = Query(context);
        var state = query["state"] ?? "open";
        var labels = (query["labels"] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var ascending = query["direction"] == "asc";
        IEnumerable<StandInIssue> selected = issues
            .Where(i => state == "all" || i.State == state)
            .Where(i => labels.All(l => i.Labels.Contains(l, StringComparer.OrdinalIgnoreCase)));
        selected = ascending ? selected.OrderBy(i => i.CreatedAt).ThenBy(i => i.Number) : selected.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Number);
        return Page(context, selected.ToList(), IssueJson);
    }

    private (int, string, string?) ListComments(HttpExchange context, int number) =>
        Page(context, comments.Where(c => c.IssueNumber == number).OrderBy(c => c.Id).ToList(), CommentJson);

    private static NameValueCollection Query(HttpExchange context) => HttpUtility.ParseQueryString(context.Query);

    private static (int, string, string?) Page<T>(HttpExchange context, List<T> all, Func<T, string> json)
    {
        var query = Query(context);
        var perPage = Math.Clamp(int.TryParse(query["per_page"], CultureInfo.InvariantCulture, out var p) ? p : 30, 1, 100);
        var page = Math.Max(1, int.TryParse(query["page"], CultureInfo.InvariantCulture, out var g) ? g : 1);
        var last = Math.Max(1, (all.Count + perPage - 1) / perPage);
        var items = all.Skip((page - 1) * perPage).Take(perPage).Select(json);
        var links = new List<string>();
        if (page < last)
        {
            links.Add($"<{PageUrl(context, page + 1)}>; rel=\"next\"");
            links.Add($"<{PageUrl(context, last)}>; rel=\"last\"");
        }

        if (page > 1)
        {
            links.Add($"<{PageUrl(context, 1)}>; rel=\"first\"");
            links.Add($"<{PageUrl(context, page - 1)}>; rel=\"prev\"");
        }

        return (200, "[" + string.Join(",", items) + "]", links.Count > 0 ? string.Join(", ", links) : null);
    }

    private static string PageUrl(HttpExchange context, int page)
    {
        var current = Query(context);
        var query = current.AllKeys
            .Where(k => k is not null && k != "page")
            .Select(k => $"{Uri.EscapeDataString(k!)}={Uri.EscapeDataString(current[k] ?? string.Empty)}")
            .Append(string.Create(CultureInfo.InvariantCulture, $"page={page}"));
        return $"http://{context.Header("Host")}{context.Path}?{string.Join("&", query)}";
    }

    private (int, string, string?) CreateIssue(JsonElement input)
    {
        if (!input.TryGetProperty("title", out var title) || title.ValueKind != JsonValueKind.String || title.GetString()!.Length == 0)
        {
            return Invalid("title");
        }

        var now = Tick();
        var issue = new StandInIssue(nextNumber++, title.GetString()!, StringOrEmpty(input, "body"), "open", null, ReadLabels(input) ?? [], now, now, null, false);
        issues.Add(issue);
        return (201, IssueJson(issue), null);
    }

    private (int, string, string?) EditIssue(StandInIssue issue, JsonElement input)
    {
        var updated = issue with { UpdatedAt = Tick() };
        if (input.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String)
        {
            updated = updated with { Title = title.GetString()! };
        }

        if (input.TryGetProperty("body", out var body) && body.ValueKind == JsonValueKind.String)
        {
            updated = updated with { Body = body.GetString()! };
        }

        if (ReadLabels(input) is { } labels)
        {
            updated = updated with { Labels = labels };
        }

        if (input.TryGetProperty("state", out var state))
        {
            var reason = input.TryGetProperty("state_reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            switch (state.GetString())
            {
                case "closed" when reason is null or "completed" or "not_planned" or "duplicate":
                    if (issue.State != "closed")
                    {
                        updated = updated with { State = "closed", StateReason = reason ?? "completed", ClosedAt = updated.UpdatedAt };
                    }

                    break;
                case "open" when reason is null or "reopened":
                    if (issue.State != "open")
                    {
                        updated = updated with { State = "open", StateReason = "reopened", ClosedAt = null };
                    }

                    break;
                default:
                    return Invalid("state");
            }
        }

        issues[issues.IndexOf(issue)] = updated;
        return (200, IssueJson(updated), null);
    }

    private (int, string, string?) CreateComment(int number, JsonElement input)
    {
        if (!input.TryGetProperty("body", out var body) || body.ValueKind != JsonValueKind.String)
        {
            return Invalid("body");
        }

        var comment = new StandInComment(nextCommentId++, number, body.GetString()!, Tick());
        comments.Add(comment);
        return (201, CommentJson(comment), null);
    }

    private (int, string, string?) EditComment(StandInComment comment, JsonElement input)
    {
        if (!input.TryGetProperty("body", out var body) || body.ValueKind != JsonValueKind.String)
        {
            return Invalid("body");
        }

        var updated = comment with { Body = body.GetString()! };
        comments[comments.IndexOf(comment)] = updated;
        return (200, CommentJson(updated), null);
    }

    private static string StringOrEmpty(JsonElement input, string name) =>
        input.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;

    private static List<string>? ReadLabels(JsonElement input) =>
        input.TryGetProperty("labels", out var labels) && labels.ValueKind == JsonValueKind.Array
            ? labels.EnumerateArray().Select(l => l.ValueKind == JsonValueKind.String ? l.GetString()! : l.GetProperty("name").GetString()!).ToList()
            : null;

    private string IssueJson(StandInIssue issue)
    {
        var api = $"{BaseUri.AbsoluteUri.TrimEnd('/')}/repos/{Repository}";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("id", 100_000 + issue.Number);
            json.WriteString("node_id", $"I_standin{issue.Number}");
            json.WriteString("url", $"{api}/issues/{issue.Number}");
            json.WriteString("repository_url", api);
            json.WriteString("comments_url", $"{api}/issues/{issue.Number}/comments");
            json.WriteString("html_url", $"https://github.example/{Repository}/{(issue.IsPullRequest ? "pull" : "issues")}/{issue.Number}");
            json.WriteNumber("number", issue.Number);
            json.WriteString("state", issue.State);
            if (issue.StateReason is null)
            {
                json.WriteNull("state_reason");
            }
            else
            {
                json.WriteString("state_reason", issue.StateReason);
            }

            json.WriteString("title", issue.Title);
            json.WriteString("body", issue.Body);
            json.WriteStartObject("user");
            json.WriteString("login", "github-actions[bot]");
            json.WriteNumber("id", 41898282);
            json.WriteEndObject();
            json.WriteStartArray("labels");
            foreach (var label in issue.Labels)
            {
                json.WriteStartObject();
                json.WriteNumber("id", 200_000 + label.Sum(c => c));
                json.WriteString("name", label);
                json.WriteString("color", "d73a4a");
                json.WriteBoolean("default", false);
                json.WriteNull("description");
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteBoolean("locked", false);
            json.WriteNumber("comments", comments.Count(c => c.IssueNumber == issue.Number));
            json.WriteString("created_at", Time(issue.CreatedAt));
            json.WriteString("updated_at", Time(issue.UpdatedAt));
            if (issue.ClosedAt is { } closed)
            {
                json.WriteString("closed_at", Time(closed));
            }
            else
            {
                json.WriteNull("closed_at");
            }

            if (issue.IsPullRequest)
            {
                json.WriteStartObject("pull_request");
                json.WriteString("url", $"{api}/pulls/{issue.Number}");
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private string CommentJson(StandInComment comment)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("id", comment.Id);
            json.WriteString("node_id", $"IC_standin{comment.Id}");
            json.WriteString("url", $"{BaseUri.AbsoluteUri.TrimEnd('/')}/repos/{Repository}/issues/comments/{comment.Id}");
            json.WriteString("html_url", $"https://github.example/{Repository}/issues/{comment.IssueNumber}#issuecomment-{comment.Id}");
            json.WriteString("body", comment.Body);
            json.WriteStartObject("user");
            json.WriteString("login", "github-actions[bot]");
            json.WriteEndObject();
            json.WriteString("created_at", Time(comment.CreatedAt));
            json.WriteString("updated_at", Time(comment.CreatedAt));
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Time(DateTimeOffset t) => t.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private sealed class Fault(Func<StandInRequest, bool> match, FaultKind kind, int remaining, int seconds)
    {
        public Func<StandInRequest, bool> Match { get; } = match;

        public FaultKind Kind { get; } = kind;

        public int Remaining { get; set; } = remaining;

        /// <summary>Retry-After seconds, the rate limit's reset (Unix seconds), or the delay in milliseconds.</summary>
        public int Seconds { get; } = seconds;
    }
}

/// <summary>How the stand-in misbehaves for a matching request.</summary>
internal enum FaultKind
{
    /// <summary>403 with x-ratelimit-remaining: 0 and x-ratelimit-reset (the fault's seconds, as Unix time).</summary>
    PrimaryRateLimit,

    /// <summary>429 with Retry-After (the fault's seconds).</summary>
    TooManyRequests,

    /// <summary>403 naming a secondary rate limit, without headers.</summary>
    SecondaryRateLimit,

    ServerError,

    BadGateway,

    /// <summary>
    /// The connection is closed before the request has any effect, without a response. HttpClient
    /// itself resends a GET (not a POST or PATCH) up to three times when that happens, so one failure
    /// that the caller sees takes four of these for a GET.
    /// </summary>
    CutBeforeHandling,

    /// <summary>The request takes effect, then the connection is closed without a response.</summary>
    CutAfterHandling,

    /// <summary>The answer comes after the fault's seconds, read as milliseconds.</summary>
    Delay,
}

internal sealed record StandInRequest(string Method, string Path, string Query, string UserAgent)
{
    public bool IsMutation => Method is "POST" or "PATCH";

    public bool IsIssueList => Method == "GET" && Path.EndsWith("/issues", StringComparison.Ordinal);

    public bool IsIssueCreate => Method == "POST" && Path.EndsWith("/issues", StringComparison.Ordinal);
}

internal sealed record StandInIssue(
    int Number,
    string Title,
    string Body,
    string State,
    string? StateReason,
    IReadOnlyList<string> Labels,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ClosedAt,
    bool IsPullRequest);

internal sealed record StandInComment(long Id, int IssueNumber, string Body, DateTimeOffset CreatedAt);
