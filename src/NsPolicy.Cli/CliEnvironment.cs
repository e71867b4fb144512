using NsPolicy.Dns.Transport;

namespace NsPolicy.Cli;

/// <summary>What the CLI reads from its surroundings, read once, so tests can set it.</summary>
internal sealed record CliEnvironment
{
    /// <summary>GITHUB_TOKEN, GITHUB_API_URL, GITHUB_REPOSITORY and GITHUB_EVENT_PATH, for issue sync and PR comments.</summary>
    public GitHubSettings GitHub { get; init; } = GitHubSettings.FromEnvironment(Environment.GetEnvironmentVariable);

    public CliEnvironment()
    {
        NoColor = Environment.GetEnvironmentVariable("NO_COLOR") is { Length: > 0 };
        OutputIsTerminal = !Console.IsOutputRedirected;
        Guard = NetworkGuard.FromSetting(Environment.GetEnvironmentVariable(NetworkGuard.LoopbackOnlyVariable));
    }

    /// <summary>Where DNS queries may go: loopback only when NSPOLICY_LOOPBACK_ONLY=1 (tests, sandboxes).</summary>
    public NetworkGuard Guard { get; init; }

    public bool NoColor { get; init; }

    public bool OutputIsTerminal { get; init; }
}
