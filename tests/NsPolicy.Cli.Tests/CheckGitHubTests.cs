using System.Globalization;
using NsPolicy.Core.Checking;
using NsPolicy.Dns;
using NsPolicy.Tests.Shared.GitHub;

namespace NsPolicy.Cli.Tests;

/// <summary>
/// <c>nspolicy check --open-issues / --pr-comment / --dry-run</c> end to end: the real command in its
/// own process, talking to the GitHub stand-in on loopback through GITHUB_API_URL.
/// </summary>
public sealed class CheckGitHubTests : IAsyncLifetime, IDisposable
{
    // example.com has one nameserver (an error); example.org is clean.
    private const string Drifted =
        "version: 1\n" +
        "zones:\n" +
        "  - zone: example.com\n" +
        "    nameservers: [ns1.example.net]\n" +
        "  - zone: example.org\n" +
        "    nameservers: [ns1.example.net, ns2.example.net]\n";

    private const string Clean =
        "version: 1\n" +
        "zones:\n" +
        "  - zone: example.com\n" +
        "    nameservers: [ns1.example.net, ns2.example.net]\n" +
        "  - zone: example.org\n" +
        "    nameservers: [ns1.example.net, ns2.example.net]\n";

    private readonly TempDirectory dir = new();
    private GitHubStandIn hub = null!;

    public async Task InitializeAsync() => hub = await GitHubStandIn.StartAsync();

    public async Task DisposeAsync() => await hub.DisposeAsync();

    public void Dispose() => dir.Dispose();

    [Fact]
    public async Task Open_issues_opens_one_issue_for_the_drifted_zone_then_closes_it_when_the_policy_is_fixed()
    {
        File.WriteAllText(Path.Combine(dir.Path, "nspolicy.yaml"), Drifted);

        var first = await RunAsync("check", "--offline", "--open-issues");

        Assert.Equal(1, first.ExitCode);
        Assert.Equal("nspolicy: github: example.com.: opened issue #1\n", first.Stderr);
        Assert.Contains("[POLICY_TOO_FEW_NAMESERVERS]", first.Stdout, StringComparison.Ordinal);
        var issue = Assert.Single(hub.Issues);
        Assert.Equal("nspolicy: zone example.com. does not match its policy", issue.Title);
        Assert.StartsWith("<!-- nspolicy:zone=example.com. -->\n\n## nspolicy: zone example.com.\n", issue.Body, StringComparison.Ordinal);
        Assert.Contains("`POLICY_TOO_FEW_NAMESERVERS`", issue.Body, StringComparison.Ordinal);
        Assert.Equal(["nspolicy"], issue.Labels);

        var again = await RunAsync("check", "--offline", "--open-issues");
        File.WriteAllText(Path.Combine(dir.Path, "nspolicy.yaml"), Clean);
        var fixedRun = await RunAsync("check", "--offline", "--open-issues");

        Assert.Equal("nspolicy: github: example.com.: issue #1 is up to date\n", again.Stderr);
        Assert.Equal(0, fixedRun.ExitCode);
        Assert.Equal("nspolicy: github: example.com.: closed issue #1\n", fixedRun.Stderr);
        Assert.Equal("closed", Assert.Single(hub.Issues).State);
        Assert.Single(hub.CommentsOn(1));
    }

    [Fact]
    public async Task Dry_run_prints_what_would_happen_and_changes_nothing()
    {
        File.WriteAllText(Path.Combine(dir.Path, "nspolicy.yaml"), Drifted);

        var result = await RunAsync("check", "--offline", "--open-issues", "--dry-run");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("nspolicy: github (dry run): example.com.: would open an issue\n", result.Stderr);
        Assert.Empty(hub.Issues);
        Assert.Equal(0, hub.Mutations);
    }

