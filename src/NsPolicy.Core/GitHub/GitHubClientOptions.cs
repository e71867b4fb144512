namespace NsPolicy.Core.GitHub;

/// <summary>
/// Where the GitHub API is, which repository, the token, and how hard to try. The composition root
/// builds this from the environment; the library never reads it. <see cref="ToString"/> never shows
/// the token.
/// </summary>
public sealed class GitHubClientOptions
{
    /// <summary>The public GitHub API; GitHub Enterprise servers use <c>https://HOST/api/v3</c>.</summary>
    public static Uri DefaultBaseUri { get; } = new("https://api.github.com");

    public GitHubClientOptions(GitHubRepository repository, string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        Repository = repository;
        Token = token;
    }

    public GitHubRepository Repository { get; }

    /// <summary>Sent only in the Authorization header of requests to <see cref="BaseUri"/>'s host.</summary>
    public string Token { get; }

    public Uri BaseUri { get; init; } = DefaultBaseUri;

    public string UserAgent { get; init; } = "nspolicy";

    /// <summary>Attempts per request, the first included, before giving up.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The wait after the first failure; it doubles after each further one up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest single wait a rate limit may ask for (<c>Retry-After</c> or
    /// <c>x-ratelimit-reset</c>); a longer one ends the request at once with an error saying when
    /// the limit resets.
    /// </summary>
    public TimeSpan MaxRateLimitWait { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest answer body read; a larger one ends the request with an error (a page of 100 issues at GitHub's 65536-character body limit is about 7 MB).</summary>
    public long MaxResponseBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>The clock that rate-limit reset times are measured against.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How the client waits between attempts; tests replace it so that nothing sleeps.</summary>
    public Func<TimeSpan, CancellationToken, Task>? Delay { get; init; }

    /// <summary>Receives one line per retried request (method, path, reason, wait); never the token.</summary>
    public Action<string>? Log { get; init; }

    public override string ToString() => $"GitHub API {BaseUri} repository {Repository} (token hidden)";
}
