using NsPolicy.Core.Secrets;
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
        ErrorIsTerminal = !Console.IsErrorRedirected;
        Guard = NetworkGuard.FromSetting(Environment.GetEnvironmentVariable(NetworkGuard.LoopbackOnlyVariable));
        WorkingDirectory = Environment.CurrentDirectory;
        GitHubWorkspace = NonEmpty("GITHUB_WORKSPACE");
        GitHubStepSummary = NonEmpty("GITHUB_STEP_SUMMARY");
        GitHubOutput = NonEmpty("GITHUB_OUTPUT");
    }

    /// <summary>Hides secrets (tokens, passwords, keys from the environment) in every output nspolicy writes.</summary>
    public SecretMasker Masker { get; init; } = SecretMasker.None;

    /// <summary>Where DNS queries may go: loopback only when NSPOLICY_LOOPBACK_ONLY=1 (tests, sandboxes).</summary>
    public NetworkGuard Guard { get; init; }

    public bool NoColor { get; init; }

    public bool OutputIsTerminal { get; init; }

    /// <summary>stderr is a terminal: long runs show their progress there.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>The directory relative paths on the command line are resolved against.</summary>
    public string WorkingDirectory { get; init; }

    /// <summary>GITHUB_WORKSPACE: the repository checkout under Actions; report paths are made relative to it.</summary>
    public string? GitHubWorkspace { get; init; }

    /// <summary>GITHUB_STEP_SUMMARY: the file the github format appends its Markdown job summary to.</summary>
    public string? GitHubStepSummary { get; init; }

    /// <summary>GITHUB_OUTPUT: the file step outputs (finding counts, report paths) are appended to.</summary>
    public string? GitHubOutput { get; init; }

    private static string? NonEmpty(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : null;
}
