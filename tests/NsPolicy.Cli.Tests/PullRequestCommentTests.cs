using NsPolicy.Tests.Shared.GitHub;

namespace NsPolicy.Cli.Tests;

/// <summary>
/// <c>nspolicy check --pr-comment</c> in a temporary git repository, end to end against the GitHub
/// stand-in: the sticky comment carries the findings and, below them, the delegation diff of
/// <c>nspolicy diff</c> against the pull request's base commit or <c>--changed-since</c>.
/// </summary>
public sealed class PullRequestCommentTests : IAsyncLifetime, IDisposable
{
    // example.org's zone file holds out-of-zone data (a finding); the pull request moves example.com from ns2 to ns3.
    private const string Policy =
        "version: 1\n" +
        "zones:\n" +
        "  - zone: example.com\n" +
        "    nameservers: [ns1.example.net, NS2]\n" +
        "    zone-file: zones/example.com.zone\n" +
        "  - zone: example.org\n" +
        "    nameservers: [ns1.example.net, ns2.example.net]\n" +
        "    zone-file: zones/example.org.zone\n";

    private const string DiffRow = "| added | NS `ns3.example.net.` |  |  | policy, zone file |";

    private readonly TempGitRepository repo = new();
    private readonly TempDirectory events = new();
    private GitHubStandIn hub = null!;
    private string baseCommit = string.Empty;

    public async Task InitializeAsync()
    {
        hub = await GitHubStandIn.StartAsync();
        hub.Seed("Move example.com to ns3", string.Empty, [], pullRequest: true);
        Directory.CreateDirectory(Path.Combine(repo.Path, "zones"));
        Write("ns2.example.net");
        repo.CommitAll("base");
        baseCommit = repo.CommitOf("HEAD");
        Write("ns3.example.net");
    }

    public async Task DisposeAsync() => await hub.DisposeAsync();

    public void Dispose()
    {
        repo.Dispose();
        events.Dispose();
    }

