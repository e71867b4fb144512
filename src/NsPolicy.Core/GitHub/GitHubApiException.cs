namespace NsPolicy.Core.GitHub;

/// <summary>
/// A GitHub API request failed for good. The message names the request (method and path relative
/// to the API root, never the token), the status when there was one, and GitHub's own message.
/// </summary>
public sealed class GitHubApiException : Exception
{
    public GitHubApiException()
    {
    }

    public GitHubApiException(string message)
        : base(message)
    {
    }

    public GitHubApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GitHubApiException(string method, string path, int? statusCode, string message)
        : base($"GitHub API {method} {path}: {message}")
    {
        Method = method;
        Path = path;
        StatusCode = statusCode;
    }

    public string? Method { get; }

    public string? Path { get; }

    /// <summary>
    /// The request was a create (POST) whose answer was lost or was a 5xx: GitHub may have carried
    /// it out. The caller looks for what it created before creating again.
    /// </summary>
    public bool MayHaveTakenEffect { get; init; }

    /// <summary>The HTTP status of the last response, or null when none came (connection failure).</summary>
    public int? StatusCode { get; }
}
