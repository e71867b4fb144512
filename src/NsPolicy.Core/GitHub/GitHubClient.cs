using System.Globalization;
using Octokit;
using Octokit.Internal;

namespace NsPolicy.Core.GitHub;

/// <summary>
/// The few GitHub REST calls nspolicy needs — issues (list by label, get, create, edit) and issue
/// comments (list, create, edit) — on Octokit's <see cref="Connection"/> and models, with
/// <see cref="GitHubHttpHandler"/> underneath for what Octokit leaves out (retries, rate limits,
/// the token kept to the API host, no redirects elsewhere, a size cap, cancellation). The
/// <see cref="Connection"/> is given the API root as it is (Octokit's own client would rewrite a
/// non-github.com address to <c>/api/v3/</c>). Lists are read 100 items a page by following the
/// <c>Link</c> header. Every failure is a <see cref="GitHubApiException"/> with the token masked.
/// </summary>
public sealed partial class GitHubClient : IDisposable
{
    private const int PageSize = 100;
    private const int MaxPages = 10_000;

    private readonly GitHubClientOptions options;
    private readonly GitHubHttpHandler handler;
    private readonly HttpClientAdapter adapter;
    private readonly Connection connection;

    /// <param name="options">Where, which repository, the token, and how hard to try.</param>
    /// <param name="transport">The HTTP handler to send through (tests pass their own); null: a <see cref="SocketsHttpHandler"/> that follows no redirects.</param>
    public GitHubClient(GitHubClientOptions options, HttpMessageHandler? transport = null)
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
        // A trailing slash makes Octokit's relative paths land under a GitHub Enterprise '/api/v3' root.
        var root = new Uri(options.BaseUri.AbsoluteUri.TrimEnd('/') + "/");
        var inner = transport ?? new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) };
        handler = new GitHubHttpHandler(options, root, transport is null ? inner : new NonDisposing(inner));
        adapter = new HttpClientAdapter(() => handler);
        connection = new Connection(
            new ProductHeaderValue(options.UserAgent),
            root,
            new InMemoryCredentialStore(new Credentials(options.Token, AuthenticationType.Bearer)),
            adapter,
            new SimpleJsonSerializer());
        // The handler times each attempt; its retries and rate-limit waits must not be cut short.
        connection.SetRequestTimeout(Timeout.InfiniteTimeSpan);
    }

    public GitHubRepository Repository => options.Repository;

    /// <summary>Every issue (not pull request) carrying <paramref name="label"/>, in any state, oldest first.</summary>
    public async Task<IReadOnlyList<Issue>> ListIssuesAsync(string label, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["labels"] = label,
            ["state"] = "all",
            ["sort"] = "created",
            ["direction"] = "asc",
            ["per_page"] = PageSize.ToString(CultureInfo.InvariantCulture),
        };
        var issues = await ListAsync<Issue>(ApiUrls.Issues(Owner, Name), parameters, cancellationToken).ConfigureAwait(false);
        return issues.Where(i => i.PullRequest is null).ToList();
    }

    public Task<Issue> GetIssueAsync(int number, CancellationToken cancellationToken) =>
        CallAsync(() => connection.Get<Issue>(ApiUrls.Issue(Owner, Name, Number(number)), null, null, cancellationToken), cancellationToken);

    public Task<Issue> CreateIssueAsync(NewIssue issue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issue);
        return CallAsync(() => connection.Post<Issue>(ApiUrls.Issues(Owner, Name), issue, null, null, cancellationToken: cancellationToken), cancellationToken, atMostOnce: true);
    }

    /// <summary>
    /// Edits an issue. Octokit always sends <see cref="IssueUpdate.Milestone"/>, null included,
    /// which clears it: build the update with <see cref="UpdateFor"/> to keep the issue's milestone.
    /// </summary>
    public Task<Issue> EditIssueAsync(int number, IssueUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        return CallAsync(() => connection.Patch<Issue>(ApiUrls.Issue(Owner, Name, Number(number)), update), cancellationToken);
    }

    /// <summary>An empty update for <paramref name="issue"/> that leaves its milestone as it is.</summary>
    public static IssueUpdate UpdateFor(Issue issue)
    {
        ArgumentNullException.ThrowIfNull(issue);
        return new IssueUpdate { Milestone = issue.Milestone?.Number };
    }

    /// <summary>The comments of an issue or pull request, oldest first.</summary>
    public Task<IReadOnlyList<IssueComment>> ListCommentsAsync(int number, CancellationToken cancellationToken) =>
        ListAsync<IssueComment>(
            ApiUrls.IssueComments(Owner, Name, Number(number)),
            new Dictionary<string, string>(StringComparer.Ordinal) { ["per_page"] = PageSize.ToString(CultureInfo.InvariantCulture) },
            cancellationToken);

    public Task<IssueComment> CreateCommentAsync(int number, string body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return CallAsync(() => connection.Post<IssueComment>(ApiUrls.IssueComments(Owner, Name, Number(number)), new BodyWrapper(body), null, null, cancellationToken: cancellationToken), cancellationToken, atMostOnce: true);
    }

    public Task<IssueComment> EditCommentAsync(long commentId, string body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return CallAsync(() => connection.Patch<IssueComment>(ApiUrls.IssueComment(Owner, Name, commentId), new BodyWrapper(body)), cancellationToken);
    }

    /// <summary>
    /// Creates something at most once: when a create's answer is lost (cut connection, timeout, 5xx
    /// after sending) GitHub may have carried it out, so <paramref name="find"/> looks for it before
    /// <paramref name="create"/> runs again. Bounded by <see cref="GitHubClientOptions.MaxAttempts"/>,
    /// with the usual back-off between attempts.
    /// </summary>
    public async Task<T> CreateOnceAsync<T>(Func<CancellationToken, Task<T>> create, Func<CancellationToken, Task<T?>> find, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(find);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await create(cancellationToken).ConfigureAwait(false);
            }
            catch (GitHubApiException e) when (e.MayHaveTakenEffect)
            {
                if (attempt >= options.MaxAttempts)
                {
                    throw new GitHubApiException(e.Method!, e.Path!, e.StatusCode,
                        string.Create(CultureInfo.InvariantCulture, $"gave up after {attempt} attempts; last: {LastReason(e)}"));
                }

                var wait = GitHubRetryPolicy.Backoff(options, attempt);
                options.Log?.Invoke(handler.Mask(string.Create(CultureInfo.InvariantCulture,
                    $"{e.Message}; looking for it before trying again in {wait.TotalSeconds:0.###} s (attempt {attempt + 1} of {options.MaxAttempts})")));
                await GitHubRetryPolicy.DelayAsync(options, wait, cancellationToken).ConfigureAwait(false);
                if (await find(cancellationToken).ConfigureAwait(false) is { } found)
                {
                    return found;
                }
            }
        }
    }

    public void Dispose() => adapter.Dispose();

    private string Owner => options.Repository.Owner;

    private string Name => options.Repository.Name;

    private static int Number(int number) =>
        number > 0 ? number : throw new ArgumentOutOfRangeException(nameof(number), "issue numbers start at 1");

    private static string LastReason(GitHubApiException e)
    {
        const string suffix = "; GitHub may have carried it out";
        var prefix = $"GitHub API {e.Method} {e.Path}: ";
        var message = e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message;
        return message.EndsWith(suffix, StringComparison.Ordinal) ? message[..^suffix.Length] : message;
    }

    private async Task<IReadOnlyList<T>> ListAsync<T>(Uri first, Dictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        Uri? next = first;
        IDictionary<string, string>? query = parameters;
        var pages = 0;
        while (next is not null)
        {
            // A server that keeps sending "next" must not keep us here for ever.
            if (++pages > MaxPages)
            {
                throw new GitHubApiException("GET", handler.PathOf(next), null, string.Create(CultureInfo.InvariantCulture, $"more than {MaxPages} pages; giving up"));
            }

            var uri = next;
            var q = query;
            var page = await RunAsync(() => connection.Get<List<T>>(uri, q, null, cancellationToken), cancellationToken).ConfigureAwait(false);
            items.AddRange(page.Body ?? []);
            // The next page's address comes whole from the Link header; the handler refuses one outside the API root.
            next = page.HttpResponse.ApiInfo?.GetNextPageUrl();
            query = null;
        }

        return items;
    }

    /// <summary>Runs one Octokit call with the caller's cancellation token in reach of the handler; anything Octokit throws becomes a <see cref="GitHubApiException"/>.</summary>
    /// <param name="atMostOnce">The call creates an issue or comment: a lost answer is not followed by a second request (see <see cref="CreateOnceAsync"/>).</param>
    private async Task<T> CallAsync<T>(Func<Task<IApiResponse<T>>> call, CancellationToken cancellationToken, bool atMostOnce = false) =>
        (await RunAsync(call, cancellationToken, atMostOnce).ConfigureAwait(false)).Body;

    private async Task<T> RunAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken, bool atMostOnce = false)
    {
        cancellationToken.ThrowIfCancellationRequested();
        handler.Ambient = cancellationToken;
        handler.AtMostOnce = atMostOnce;
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not GitHubApiException and not OperationCanceledException)
        {
            // Octokit's own errors: an answer it could not read, or a same-host redirect loop.
            throw new GitHubApiException(handler.Mask($"GitHub API: unexpected answer ({e.GetType().Name}: {NsPolicy.Dns.Excerpt.Of(e.Message, 300)})"), e);
        }
    }

    /// <summary>Keeps a handler the caller owns alive when the client is disposed.</summary>
    private sealed class NonDisposing(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override void Dispose(bool disposing)
        {
        }
    }
}