    [Fact]
    public async Task The_comment_carries_the_findings_and_below_them_the_delegation_diff_since_the_pull_request_base()
    {
        var result = await RunAsync(Event(baseCommit), "check", "--offline", "--pr-comment");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("nspolicy: github: commented on #1\n", result.Stderr);
        var body = Assert.Single(hub.CommentsOn(1)).Body;
        Assert.StartsWith("<!-- nspolicy:comment=check -->\n## nspolicy\n", body, StringComparison.Ordinal);
        var finding = body.IndexOf("ZONE_OUT_OF_ZONE", StringComparison.Ordinal);
        var diff = body.IndexOf($"### Delegation changes since `{baseCommit[..12]}`\n\n2 delegation changes in 1 zone since `{baseCommit[..12]}`.\n\n#### `example.com.`", StringComparison.Ordinal);
        Assert.True(finding > 0 && diff > finding, body);
        Assert.Contains(DiffRow, body, StringComparison.Ordinal);
        Assert.Contains("| removed | NS `ns2.example.net.` |  |  | policy, zone file |", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changed_since_names_the_base_of_the_diff_and_of_the_checks()
    {
        repo.Git("branch", "review-base", baseCommit);

        var result = await RunAsync(Event(baseSha: null), "check", "--offline", "--pr-comment", "--changed-since", "review-base");

        Assert.Equal(0, result.ExitCode);
        var body = Assert.Single(hub.CommentsOn(1)).Body;
        Assert.DoesNotContain("ZONE_OUT_OF_ZONE", body, StringComparison.Ordinal);
        Assert.Contains("### Delegation changes since `review-base`", body, StringComparison.Ordinal);
        Assert.Contains(DiffRow, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_serial_the_pull_request_forgot_to_increase_is_an_error_in_the_findings_and_in_the_diff()
    {
        repo.Git("branch", "review-base", baseCommit);
        Write("ns3.example.net", serial: 1);

        var result = await RunAsync(Event(baseSha: null), "check", "--offline", "--pr-comment", "--changed-since", "review-base");

        Assert.Equal(1, result.ExitCode);
        var body = Assert.Single(hub.CommentsOn(1)).Body;
        var diff = body.IndexOf("### Delegation changes since `review-base`", StringComparison.Ordinal);
        var inFindings = body.IndexOf("ZONE_SERIAL_NOT_INCREASED", StringComparison.Ordinal);
        var inDiff = body.IndexOf("ZONE_SERIAL_NOT_INCREASED", diff, StringComparison.Ordinal);
        Assert.True(inFindings > 0 && inFindings < diff && inDiff > diff, body);
        Assert.Contains("(1 at review-base, 1 now)", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_base_commit_the_checkout_lacks_still_gives_the_findings_with_a_note_and_a_warning()
    {
        const string missing = "0123456789abcdef0123456789abcdef01234567";

        var result = await RunAsync(Event(missing), "check", "--offline", "--pr-comment");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            "nspolicy: warning: --pr-comment: no delegation diff since 0123456789ab: '0123456789abcdef0123456789abcdef01234567' does not name a commit in this repository\n" +
            "nspolicy: github: commented on #1\n",
            result.Stderr);
        var body = Assert.Single(hub.CommentsOn(1)).Body;
        Assert.Contains("ZONE_OUT_OF_ZONE", body, StringComparison.Ordinal);
        Assert.Contains("_No delegation diff since `0123456789ab`:", body, StringComparison.Ordinal);
        Assert.DoesNotContain(DiffRow, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_base_the_comment_has_the_findings_only()
    {
        var result = await RunAsync(Event(baseSha: null), "check", "--offline", "--pr-comment");

        Assert.Equal((1, "nspolicy: github: commented on #1\n"), (result.ExitCode, result.Stderr));
        var body = Assert.Single(hub.CommentsOn(1)).Body;
        Assert.Contains("ZONE_OUT_OF_ZONE", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Delegation changes", body, StringComparison.Ordinal);
    }

    // example.com's serial is 1 at the base and 2 after the move, unless the move forgets it (serial 1).
    private void Write(string ns2, int serial = 0)
    {
        File.WriteAllText(Path.Combine(repo.Path, "nspolicy.yaml"), Policy.Replace("NS2", ns2, StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(repo.Path, "zones", "example.com.zone"), Zone("example.com", ns2, serial > 0 ? serial : ns2 == "ns2.example.net" ? 1 : 2));
        File.WriteAllText(Path.Combine(repo.Path, "zones", "example.org.zone"), Zone("example.org", "ns2.example.net", 1) + "www.example.net. A 192.0.2.1\n");
        foreach (var file in Directory.EnumerateFiles(repo.Path, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/.git/", StringComparison.Ordinal)))
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddSeconds(5));
        }
    }

    private static string Zone(string origin, string ns2, int serial) =>
        $"$ORIGIN {origin}.\n$TTL 3600\n@ SOA ns1.example.net. hostmaster {serial} 7200 3600 1209600 3600\n@ 86400 NS ns1.example.net.\n@ 86400 NS {ns2}.\n";

    /// <summary>A pull_request event payload for PR #1, outside the work tree; with the base commit when given.</summary>
    private string Event(string? baseSha)
    {
        var path = Path.Combine(events.Path, "event.json");
        var baseJson = baseSha is null ? string.Empty : ",\"base\":{\"ref\":\"main\",\"sha\":\"" + baseSha + "\"}";
        File.WriteAllText(path, "{\"action\":\"synchronize\",\"pull_request\":{\"number\":1" + baseJson + "}}");
        return path;
    }

    private Task<CliResult> RunAsync(string eventPath, params string[] args) => CliRunner.RunAsync(repo.Path, new Dictionary<string, string>
    {
        ["GITHUB_TOKEN"] = hub.Token,
        ["GITHUB_REPOSITORY"] = hub.Repository,
        ["GITHUB_API_URL"] = hub.BaseUri.AbsoluteUri,
        ["GITHUB_EVENT_PATH"] = eventPath,
    }, args);
}
