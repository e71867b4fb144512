using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace NsPolicy.Core.GitHub;

/// <summary>
/// The few GitHub REST calls nspolicy needs: issues (list by label, get, create, edit) and issue
/// comments (list, create, edit). Lists follow the <c>Link</c> header 100 items a page. Rate limits
/// (403/429 with <c>Retry-After</c>, or <c>x-ratelimit-remaining: 0</c> with <c>x-ratelimit-reset</c>),
/// 5xx answers, timeouts and broken connections are retried with bounded exponential back-off; when
/// the attempts run out a <see cref="GitHubApiException"/> names the request. The token goes only into
/// the Authorization header and is masked in every message this client writes.
/// </summary>
public sealed partial class GitHubClient : IDisposable
{
    private const int PageSize = 100;

    // GitHub asks clients hit by a secondary rate limit without Retry-After to wait at least a minute.
    private static readonly TimeSpan SecondaryLimitWait = TimeSpan.FromMinutes(1);

    private readonly GitHubClientOptions options;
    private readonly HttpClient http;
    private readonly Uri root;
    private readonly string repositoryPath;

    public GitHubClient(GitHubClientOptions options, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxAttempts must be at least 1");
        }

        if (!options.BaseUri.IsAbsoluteUri || (options.BaseUri.Scheme != Uri.UriSchemeHttps && options.BaseUri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"the GitHub API URL must be an absolute http(s) URL, not '{options.BaseUri}'", nameof(options));
        }

