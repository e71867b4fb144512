using System.Globalization;
using System.Net.Http.Headers;

namespace NsPolicy.Core.GitHub;

/// <summary>
/// What Octokit leaves to the caller, as one <see cref="DelegatingHandler"/> under Octokit's
/// <c>HttpClientAdapter</c>: requests go only to the API root (so the token never reaches another
/// host, and a redirect or <c>Link</c> page elsewhere is refused); rate limits (403/429 with
/// <c>Retry-After</c>, or <c>x-ratelimit-remaining: 0</c> with <c>x-ratelimit-reset</c>, or a
/// secondary limit named in the body), 5xx answers, timeouts and broken connections are retried
/// with bounded exponential back-off; bodies are read up to a size cap; every failure that ends a
/// request is a <see cref="GitHubApiException"/> naming it, with the token masked. A create that
/// would duplicate (an issue, a comment: the caller sets <see cref="AtMostOnce"/>) is not sent again
/// after a failure that may have come after GitHub carried it out (the exception says
/// <see cref="GitHubApiException.MayHaveTakenEffect"/>): the caller looks before creating again.
/// Other POSTs (git blobs, trees and commits are content-addressed; a branch or pull request that
/// exists gets 422) are retried like the rest.
/// </summary>
internal sealed class GitHubHttpHandler : DelegatingHandler
{
    private readonly GitHubClientOptions options;
    private readonly Uri root;
    private readonly AsyncLocal<CancellationToken> ambient = new();
    private readonly AsyncLocal<bool> atMostOnce = new();

    public GitHubHttpHandler(GitHubClientOptions options, Uri root, HttpMessageHandler inner)
        : base(inner)
    {
        this.options = options;
        this.root = root;
    }

    /// <summary>
    /// Octokit's issue calls take no <see cref="CancellationToken"/>; the client puts the caller's
    /// here for the duration of its call (the value flows with the async call, not to other calls).
    /// </summary>
    public CancellationToken Ambient
    {
        get => ambient.Value;
        set => ambient.Value = value;
    }

    /// <summary>The call in progress creates something that a repeated request would duplicate.</summary>
    public bool AtMostOnce
    {
        get => atMostOnce.Value;
        set => atMostOnce.Value = value;
    }

    /// <summary>Replaces every occurrence of the token in <paramref name="text"/>.</summary>
    public string Mask(string text) => text.Replace(options.Token, "***", StringComparison.Ordinal);

    /// <summary>The request path relative to the API root, with its query: what error messages show.</summary>
    public string PathOf(Uri uri)
    {
        var relative = root.IsBaseOf(uri) ? uri.AbsoluteUri[(root.AbsoluteUri.Length - 1)..] : uri.PathAndQuery;
        return Mask(relative);
    }

    /// <summary>True when <paramref name="uri"/> is under the API root: same scheme, host and port, and path below it.</summary>
    public bool IsUnderRoot(Uri uri) =>
        uri.IsAbsoluteUri && uri.Scheme == root.Scheme &&
        string.Equals(uri.Authority, root.Authority, StringComparison.OrdinalIgnoreCase) &&
        uri.AbsolutePath.StartsWith(root.AbsolutePath, StringComparison.Ordinal);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var method = request.Method.Method;
        if (!IsUnderRoot(uri))
        {
            // A Link header's next page or a redirect: the request would carry the token elsewhere.
            throw new GitHubApiException(method, PathOf(uri), null,
                $"{uri.Scheme}://{uri.Authority} is outside the GitHub API root ({root.Scheme}://{root.Authority}{root.AbsolutePath.TrimEnd('/')}); not sending it");
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Ambient);
        var token = linked.Token;
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(token).ConfigureAwait(false);
        var path = PathOf(uri);
        var mayRepeat = !(AtMostOnce && request.Method == HttpMethod.Post);
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await AttemptAsync(request, body, token).ConfigureAwait(false);
            if (outcome.Response is { } response)
            {
                return response;
            }

            if (!outcome.Retryable)
            {
                throw new GitHubApiException(method, path, outcome.Status, Mask(outcome.Reason));
            }

            if (outcome.Ambiguous && !mayRepeat)
            {
                throw new GitHubApiException(method, path, outcome.Status, Mask($"{outcome.Reason}; GitHub may have carried it out")) { MayHaveTakenEffect = true };
            }

            if (attempt >= options.MaxAttempts)
            {
                throw new GitHubApiException(method, path, outcome.Status,
                    Mask(string.Create(CultureInfo.InvariantCulture, $"gave up after {attempt} attempts; last: {outcome.Reason}")));
            }

