using System.Net;
using NsPolicy.Core.GitHub;
using NsPolicy.Tests.Shared.GitHub;
using Octokit;
using GitHubClient = NsPolicy.Core.GitHub.GitHubClient;

namespace NsPolicy.Core.Tests.GitHub;

public sealed class GitHubClientTests : IAsyncLifetime
{
    private GitHubFixture hub = null!;

    public async Task InitializeAsync() => hub = await GitHubFixture.StartAsync();

    public async Task DisposeAsync() => await hub.DisposeAsync();

    [Fact]
    public async Task Lists_every_labelled_issue_across_pages_of_100_oldest_first_without_pull_requests()
    {
        for (var i = 0; i < 230; i++)
        {
            hub.StandIn.Seed($"issue {i}", "body", i % 2 == 0 ? ["nspolicy"] : ["nspolicy", "dns"]);
        }

        hub.StandIn.Seed("unrelated", "body", ["bug"]);
        hub.StandIn.Seed("a pull request", "body", ["nspolicy"], pullRequest: true);
        hub.StandIn.Seed("closed one", "body", ["nspolicy"], closed: true);
        using var client = hub.Client();

        var issues = await client.ListIssuesAsync("nspolicy", CancellationToken.None);

        Assert.Equal(231, issues.Count);
        Assert.Equal(Enumerable.Range(1, 230).Append(233), issues.Select(i => i.Number));
        Assert.Equal("closed", issues[^1].State.StringValue);
        Assert.Equal(["nspolicy", "dns"], issues[1].Labels.Select(l => l.Name));
        var lists = hub.StandIn.Requests.Where(r => r.StartsWith("GET /repos/acme/dns/issues?", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, lists.Count);
        Assert.All(lists, r => Assert.Contains("per_page=100", r, StringComparison.Ordinal));
        Assert.All(lists, r => Assert.EndsWith("auth=Bearer", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Creates_edits_and_reads_an_issue_with_labels_state_and_reason()
    {
        using var client = hub.Client();

        var created = await client.CreateIssueAsync(NewIssue("title", "body | with \"quotes\" and ünïcode", "nspolicy", "dns"), CancellationToken.None);
        var closed = await client.EditIssueAsync(created.Number, new IssueUpdate { Title = "new title", State = ItemState.Closed, StateReason = ItemStateReason.NotPlanned }, CancellationToken.None);
        var read = await client.GetIssueAsync(created.Number, CancellationToken.None);

        Assert.Equal("open", created.State.StringValue);
        Assert.Equal(["nspolicy", "dns"], created.Labels.Select(l => l.Name));
        Assert.Equal("new title", closed.Title);
        Assert.Equal((closed.Number, closed.Title, closed.Body, closed.UpdatedAt), (read.Number, read.Title, read.Body, read.UpdatedAt));
        Assert.Equal("closed", read.State.StringValue);
        Assert.Equal("not_planned", read.StateReason?.StringValue);
        Assert.Equal("body | with \"quotes\" and ünïcode", read.Body);
    }

    [Fact]
    public async Task Lists_creates_and_edits_comments_across_pages()
    {
        var issue = hub.StandIn.Seed("t", "b", ["nspolicy"]);
        for (var i = 0; i < 120; i++)
        {
            hub.StandIn.SeedComment(issue.Number, $"comment {i}");
        }

        using var client = hub.Client();
        var mine = await client.CreateCommentAsync(issue.Number, "mine", CancellationToken.None);
        var edited = await client.EditCommentAsync(mine.Id, "mine, edited", CancellationToken.None);
        var all = await client.ListCommentsAsync(issue.Number, CancellationToken.None);

        Assert.Equal(121, all.Count);
        Assert.Equal("comment 0", all[0].Body);
        Assert.Equal(mine.Id, all[^1].Id);
        Assert.Equal("mine, edited", all[^1].Body);
        Assert.Equal("mine, edited", edited.Body);
    }

    [Fact]
    public async Task Waits_until_the_rate_limit_resets_and_then_succeeds()
    {
        var reset = GitHubFixture.Now.AddSeconds(42).ToUnixTimeSeconds();
        hub.StandIn.AddFault(r => r.IsIssueList, FaultKind.PrimaryRateLimit, times: 1, seconds: (int)reset);
        using var client = hub.Client();

        var issues = await client.ListIssuesAsync("nspolicy", CancellationToken.None);

        Assert.Empty(issues);
        Assert.Equal([TimeSpan.FromSeconds(43)], hub.Waits);
        Assert.Contains("rate limited: 403 Forbidden: API rate limit exceeded", Assert.Single(hub.Log), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Honours_Retry_After_on_429()
    {
        hub.StandIn.AddFault(r => r.IsIssueCreate, FaultKind.TooManyRequests, times: 2, seconds: 7);
        using var client = hub.Client();

        var issue = await client.CreateIssueAsync(NewIssue("t", "b", "nspolicy"), CancellationToken.None);

        Assert.Equal(1, issue.Number);
        Assert.Equal([TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7)], hub.Waits);
        Assert.Single(hub.StandIn.Issues);
    }

    [Fact]
    public async Task Waits_a_minute_on_a_secondary_rate_limit_without_headers()
    {
        hub.StandIn.AddFault(r => r.IsIssueList, FaultKind.SecondaryRateLimit);
        using var client = hub.Client();

        await client.ListIssuesAsync("nspolicy", CancellationToken.None);

        Assert.Equal([TimeSpan.FromMinutes(1)], hub.Waits);
    }

    [Fact]
    public async Task A_rate_limit_that_lifts_too_late_fails_at_once_saying_when_it_lifts()
    {
        var reset = GitHubFixture.Now.AddMinutes(50).ToUnixTimeSeconds();
        hub.StandIn.AddFault(r => r.IsIssueList, FaultKind.PrimaryRateLimit, times: 10, seconds: (int)reset);
        using var client = hub.Client();

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => client.ListIssuesAsync("nspolicy", CancellationToken.None));

        Assert.Empty(hub.Waits);
        Assert.Equal(403, e.StatusCode);
        Assert.Equal("GitHub API GET /repos/acme/dns/issues?labels=nspolicy&state=all&sort=created&direction=asc&per_page=100: " +
            "rate limited: 403 Forbidden: API rate limit exceeded for installation ID 1.; the limit lifts at 2026-11-21T12:50:01Z, later than the 120 s nspolicy waits", e.Message);
    }

    [Fact]
    public async Task Server_errors_and_cut_connections_are_retried_with_doubling_waits()
    {
        hub.StandIn.AddFault(r => r.IsIssueList, FaultKind.ServerError, times: 2);
        // HttpClient itself resends a GET whose connection died before any response, three times.
        hub.StandIn.AddFault(r => r.IsIssueList, FaultKind.CutBeforeHandling, times: 4);
        hub.StandIn.AddFault(r => r.IsIssueList, FaultKind.BadGateway, times: 1);
        using var client = hub.Client();

        await client.ListIssuesAsync("nspolicy", CancellationToken.None);

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)], hub.Waits);
        Assert.Equal(4, hub.Log.Count);
        Assert.Contains(hub.Log, l => l.Contains("connection failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retries_are_bounded_and_the_error_names_the_request_and_the_last_failure()
    {
        hub.StandIn.AddFault(_ => true, FaultKind.ServerError, times: 100);
        using var client = hub.Client(maxAttempts: 4);

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => client.EditIssueAsync(7, new IssueUpdate { Body = "x" }, CancellationToken.None));

        Assert.Equal("GitHub API PATCH /repos/acme/dns/issues/7: gave up after 4 attempts; last: 500 Internal Server Error: Server Error", e.Message);
        Assert.Equal(("PATCH", "/repos/acme/dns/issues/7", 500), (e.Method, e.Path, e.StatusCode));
        Assert.Equal(4, hub.StandIn.Requests.Count);
        Assert.Equal(3, hub.Waits.Count);
    }

    [Fact]
    public async Task Waits_never_exceed_the_back_off_cap()
    {
        hub.StandIn.AddFault(_ => true, FaultKind.CutBeforeHandling, times: 100);
        var options = new GitHubClientOptions(new GitHubRepository("acme", "dns"), hub.StandIn.Token)
        {
            BaseUri = hub.StandIn.BaseUri,
            MaxAttempts = 9,
            InitialBackoff = TimeSpan.FromSeconds(1),
            MaxBackoff = TimeSpan.FromSeconds(10),
            Delay = (w, _) =>
            {
                hub.Waits.Enqueue(w);
                return Task.CompletedTask;
            },
        };
        using var client = new GitHubClient(options);

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => client.GetIssueAsync(1, CancellationToken.None));

        Assert.Null(e.StatusCode);
        Assert.StartsWith("GitHub API GET /repos/acme/dns/issues/1: gave up after 9 attempts; last: connection failed", e.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { 1, 2, 4, 8, 10, 10, 10, 10 }.Select(s => TimeSpan.FromSeconds(s)), hub.Waits);
    }

    [Fact]
    public async Task A_wrong_token_is_not_retried_and_the_error_says_it_was_rejected()
    {
        using var client = hub.Client(token: "ghp_wrongTokenValue123");

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => client.ListIssuesAsync("nspolicy", CancellationToken.None));

        Assert.Equal(401, e.StatusCode);
        Assert.EndsWith(": 401 Unauthorized: Bad credentials; the token was rejected", e.Message, StringComparison.Ordinal);
        Assert.Single(hub.StandIn.Requests);
        Assert.DoesNotContain("ghp_wrongTokenValue123", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_repository_is_a_clear_404()
    {
        var options = new GitHubClientOptions(new GitHubRepository("acme", "other"), hub.StandIn.Token) { BaseUri = hub.StandIn.BaseUri };
        using var client = new GitHubClient(options);

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => client.GetIssueAsync(3, CancellationToken.None));

        Assert.Equal("GitHub API GET /repos/acme/other/issues/3: 404 Not Found: Not Found; check the repository name and that the token can see it", e.Message);
    }

    [Fact]
    public async Task The_token_never_appears_in_messages_logs_or_exceptions()
    {
        var token = hub.StandIn.Token;
        var reset = GitHubFixture.Now.AddHours(1).ToUnixTimeSeconds();
        hub.StandIn.AddFault(r => r.IsIssueList, FaultKind.ServerError, times: 2);
        hub.StandIn.AddFault(r => r.IsIssueList, FaultKind.CutBeforeHandling, times: 4);
        hub.StandIn.AddFault(r => r.IsIssueCreate, FaultKind.PrimaryRateLimit, times: 1, seconds: (int)reset);
        using var client = hub.Client(maxAttempts: 3);
        var texts = new List<string>();

        texts.Add((await Assert.ThrowsAsync<GitHubApiException>(() => client.ListIssuesAsync("nspolicy", CancellationToken.None))).ToString());
        texts.Add((await Assert.ThrowsAsync<GitHubApiException>(() => client.CreateIssueAsync(NewIssue("t", "b"), CancellationToken.None))).ToString());
        var options = new GitHubClientOptions(new GitHubRepository("acme", "dns"), token) { BaseUri = hub.StandIn.BaseUri };
        texts.Add(options.ToString());
        texts.AddRange(hub.Log);
        texts.AddRange(hub.StandIn.Requests);

        Assert.NotEmpty(hub.Log);
        Assert.All(texts, t => Assert.DoesNotContain(token, t, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_next_page_on_another_host_is_not_followed()
    {
        using var handler = new OneAnswerHandler("""[]""", "<https://elsewhere.example/repos/acme/dns/issues?page=2>; rel=\"next\"");
        var options = new GitHubClientOptions(new GitHubRepository("acme", "dns"), "tok") { BaseUri = new Uri("https://ghe.example/api/v3") };
        using var client = new GitHubClient(options, handler);

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => client.ListIssuesAsync("nspolicy", CancellationToken.None));

        Assert.Contains("https://elsewhere.example is outside the GitHub API root (https://ghe.example/api/v3); not sending it", e.Message, StringComparison.Ordinal);
        Assert.Equal("https://ghe.example/api/v3/repos/acme/dns/issues?labels=nspolicy&state=all&sort=created&direction=asc&per_page=100", Assert.Single(handler.Requested).AbsoluteUri);
    }

    [Fact]
    public async Task An_enterprise_base_url_keeps_its_path_and_the_request_carries_GitHub_headers()
    {
        using var handler = new OneAnswerHandler("""{"id":5,"body":"hi","created_at":"2026-01-01T00:00:00Z"}""", null);
        var options = new GitHubClientOptions(new GitHubRepository("acme", "dns"), "tok") { BaseUri = new Uri("https://ghe.example/api/v3/") };
        using var client = new GitHubClient(options, handler);

        await client.CreateCommentAsync(12, "hi", CancellationToken.None);

        Assert.Equal("https://ghe.example/api/v3/repos/acme/dns/issues/12/comments", Assert.Single(handler.Requested).AbsoluteUri);
        Assert.Equal("Bearer tok", handler.Headers["Authorization"]);
        Assert.Equal("application/vnd.github.v3+json", handler.Headers["Accept"]);
        Assert.Equal("2022-11-28", handler.Headers["X-GitHub-Api-Version"]);
        Assert.StartsWith("nspolicy (", handler.Headers["User-Agent"], StringComparison.Ordinal);
        Assert.Equal("""{"body":"hi"}""", handler.Bodies[0]);
    }

    [Theory]
    [InlineData("acme/dns", true)]
    [InlineData("Acme-Corp/dns.zones_2", true)]
    [InlineData("acme", false)]
    [InlineData("acme/dns/extra", false)]
    [InlineData("acme/../x", false)]
    [InlineData("acme/d ns", false)]
    [InlineData("", false)]
    public void Parses_owner_and_name(string text, bool valid)
    {
        Assert.Equal(valid, GitHubRepository.TryParse(text, out var repo));
        if (valid)
        {
            Assert.Equal(text, repo.ToString());
        }
    }

    private static NewIssue NewIssue(string title, string body, params string[] labels)
    {
        var issue = new NewIssue(title) { Body = body };
        foreach (var label in labels)
        {
            issue.Labels.Add(label);
        }

        return issue;
    }

    [Fact]
    public async Task A_redirect_to_another_host_is_not_followed_and_the_token_goes_nowhere_else()
    {
        using var handler = new ScriptedHandler(_ => Redirect("https://elsewhere.example/repos/acme/dns/issues/3"));
        using var client = Enterprise(handler);

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => client.GetIssueAsync(3, CancellationToken.None));

        Assert.Equal("GitHub API GET /repos/acme/dns/issues/3: 302 redirect to https://elsewhere.example, outside the GitHub API root; not following it", e.Message);
        Assert.Equal(["https://ghe.example/api/v3/repos/acme/dns/issues/3"], handler.Requests.Select(r => r.Uri));
    }

    [Fact]
    public async Task A_redirect_under_the_API_root_is_followed_with_the_token()
    {
        using var handler = new ScriptedHandler(r => r.RequestUri!.AbsolutePath.Contains("/dns/", StringComparison.Ordinal)
            ? Redirect("https://ghe.example/api/v3/repos/acme/renamed/issues/3")
            : Json("""{"number":3,"title":"t","state":"open","body":"b"}"""));
        using var client = Enterprise(handler);

        var issue = await client.GetIssueAsync(3, CancellationToken.None);

        Assert.Equal("t", issue.Title);
        Assert.Equal(["https://ghe.example/api/v3/repos/acme/dns/issues/3", "https://ghe.example/api/v3/repos/acme/renamed/issues/3"], handler.Requests.Select(r => r.Uri));
        Assert.All(handler.Requests, r => Assert.Equal("Bearer tok", r.Authorization));
    }

    [Fact]
    public async Task An_answer_above_the_size_cap_is_refused()
    {
        using var handler = new ScriptedHandler(_ => Json("[" + string.Join(",", Enumerable.Repeat("""{"number":1,"title":"t","state":"open"}""", 1000)) + "]"));
        var options = new GitHubClientOptions(new GitHubRepository("acme", "dns"), "tok") { BaseUri = new Uri("https://ghe.example/api/v3"), MaxResponseBytes = 4096 };
        using var client = new GitHubClient(options, handler);

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => client.ListIssuesAsync("nspolicy", CancellationToken.None));

        Assert.EndsWith(": the answer is larger than the 4096 bytes nspolicy reads", e.Message, StringComparison.Ordinal);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Cancellation_ends_a_request_that_the_server_holds()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.StandIn.BeforeHandling = async _ =>
        {
            arrived.TrySetResult();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
        };
        using var client = hub.Client();
        using var cancel = new CancellationTokenSource();

        // An edit: Octokit's PATCH takes no token, so this goes through the handler's ambient one.
        var edit = client.EditIssueAsync(1, new IssueUpdate { Body = "x" }, cancel.Token);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => edit);
        release.SetResult();
        Assert.Empty(hub.Waits);
    }

    private static GitHubClient Enterprise(HttpMessageHandler handler) =>
        new(new GitHubClientOptions(new GitHubRepository("acme", "dns"), "tok") { BaseUri = new Uri("https://ghe.example/api/v3") }, handler);

    private static HttpResponseMessage Redirect(string to)
    {
        var response = new HttpResponseMessage(HttpStatusCode.Found) { Content = new StringContent(string.Empty) };
        response.Headers.Location = new Uri(to);
        return response;
    }

    private static HttpResponseMessage Json(string json) => new(HttpStatusCode.OK) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };

    /// <summary>Answers each request as the script says and records its URL and Authorization header.</summary>
    private sealed class ScriptedHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<(string Uri, string? Authorization)> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add((request.RequestUri!.AbsoluteUri, request.Headers.Authorization?.ToString()));
            return Task.FromResult(answer(request));
        }
    }

    /// <summary>Answers every request with one fixed JSON body (and Link header) and records what was asked.</summary>
    private sealed class OneAnswerHandler(string json, string? link) : HttpMessageHandler
    {
        public List<Uri> Requested { get; } = [];

        public List<string> Bodies { get; } = [];

        public Dictionary<string, string> Headers { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requested.Add(request.RequestUri!);
            foreach (var header in request.Headers)
            {
                Headers[header.Key] = string.Join(" ", header.Value);
            }

            if (request.Content is not null)
            {
                Bodies.Add(await request.Content.ReadAsStringAsync(cancellationToken));
            }

            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json) };
            if (link is not null)
            {
                response.Headers.Add("Link", link);
            }

            return response;
        }
    }
}