        this.options = options;
        // A trailing slash makes relative paths land under a GitHub Enterprise '/api/v3' root.
        root = new Uri(options.BaseUri.AbsoluteUri.TrimEnd('/') + "/");
        repositoryPath = $"repos/{Uri.EscapeDataString(options.Repository.Owner)}/{Uri.EscapeDataString(options.Repository.Name)}";
        // Redirects are not followed: the token must not travel to another host, and a moved
        // repository is better reported than silently followed.
        http = handler is null
            ? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) }, disposeHandler: true)
            : new HttpClient(handler, disposeHandler: false);
        http.Timeout = Timeout.InfiniteTimeSpan;
    }

    public GitHubRepository Repository => options.Repository;

    /// <summary>Every issue (not pull request) carrying <paramref name="label"/>, in any state, oldest first.</summary>
    public async Task<IReadOnlyList<GitHubIssue>> ListIssuesAsync(string label, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        var first = $"{repositoryPath}/issues?labels={Uri.EscapeDataString(label)}&state=all&sort=created&direction=asc&per_page={PageSize}";
        var issues = await ListAsync(first, GitHubJson.ReadIssue, cancellationToken).ConfigureAwait(false);
        return issues.Where(i => !i.IsPullRequest).ToList();
    }

    public async Task<GitHubIssue> GetIssueAsync(int number, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Get, new Uri(root, $"{repositoryPath}/issues/{Number(number)}"), null, GitHubJson.ReadIssue, cancellationToken).ConfigureAwait(false);

    public async Task<GitHubIssue> CreateIssueAsync(NewIssue issue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issue);
        return await SendAsync(HttpMethod.Post, new Uri(root, $"{repositoryPath}/issues"), GitHubJson.NewIssue(issue), GitHubJson.ReadIssue, cancellationToken).ConfigureAwait(false);
    }

    public async Task<GitHubIssue> EditIssueAsync(int number, IssueEdit edit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(edit);
        return await SendAsync(HttpMethod.Patch, new Uri(root, $"{repositoryPath}/issues/{Number(number)}"), GitHubJson.Edit(edit), GitHubJson.ReadIssue, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The comments of an issue or pull request, oldest first.</summary>
    public Task<IReadOnlyList<GitHubComment>> ListCommentsAsync(int number, CancellationToken cancellationToken) =>
        ListAsync($"{repositoryPath}/issues/{Number(number)}/comments?per_page={PageSize}", GitHubJson.ReadComment, cancellationToken);

    public async Task<GitHubComment> CreateCommentAsync(int number, string body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return await SendAsync(HttpMethod.Post, new Uri(root, $"{repositoryPath}/issues/{Number(number)}/comments"), GitHubJson.Comment(body), GitHubJson.ReadComment, cancellationToken).ConfigureAwait(false);
    }

    public async Task<GitHubComment> EditCommentAsync(long commentId, string body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return await SendAsync(HttpMethod.Patch, new Uri(root, $"{repositoryPath}/issues/comments/{commentId.ToString(CultureInfo.InvariantCulture)}"), GitHubJson.Comment(body), GitHubJson.ReadComment, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => http.Dispose();

    /// <summary>Replaces every occurrence of the token in <paramref name="text"/>.</summary>
    internal string Mask(string text) => text.Replace(options.Token, "***", StringComparison.Ordinal);

    private static string Number(int number) =>
        number > 0 ? number.ToString(CultureInfo.InvariantCulture) : throw new ArgumentOutOfRangeException(nameof(number), "issue numbers start at 1");

    private async Task<IReadOnlyList<T>> ListAsync<T>(string firstPath, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        Uri? next = new(root, firstPath);
        var pages = 0;
        while (next is not null)
        {
            // A server that keeps sending "next" must not keep us here for ever.
            if (++pages > 10_000)
            {
                throw new GitHubApiException("GET", PathOf(next), null, "more than 10000 pages; giving up");
            }

            var (page, link) = await SendAsync(HttpMethod.Get, next, null, ReadPage, cancellationToken).ConfigureAwait(false);
            items.AddRange(page);
            next = NextPage(next, link);
        }

        return items;

        (List<T> Items, string? Link) ReadPage(JsonElement e, HttpResponseMessage response)
        {
            if (e.ValueKind != JsonValueKind.Array)
            {
                throw new JsonException("expected an array");
            }

            var link = response.Headers.TryGetValues("Link", out var values) ? string.Join(",", values) : null;
            return (e.EnumerateArray().Select(read).ToList(), link);
        }
    }

    private Uri? NextPage(Uri current, string? link)
    {
        if (LinkHeader.Next(link) is not { } target)
        {
            return null;
        }

        if (!Uri.TryCreate(current, target, out var next))
        {
            throw new GitHubApiException("GET", PathOf(current), null, "the Link header's next page is not a URL");
        }

        // The token is sent with every page: only follow links that stay under the API root.
        if (!root.IsBaseOf(next) || next.Scheme != root.Scheme || !string.Equals(next.Authority, root.Authority, StringComparison.OrdinalIgnoreCase))
        {
            throw new GitHubApiException("GET", PathOf(current), null, $"the next page points outside the GitHub API root ({next.Scheme}://{next.Authority}); not following it");
        }

        return next;
    }

    private Task<T> SendAsync<T>(HttpMethod method, Uri uri, byte[]? body, Func<JsonElement, T> read, CancellationToken cancellationToken) =>
        SendAsync(method, uri, body, (e, _) => read(e), cancellationToken);

    private async Task<T> SendAsync<T>(HttpMethod method, Uri uri, byte[]? body, Func<JsonElement, HttpResponseMessage, T> read, CancellationToken cancellationToken)
    {
        var path = PathOf(uri);
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await AttemptAsync(method, uri, body, read, cancellationToken).ConfigureAwait(false);
            if (outcome.Done)
            {
                return outcome.Value!;
            }

            if (!outcome.Retryable)
            {
                throw new GitHubApiException(method.Method, path, outcome.Status, Mask(outcome.Reason));
            }

            if (attempt >= options.MaxAttempts)
            {
                throw new GitHubApiException(method.Method, path, outcome.Status,
                    Mask(string.Create(CultureInfo.InvariantCulture, $"gave up after {attempt} attempts; last: {outcome.Reason}")));
            }

            var wait = outcome.Wait ?? Backoff(attempt);
            if (outcome.Wait is not null && wait > options.MaxRateLimitWait)
            {
                throw new GitHubApiException(method.Method, path, outcome.Status,
                    Mask(string.Create(CultureInfo.InvariantCulture,
                        $"{outcome.Reason}; the limit lifts at {options.Time.GetUtcNow().Add(wait):yyyy-MM-ddTHH:mm:ssZ}, later than the {options.MaxRateLimitWait.TotalSeconds:0} s nspolicy waits")));
            }

            options.Log?.Invoke(Mask(string.Create(CultureInfo.InvariantCulture,
                $"GitHub API {method.Method} {path}: {outcome.Reason}; retrying in {wait.TotalSeconds:0.###} s (attempt {attempt + 1} of {options.MaxAttempts})")));
            await DelayAsync(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task DelayAsync(TimeSpan wait, CancellationToken cancellationToken) =>
        options.Delay is { } delay ? delay(wait, cancellationToken) : Task.Delay(wait, options.Time, cancellationToken);

    private async Task<Outcome<T>> AttemptAsync<T>(HttpMethod method, Uri uri, byte[]? body, Func<JsonElement, HttpResponseMessage, T> read, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue(options.UserAgent, null));
        request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        HttpResponseMessage response;
        string text;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Outcome<T>.Retry(null, string.Create(CultureInfo.InvariantCulture, $"no response within {options.RequestTimeout.TotalSeconds:0} s"), null);
        }
        catch (HttpRequestException e)
        {
            return Outcome<T>.Retry(null, $"connection failed ({e.Message})", null);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                try
                {
                    using var doc = JsonDocument.Parse(text);
                    return Outcome<T>.Success(read(doc.RootElement, response));
                }
                catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
                {
                    return Outcome<T>.Fail(status, $"unexpected response body ({e.Message})");
                }
            }

            var reason = Describe(response, text);
            if (RateLimitWait(response, text) is { } limited)
            {
                return Outcome<T>.Retry(status, $"rate limited: {reason}", limited);
            }

            if (status >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return Outcome<T>.Retry(status, reason, null);
            }

            return Outcome<T>.Fail(status, status switch
            {
                401 => $"{reason}; the token was rejected",
                403 => $"{reason}; the token may lack the issues: write or pull-requests: write permission",
                404 => $"{reason}; check the repository name and that the token can see it",
                _ => reason,
            });
        }
    }

    /// <summary>The wait after the given failed attempt: the initial back-off, doubled each time, capped.</summary>
    private TimeSpan Backoff(int failedAttempt)
    {
        var factor = Math.Pow(2, Math.Min(failedAttempt - 1, 30));
        return TimeSpan.FromTicks((long)Math.Min(options.InitialBackoff.Ticks * factor, options.MaxBackoff.Ticks));
    }

    /// <summary>How long a rate-limited response asks us to wait, or null when it is not a rate limit.</summary>
    private TimeSpan? RateLimitWait(HttpResponseMessage response, string text)
    {
        var status = response.StatusCode;
        if (status != HttpStatusCode.Forbidden && status != HttpStatusCode.TooManyRequests)
        {
            return null;
        }

        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            }

            if (retryAfter.Date is { } date)
            {
                var until = date - options.Time.GetUtcNow();
                return until < TimeSpan.Zero ? TimeSpan.Zero : until;
            }
        }

        if (Header(response, "x-ratelimit-remaining") == "0" &&
            long.TryParse(Header(response, "x-ratelimit-reset"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var reset))
        {
            // One second more: the reset time is whole seconds and clocks differ a little.
            var until = DateTimeOffset.FromUnixTimeSeconds(reset) - options.Time.GetUtcNow() + TimeSpan.FromSeconds(1);
            return until < TimeSpan.Zero ? TimeSpan.Zero : until;
        }

        if (status == HttpStatusCode.Forbidden && text.Contains("secondary rate limit", StringComparison.OrdinalIgnoreCase))
        {
            return SecondaryLimitWait;
        }

        return null;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault()?.Trim() : null;

    private static string Describe(HttpResponseMessage response, string text)
    {
        var status = string.Create(CultureInfo.InvariantCulture, $"{(int)response.StatusCode} {response.ReasonPhrase}").TrimEnd();
        return GitHubJson.ErrorMessage(text) is { Length: > 0 } message ? $"{status}: {message}" : status;
    }

    /// <summary>The request path relative to the API root, with its query: what error messages show.</summary>
    private string PathOf(Uri uri)
    {
        var relative = root.IsBaseOf(uri) ? uri.AbsoluteUri[(root.AbsoluteUri.Length - 1)..] : uri.PathAndQuery;
        return Mask(relative);
    }

    /// <summary>One attempt's result: a value, a failure worth retrying (after <see cref="Wait"/> when the server named one), or a final failure.</summary>
    private readonly record struct Outcome<T>(bool Done, T? Value, int? Status, string Reason, bool Retryable, TimeSpan? Wait)
    {
        public static Outcome<T> Success(T value) => new(true, value, null, string.Empty, false, null);

        public static Outcome<T> Retry(int? status, string reason, TimeSpan? wait) => new(false, default, status, reason, true, wait);

        public static Outcome<T> Fail(int? status, string reason) => new(false, default, status, reason, false, null);
    }
}