    [Fact]
    public async Task Only_the_zones_asked_for_are_synced()
    {
        File.WriteAllText(Path.Combine(dir.Path, "nspolicy.yaml"), Drifted);
        await RunAsync("check", "--offline", "--open-issues");
        File.WriteAllText(Path.Combine(dir.Path, "nspolicy.yaml"), Clean);

        var result = await RunAsync("check", "--offline", "--open-issues", "--zone", "example.org");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        Assert.Equal("open", Assert.Single(hub.Issues).State);
    }

    [Fact]
    public async Task A_full_run_closes_the_issue_of_a_zone_removed_from_the_policy_and_a_zone_run_does_not()
    {
        File.WriteAllText(Path.Combine(dir.Path, "nspolicy.yaml"), Drifted);
        await RunAsync("check", "--offline", "--open-issues");
        File.WriteAllText(Path.Combine(dir.Path, "nspolicy.yaml"), Clean.Replace("example.com", "example.edu", StringComparison.Ordinal));

        var partial = await RunAsync("check", "--offline", "--open-issues", "--zone", "example.org");
        var stillOpen = Assert.Single(hub.Issues).State;
        var full = await RunAsync("check", "--offline", "--open-issues");

        Assert.Equal((0, string.Empty, "open"), (partial.ExitCode, partial.Stderr, stillOpen));
        Assert.Equal(0, full.ExitCode);
        Assert.Equal("nspolicy: github: example.com.: closed issue #1: zone removed from the policy\n", full.Stderr);
        var issue = Assert.Single(hub.Issues);
        Assert.Equal(("closed", "not_planned"), (issue.State, issue.StateReason));
        Assert.Contains("Zone `example.com.` removed from the policy", Assert.Single(hub.CommentsOn(1)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shard_touches_only_the_issues_of_its_own_zones()
    {
        File.WriteAllText(Path.Combine(dir.Path, "nspolicy.yaml"), Drifted);
        await RunAsync("check", "--offline", "--open-issues");
        File.WriteAllText(Path.Combine(dir.Path, "nspolicy.yaml"), Clean);
        var home = ZoneShard.Of(DnsName.Parse("example.com."), 2);
        var other = 3 - home;

        var elsewhere = await RunAsync("check", "--offline", "--open-issues", "--shard", string.Create(CultureInfo.InvariantCulture, $"{other}/2"));
        var stillOpen = Assert.Single(hub.Issues).State;
        var own = await RunAsync("check", "--offline", "--open-issues", "--shard", string.Create(CultureInfo.InvariantCulture, $"{home}/2"));

        Assert.Equal(0, elsewhere.ExitCode);
        Assert.Equal(string.Empty, elsewhere.Stderr);
        Assert.Equal("open", stillOpen);
        Assert.Equal("nspolicy: github: example.com.: closed issue #1\n", own.Stderr);
        Assert.Equal("closed", Assert.Single(hub.Issues).State);
    }

    [Fact]
    public async Task The_pull_request_comment_is_written_once_and_edited_on_the_next_run()
    {
        var pr = hub.Seed("Add example.org", "", [], pullRequest: true).Number;
        var eventPath = Path.Combine(dir.Path, "event.json");
        File.WriteAllText(eventPath, "{\"action\":\"synchronize\",\"pull_request\":{\"number\":1}}");
        File.WriteAllText(Path.Combine(dir.Path, "nspolicy.yaml"), Drifted);
        var env = Environment();
        env["GITHUB_EVENT_PATH"] = eventPath;

        var first = await RunAsync(env, "check", "--offline", "--pr-comment");
        File.WriteAllText(Path.Combine(dir.Path, "nspolicy.yaml"), Clean);
        var second = await RunAsync(env, "check", "--offline", "--pr-comment");

        Assert.Equal("nspolicy: github: commented on #1\n", first.Stderr);
        Assert.Equal("nspolicy: github: updated the comment on #1\n", second.Stderr);
        var comment = Assert.Single(hub.CommentsOn(pr));
        Assert.StartsWith("<!-- nspolicy:comment=check -->\n## nspolicy\n", comment.Body, StringComparison.Ordinal);
        Assert.Contains("No findings.", comment.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(hub.Issues, i => !i.IsPullRequest);
    }

    [Fact]
    public async Task Without_a_token_the_run_stops_before_checking_with_exit_2()
    {
        File.WriteAllText(Path.Combine(dir.Path, "nspolicy.yaml"), Drifted);
        var env = Environment();
        env.Remove("GITHUB_TOKEN");

        var result = await RunAsync(env, "check", "--offline", "--open-issues");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Equal("nspolicy: --open-issues, --pr-comment and --open-pr need a GitHub token: set GITHUB_TOKEN or pass --github-token\n", result.Stderr);
        Assert.Empty(hub.Requests);
    }

    [Fact]
    public async Task A_GitHub_API_off_loopback_is_refused_under_the_loopback_guard()
    {
        File.WriteAllText(Path.Combine(dir.Path, "nspolicy.yaml"), Drifted);
        var env = Environment();
        env["GITHUB_API_URL"] = "https://api.github.com";

        var result = await RunAsync(env, "check", "--offline", "--open-issues");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("nspolicy: the GitHub API at api.github.com is not on loopback, and NSPOLICY_LOOPBACK_ONLY allows nothing else\n", result.Stderr);
    }

    [Fact]
    public async Task A_failing_GitHub_API_gives_exit_3_and_the_token_from_the_flag_is_never_printed()
    {
        File.WriteAllText(Path.Combine(dir.Path, "nspolicy.yaml"), Drifted);
        var reset = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        hub.AddFault(r => r.IsIssueList, FaultKind.PrimaryRateLimit, times: 100, seconds: (int)reset);
        var env = Environment();
        env.Remove("GITHUB_TOKEN");

        var result = await RunAsync(env, "check", "--offline", "--open-issues", "--github-token", hub.Token, "--format", "json");

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("nspolicy: error: GitHub API GET /repos/acme/dns/issues?labels=nspolicy&state=all&sort=created&direction=asc&per_page=100: rate limited: 403 Forbidden: API rate limit exceeded", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("later than the 120 s nspolicy waits", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(hub.Token, result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.All(hub.Requests, r => Assert.EndsWith("auth=Bearer", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_policy_that_does_not_load_touches_no_issue()
    {
        File.WriteAllText(Path.Combine(dir.Path, "nspolicy.yaml"), Drifted);
        await RunAsync("check", "--offline", "--open-issues");
        File.WriteAllText(Path.Combine(dir.Path, "nspolicy.yaml"), "version: 1\nzones: [\n");
        var requests = hub.Requests.Count;

        var result = await RunAsync("check", "--offline", "--open-issues");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("[POLICY_YAML_SYNTAX]", result.Stdout, StringComparison.Ordinal);
        Assert.Equal("nspolicy: warning: the policy did not load, so GitHub issues are left as they are\n", result.Stderr);
        Assert.Equal(requests, hub.Requests.Count);
        Assert.Equal("open", Assert.Single(hub.Issues).State);
    }

    [Fact]
    public async Task Check_help_lists_the_GitHub_options()
    {
        var result = await RunAsync("check", "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var option in new[] { "--open-issues", "--pr-comment", "--open-pr", "--dry-run", "--github-token" })
        {
            Assert.Contains(option, result.Stdout, StringComparison.Ordinal);
        }
    }

    private Dictionary<string, string> Environment() => new()
    {
        ["GITHUB_TOKEN"] = hub.Token,
        ["GITHUB_REPOSITORY"] = hub.Repository,
        ["GITHUB_API_URL"] = hub.BaseUri.AbsoluteUri,
    };

    private Task<CliResult> RunAsync(params string[] args) => RunAsync(Environment(), args);

    private Task<CliResult> RunAsync(Dictionary<string, string> env, params string[] args) => CliRunner.RunAsync(dir.Path, env, args);
}
