using NsPolicy.Core.Secrets;
using NsPolicy.Dns.Transport;

namespace NsPolicy.Cli;

/// <summary>What the CLI reads from its surroundings, read once, so tests can set it.</summary>
internal sealed record CliEnvironment
{
    /// <summary>GITHUB_TOKEN, GITHUB_API_URL, GITHUB_REPOSITORY and GITHUB_EVENT_PATH, for issue sync and PR comments.</summary>
    public GitHubSettings GitHub { get; init; }

    /// <summary>This process's surroundings: its environment variables, current directory and console.</summary>
    public CliEnvironment()
        : this(Environment.GetEnvironmentVariable, Environment.CurrentDirectory, !Console.IsOutputRedirected, !Console.IsErrorRedirected)
    {
    }

    /// <summary>Surroundings given by the caller: environment variables through <paramref name="variable"/>.</summary>
    public CliEnvironment(Func<string, string?> variable, string workingDirectory, bool outputIsTerminal, bool errorIsTerminal)
    {
        ArgumentNullException.ThrowIfNull(variable);
        string? NonEmpty(string name) => variable(name) is { Length: > 0 } value ? value : null;
        GitHub = GitHubSettings.FromEnvironment(variable);
        NoColor = NonEmpty("NO_COLOR") is not null;
        OutputIsTerminal = outputIsTerminal;
        ErrorIsTerminal = errorIsTerminal;
        if (!NetworkGuard.TryFromSettings(
                variable(NetworkGuard.LoopbackOnlyVariable),
                variable(NetworkGuard.AllowPrefixesVariable),
                out var guard,
                out var guardError))
        {
            GuardError = guardError;
        }

        Guard = guard;
        WorkingDirectory = workingDirectory;
        GitHubWorkspace = NonEmpty("GITHUB_WORKSPACE");
        GitHubStepSummary = NonEmpty("GITHUB_STEP_SUMMARY");
        GitHubOutput = NonEmpty("GITHUB_OUTPUT");
        GitHubServerUrl = NonEmpty("GITHUB_SERVER_URL") is { } server && Uri.TryCreate(server, UriKind.Absolute, out var url) &&
            (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp) ? url.AbsoluteUri : null;
        InGitHubActions = variable("GITHUB_ACTIONS") == "true";
        RepositoryRoot = GitHubWorkspace ?? GitRoot(WorkingDirectory) ?? WorkingDirectory;
    }

    /// <summary>
    /// What report paths (SARIF, annotations) are relative to: GITHUB_WORKSPACE under Actions, else
    /// the nearest folder above the working directory that holds <c>.git</c>, else the working directory.
    /// </summary>
    public string RepositoryRoot { get; init; }

    private static string? GitRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var git = Path.Combine(dir.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <summary>GITHUB_SERVER_URL (an http(s) URL, else null): pull-request comments link to files there.</summary>
    public string? GitHubServerUrl { get; init; }

    /// <summary>GITHUB_ACTIONS=true: the job summary is written whatever the formats.</summary>
    public bool InGitHubActions { get; init; }

    /// <summary>Hides secrets (tokens, passwords, keys from the environment) in every output nspolicy writes.</summary>
    public SecretMasker Masker { get; init; } = SecretMasker.None;

    /// <summary>
    /// Where DNS queries may go: loopback only when NSPOLICY_LOOPBACK_ONLY=1 (tests, sandboxes),
    /// widened to the unique-local prefixes of NSPOLICY_ALLOW_PREFIXES (the lab's namespace).
    /// </summary>
    public NetworkGuard Guard { get; init; }

    /// <summary>Why NSPOLICY_ALLOW_PREFIXES was refused (every command then ends with exit 2), or null.</summary>
    public string? GuardError { get; init; }

    public bool NoColor { get; init; }

    public bool OutputIsTerminal { get; init; }

    /// <summary>stderr is a terminal: long runs show their progress there.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>The directory relative paths on the command line are resolved against.</summary>
    public string WorkingDirectory { get; init; }

    /// <summary>A path from the command line as a full path, relative ones from <see cref="WorkingDirectory"/>: what nspolicy reads and writes (reports keep the path as given).</summary>
    public string FullPath(string path) => Path.GetFullPath(path, WorkingDirectory);

    /// <summary>GITHUB_WORKSPACE: the repository checkout under Actions; report paths are made relative to it.</summary>
    public string? GitHubWorkspace { get; init; }

    /// <summary>GITHUB_STEP_SUMMARY: the file the github format appends its Markdown job summary to.</summary>
    public string? GitHubStepSummary { get; init; }

    /// <summary>GITHUB_OUTPUT: the file step outputs (finding counts, report paths) are appended to.</summary>
    public string? GitHubOutput { get; init; }
}