            var wait = outcome.Wait ?? GitHubRetryPolicy.Backoff(options, attempt);
            if (outcome.Wait is not null && wait > options.MaxRateLimitWait)
            {
                throw new GitHubApiException(method, path, outcome.Status,
                    Mask(string.Create(CultureInfo.InvariantCulture,
                        $"{outcome.Reason}; the limit lifts at {options.Time.GetUtcNow().Add(wait):yyyy-MM-ddTHH:mm:ssZ}, later than the {options.MaxRateLimitWait.TotalSeconds:0} s nspolicy waits")));
            }

            options.Log?.Invoke(Mask(string.Create(CultureInfo.InvariantCulture,
                $"GitHub API {method} {path}: {outcome.Reason}; retrying in {wait.TotalSeconds:0.###} s (attempt {attempt + 1} of {options.MaxAttempts})")));
            await GitHubRetryPolicy.DelayAsync(options, wait, token).ConfigureAwait(false);
        }
    }

    private async Task<AttemptOutcome> AttemptAsync(HttpRequestMessage original, byte[]? body, CancellationToken cancellationToken)
    {
        using var request = Copy(original, body);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        HttpResponseMessage response;
        byte[] content;
        try
        {
            response = await base.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return TimedOut();
        }
        catch (HttpRequestException e)
        {
            // Only a connection that was never made is known not to have carried the request.
            return AttemptOutcome.Retry(null, $"connection failed ({e.Message})", null, ambiguous: e.HttpRequestError != HttpRequestError.ConnectionError);
        }

        try
        {
            content = await ReadCappedAsync(response, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            response.Dispose();
            return TimedOut();
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            response.Dispose();
            return AttemptOutcome.Retry((int)response.StatusCode, $"connection failed while reading the answer ({e.Message})", null, ambiguous: true);
        }
        catch (TooLargeException)
        {
            response.Dispose();
            return AttemptOutcome.Fail((int)response.StatusCode, string.Create(CultureInfo.InvariantCulture, $"the answer is larger than the {options.MaxResponseBytes} bytes nspolicy reads"));
        }

        var status = (int)response.StatusCode;
        if (status is >= 300 and < 400 && response.Headers.Location is { } location)
        {
            var target = location.IsAbsoluteUri ? location : new Uri(original.RequestUri!, location);
            if (!IsUnderRoot(target))
            {
                response.Dispose();
                return AttemptOutcome.Fail(status, $"{status} redirect to {target.Scheme}://{target.Authority}, outside the GitHub API root; not following it");
            }

            // Octokit follows a redirect that stays under the root; it comes back through here.
            return AttemptOutcome.Success(Rebuild(response, original, content));
        }

        if (response.IsSuccessStatusCode)
        {
            return AttemptOutcome.Success(Rebuild(response, original, content));
        }

        return GitHubRetryPolicy.Classify(response, content, options);
    }

    private AttemptOutcome TimedOut() => AttemptOutcome.Retry(null,
        string.Create(CultureInfo.InvariantCulture, $"no response within {options.RequestTimeout.TotalSeconds:0} s"), null, ambiguous: true);

    private static HttpRequestMessage Copy(HttpRequestMessage original, byte[]? body)
    {
        var copy = new HttpRequestMessage(original.Method, original.RequestUri) { Version = original.Version };
        foreach (var header in original.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        // GitHub's current media type and API version, unless the caller asked for others.
        if (!copy.Headers.Contains("Accept"))
        {
            copy.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        }

        if (!copy.Headers.Contains("X-GitHub-Api-Version"))
        {
            copy.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
        }

        if (body is not null)
        {
            copy.Content = new ByteArrayContent(body);
            foreach (var header in original.Content!.Headers)
            {
                copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return copy;
    }

    /// <summary>The response again, its body the bytes already read, for Octokit to parse.</summary>
    private static HttpResponseMessage Rebuild(HttpResponseMessage response, HttpRequestMessage request, byte[] content)
    {
        var rebuilt = new HttpResponseMessage(response.StatusCode)
        {
            ReasonPhrase = response.ReasonPhrase,
            RequestMessage = request,
            Version = response.Version,
            Content = new ByteArrayContent(content),
        };
        foreach (var header in response.Headers)
        {
            rebuilt.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        foreach (var header in response.Content.Headers)
        {
            if (!header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                rebuilt.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        response.Dispose();
        return rebuilt;
    }

    private async Task<byte[]> ReadCappedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var cap = options.MaxResponseBytes;
        if (response.Content.Headers.ContentLength is > 0 and var length && length > cap)
        {
            throw new TooLargeException();
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > cap)
            {
                throw new TooLargeException();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private sealed class TooLargeException : Exception
    {
    }
}
