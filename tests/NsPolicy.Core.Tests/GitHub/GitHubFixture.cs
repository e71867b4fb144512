using System.Collections.Concurrent;
using NsPolicy.Core.Findings;
using NsPolicy.Dns;
using NsPolicy.Core.GitHub;
using NsPolicy.Core.Tests.Support;
using NsPolicy.Tests.Shared.GitHub;

namespace NsPolicy.Core.Tests.GitHub;

/// <summary>
/// A running GitHub stand-in and clients for it whose waits are recorded instead of slept, and
/// whose log lines are kept, so tests can look for the token in everything the client said.
/// </summary>
internal sealed class GitHubFixture : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = FixedTime.Today.GetUtcNow();

    private GitHubFixture(GitHubStandIn standIn)
    {
        StandIn = standIn;
    }

    public GitHubStandIn StandIn { get; }

    /// <summary>Every wait a client asked for, in order.</summary>
    public ConcurrentQueue<TimeSpan> Waits { get; } = new();

    public ConcurrentQueue<string> Log { get; } = new();

    public static async Task<GitHubFixture> StartAsync() => new(await GitHubStandIn.StartAsync());

    public GitHubClient Client(int maxAttempts = 5, string? token = null, string userAgent = "nspolicy") =>
        new(new GitHubClientOptions(GitHubRepository.TryParse(StandIn.Repository, out var repo) ? repo : throw new InvalidOperationException(), token ?? StandIn.Token)
        {
            BaseUri = StandIn.BaseUri,
            MaxAttempts = maxAttempts,
            UserAgent = userAgent,
            Time = FixedTime.Today,
            Delay = (wait, _) =>
            {
                Waits.Enqueue(wait);
                return Task.CompletedTask;
            },
            Log = Log.Enqueue,
            RequestTimeout = TimeSpan.FromSeconds(20),
        });

    public IssueSync Sync(GitHubClient client, bool dryRun = false) => new(client, new IssueSyncOptions { DryRun = dryRun });

    public IReadOnlyList<StandInIssue> Marked(string zone) =>
        StandIn.Issues.Where(i => i.Body.Contains(IssueMarker.ForZone(zone), StringComparison.Ordinal)).ToList();

    public ValueTask DisposeAsync() => StandIn.DisposeAsync();

    public static RatedFinding Error(string zone, string code = "POLICY_GLUE_MISSING", string message = "nameserver ns1 has no glue", int line = 4) =>
        new(new Finding(code, new SourceLocation("nspolicy.yaml", line, 9), message, DnsName.Parse(zone)), Severity.Error, null);

    public static RatedFinding Acknowledged(string zone, string code = "POLICY_DS_DIGEST_TYPE_DEPRECATED") =>
        new(new Finding(code, new SourceLocation("nspolicy.yaml", 9, 9), "DS uses SHA-1", DnsName.Parse(zone)), Severity.Warning, new Acknowledged("registrar", new DateOnly(2099, 1, 31)));
}
