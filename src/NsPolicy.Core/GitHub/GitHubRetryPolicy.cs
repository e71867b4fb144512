using System.Globalization;
using System.Net;
using System.Text.Json;
using NsPolicy.Dns;

namespace NsPolicy.Core.GitHub;

/// <summary>
/// When a GitHub API request is tried again, and after how long: the bounded exponential back-off,
/// the waits that rate-limited answers ask for, and the reading of a failed answer into a retry or a
/// final failure with GitHub's own words (bounded and escaped). <see cref="GitHubHttpHandler"/> sends.
/// </summary>
internal static class GitHubRetryPolicy
{
    // GitHub asks clients hit by a secondary rate limit without Retry-After to wait at least a minute.
    private static readonly TimeSpan SecondaryLimitWait = TimeSpan.FromMinutes(1);

    /// <summary>The wait after the given failed attempt: the initial back-off, doubled each time, capped.</summary>
    public static TimeSpan Backoff(GitHubClientOptions options, int failedAttempt)
    {
        var factor = Math.Pow(2, Math.Min(failedAttempt - 1, 30));
        return TimeSpan.FromTicks((long)Math.Min(options.InitialBackoff.Ticks * factor, options.MaxBackoff.Ticks));
    }

    public static Task DelayAsync(GitHubClientOptions options, TimeSpan wait, CancellationToken cancellationToken) =>
        options.Delay is { } delay ? delay(wait, cancellationToken) : Task.Delay(wait, options.Time, cancellationToken);

    /// <summary>A failed answer (its body already read) as a retry or a final failure; disposes it.</summary>
    public static AttemptOutcome Classify(HttpResponseMessage response, byte[] content, GitHubClientOptions options)
    {
        var status = (int)response.StatusCode;
        using (response)
        {
            var text = System.Text.Encoding.UTF8.GetString(content);
            var reason = Describe(response, text);
            if (RateLimitWait(response, text, options) is { } limited)
            {
                return AttemptOutcome.Retry(status, $"rate limited: {reason}", limited, ambiguous: false);
            }

            if (status >= 500)
            {
                return AttemptOutcome.Retry(status, reason, null, ambiguous: true);
            }

            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return AttemptOutcome.Retry(status, reason, null, ambiguous: false);
            }

            return AttemptOutcome.Fail(status, status switch
            {
                401 => $"{reason}; the token was rejected",
                403 => $"{reason}; the token may lack the issues: write or pull-requests: write permission",
                404 => $"{reason}; check the repository name and that the token can see it",
                _ => reason,
            });
        }
    }

    /// <summary>How long a rate-limited response asks us to wait, or null when it is not a rate limit.</summary>
    private static TimeSpan? RateLimitWait(HttpResponseMessage response, string text, GitHubClientOptions options)
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
            long.TryParse(Header(response, "x-ratelimit-reset"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var reset) &&
            reset is >= 0 and < 100_000_000_000)
        {
            // One second more: the reset time is whole seconds and clocks differ a little.
            var until = DateTimeOffset.FromUnixTimeSeconds(reset) - options.Time.GetUtcNow() + TimeSpan.FromSeconds(1);
            return until < TimeSpan.Zero ? TimeSpan.Zero : until;
        }

        if (text.Contains("secondary rate limit", StringComparison.OrdinalIgnoreCase))
        {
            return SecondaryLimitWait;
        }

        return null;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault()?.Trim() : null;

    private static string Describe(HttpResponseMessage response, string text)
    {
        var status = string.Create(CultureInfo.InvariantCulture, $"{(int)response.StatusCode} {Excerpt.Of(response.ReasonPhrase)}").TrimEnd();
        return ErrorMessage(text) is { Length: > 0 } message ? $"{status}: {Bounded(message)}" : status;
    }

    /// <summary>GitHub's error message (<c>message</c>, plus any <c>errors[].message</c>), or null.</summary>
    internal static string? ErrorMessage(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var message = StringMember(doc.RootElement, "message");
            if (doc.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                var joined = string.Join("; ", errors.EnumerateArray()
                    .Select(x => x.ValueKind == JsonValueKind.Object ? StringMember(x, "message") ?? StringMember(x, "code") : null)
                    .Where(x => x is not null));
                if (joined.Length > 0)
                {
                    message = message is null ? joined : $"{message} ({joined})";
                }
            }

            return message;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? StringMember(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A server's words: one line of at most 300 characters, escaped.</summary>
    private static string Bounded(string text) => Excerpt.Of(text, 300);
}

/// <summary>One attempt's result: a response to hand to Octokit, a failure worth retrying (after <see cref="Wait"/> when the server named one), or a final failure.</summary>
internal readonly record struct AttemptOutcome(HttpResponseMessage? Response, int? Status, string Reason, bool Retryable, TimeSpan? Wait, bool Ambiguous)
{
    public static AttemptOutcome Success(HttpResponseMessage response) => new(response, null, string.Empty, false, null, false);

    public static AttemptOutcome Retry(int? status, string reason, TimeSpan? wait, bool ambiguous) => new(null, status, reason, true, wait, ambiguous);

    public static AttemptOutcome Fail(int? status, string reason) => new(null, status, reason, false, null, false);
}
