using System.CommandLine;
using NsPolicy.Core.Changes;
using NsPolicy.Core.Findings;
using NsPolicy.Dns;
using NsPolicy.Dns.Transport;
using NsPolicy.Tests.Shared.GitHub;

namespace NsPolicy.Cli.Tests;

/// <summary>
/// The GitHub options and publisher as a command uses them: parsed from a command line, prepared
/// against the environment, then run against the GitHub stand-in on loopback.
/// </summary>
public sealed class GitHubOptionsTests : IAsyncLifetime, IDisposable
{
    private const string Zone = "example.com.";
    private readonly TempDirectory dir = new();
    private GitHubStandIn hub = null!;

    public async Task InitializeAsync() => hub = await GitHubStandIn.StartAsync();

    public async Task DisposeAsync() => await hub.DisposeAsync();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void No_GitHub_option_means_no_plan_and_no_error()
    {
        var ok = Prepare(Environment(), [], out var plan, out var error);

        Assert.True(ok);
        Assert.Null(plan);
        Assert.Null(error);
    }

    [Theory]
    [InlineData(new[] { "--dry-run" }, "--dry-run applies to --open-issues, --pr-comment and --open-pr; give one of them")]
    [InlineData(new[] { "--open-issues" }, "--open-issues, --pr-comment and --open-pr need a GitHub token: set GITHUB_TOKEN or pass --github-token")]
    public void Options_that_cannot_work_are_usage_errors(string[] args, string message)
    {
        var ok = Prepare(Environment() with { GitHub = new GitHubSettings { Repository = "acme/dns", ApiUrl = hub.BaseUri.AbsoluteUri } }, args, out _, out var error);

        Assert.False(ok);
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData(null, "https://api.example/", "--open-issues, --pr-comment and --open-pr need GITHUB_REPOSITORY (owner/name)")]
    [InlineData("acme", "https://api.example/", "GITHUB_REPOSITORY 'acme' is not of the form owner/name")]
    [InlineData("acme/dns", "ftp://api.example/", "GITHUB_API_URL 'ftp://api.example/' is not an http(s) URL")]
    [InlineData("acme/dns", "https://api.example/", "the GitHub API at api.example is not on loopback, and NSPOLICY_LOOPBACK_ONLY allows nothing else")]
    public void A_missing_or_wrong_environment_is_a_usage_error_that_names_the_variable(string? repository, string apiUrl, string message)
    {
        var env = Environment() with { GitHub = new GitHubSettings { Token = "t0ken", Repository = repository, ApiUrl = apiUrl } };

        var ok = Prepare(env, ["--open-issues"], out _, out var error);

        Assert.False(ok);
        Assert.Equal(message, error);
    }

    [Fact]
    public void The_flag_token_wins_over_GITHUB_TOKEN_and_neither_shows_in_the_plan()
    {
        var ok = Prepare(Environment(), ["--open-issues", "--github-token", "ghp_fromTheFlag"], out var plan, out _);

        Assert.True(ok);
        Assert.Equal("ghp_fromTheFlag", plan!.Client.Token);
        Assert.DoesNotContain("ghp_fromTheFlag", plan.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(hub.Token, Environment().ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"action":"opened","number":17,"pull_request":{"number":17,"title":"t"}}""", 17)]
    [InlineData("""{"action":"created","issue":{"number":23,"pull_request":{"url":"x"}},"comment":{}}""", 23)]
    [InlineData("""{"action":"created","issue":{"number":23},"comment":{}}""", null)]
    [InlineData("""{"schedule":"17 3 * * *"}""", null)]
    public void Finds_the_pull_request_number_in_the_event_payload(string json, int? number)
    {
        var path = Path.Combine(dir.Path, "event.json");
        File.WriteAllText(path, json);

        Assert.Equal(number, GitHubSettings.PullRequestNumber(path));
    }

    [Theory]
    [InlineData("""{"pull_request":{"number":5,"base":{"ref":"main","sha":"0123456789abcdef0123456789abcdef01234567"}}}""", "0123456789abcdef0123456789abcdef01234567")]
    [InlineData("""{"pull_request":{"number":5,"base":{"sha":"--upload-pack=x"}}}""", null)]
    [InlineData("""{"pull_request":{"number":5}}""", null)]
    public void Reads_the_pull_request_base_commit_into_the_plan_when_it_looks_like_a_commit_id(string json, string? baseSha)
    {
        var path = Path.Combine(dir.Path, "event.json");
        File.WriteAllText(path, json);

        var ok = Prepare(Environment(eventPath: path), ["--pr-comment"], out var plan, out _);

        Assert.True(ok);
        Assert.Equal((5, baseSha), (plan!.PullRequest, plan.PullRequestBase));
    }

    [Fact]
    public void A_scheduled_event_skips_the_comment_with_a_warning()
    {
        var path = Path.Combine(dir.Path, "event.json");
        File.WriteAllText(path, """{"schedule":"17 3 * * *"}""");

        var ok = Prepare(Environment(eventPath: path), ["--pr-comment"], out var plan, out _);

        Assert.True(ok);
        Assert.Null(plan!.PullRequest);
        Assert.Equal("--pr-comment: this workflow event is not a pull request; no comment is written", plan.Warning);
    }

    [Fact]
    public void An_unreadable_event_file_is_a_usage_error_naming_it()
    {
        var path = Path.Combine(dir.Path, "broken.json");
        File.WriteAllText(path, "{ not json");

        var ok = Prepare(Environment(eventPath: path), ["--pr-comment"], out _, out var error);

        Assert.False(ok);
        Assert.StartsWith($"{path}: cannot read the GitHub event:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Opens_issues_and_writes_the_pull_request_comment_saying_what_it_did()
    {
        var pr = hub.Seed("PR", "body", [], pullRequest: true).Number;
        var eventPath = Path.Combine(dir.Path, "event.json");
        File.WriteAllText(eventPath, """{"pull_request":{"number":""" + pr.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}}");
        Assert.True(Prepare(Environment(eventPath: eventPath), ["--open-issues", "--pr-comment"], out var plan, out _));

        var (exit, stderr) = await PublishAsync(plan!, [Error(Zone)]);

        Assert.Null(exit);
        Assert.Equal("nspolicy: github: example.com.: opened issue #2\nnspolicy: github: commented on #1\n", stderr);
        Assert.Contains("<!-- nspolicy:zone=example.com. -->", hub.Issues[1].Body, StringComparison.Ordinal);
        var comment = Assert.Single(hub.CommentsOn(pr));
        Assert.StartsWith("<!-- nspolicy:comment=check -->\n### nspolicy\n\n1 problem found.", comment.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dry_run_prints_the_plan_and_writes_nothing()
    {
        hub.Seed("old", "<!-- nspolicy:zone=gone.example. -->", ["nspolicy"]);
        Assert.True(Prepare(Environment(), ["--open-issues", "--dry-run"], out var plan, out _));

        var (exit, stderr) = await PublishAsync(plan!, [Error(Zone)], zones: ["gone.example.", Zone]);

        Assert.Null(exit);
        Assert.Equal("nspolicy: github (dry run): example.com.: would open an issue\nnspolicy: github (dry run): gone.example.: would close issue #1\n", stderr);
        Assert.Equal(0, hub.Mutations);
    }

    [Fact]
    public async Task A_GitHub_API_that_keeps_failing_gives_exit_2_with_the_request_named_and_no_token()
    {
        hub.AddFault(_ => true, FaultKind.ServerError, times: 100);
        Assert.True(Prepare(Environment(), ["--open-issues"], out var plan, out _));

        var (exit, stderr) = await PublishAsync(plan!, [Error(Zone)], attempts: 2);

        Assert.Equal(2, exit);
        Assert.StartsWith("nspolicy: warning: GitHub API GET /repos/acme/dns/issues?", stderr, StringComparison.Ordinal);
        Assert.Contains("\nnspolicy: error: GitHub API GET /repos/acme/dns/issues?labels=nspolicy&state=all&sort=created&direction=asc&per_page=100: gave up after 2 attempts", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(hub.Token, stderr, StringComparison.Ordinal);
    }

    private CliEnvironment Environment(string? eventPath = null) => new()
    {
        Guard = NetworkGuard.Loopback,
        GitHub = new GitHubSettings { Token = hub.Token, Repository = hub.Repository, ApiUrl = hub.BaseUri.AbsoluteUri, EventPath = eventPath },
    };

    private static bool Prepare(CliEnvironment env, string[] args, out GitHubPlan? plan, out string? error)
    {
        var options = new GitHubOptions();
        var command = new Command("check");
        options.AddTo(command);
        var parse = command.Parse(args);
        Assert.Empty(parse.Errors);
        return options.TryPrepare(parse, env, out plan, out error);
    }

    private static async Task<(int? Exit, string Stderr)> PublishAsync(GitHubPlan plan, RatedFinding[] findings, string[]? zones = null, int attempts = 5)
    {
        using var stderr = new StringWriter { NewLine = "\n" };
        using var checkouts = new BaseCheckouts();
        var publisher = new GitHubPublisher(stderr, TimeProvider.System) { Delay = (_, _) => Task.CompletedTask, MaxAttempts = attempts, Checkouts = checkouts };
        var exit = await publisher.PublishAsync(plan, zones ?? [Zone], fullRun: false, findings, null, null, CancellationToken.None);
        return (exit, stderr.ToString());
    }

    private static RatedFinding Error(string zone) =>
        new(new Finding("POLICY_GLUE_MISSING", new SourceLocation("nspolicy.yaml", 4, 9), "nameserver ns1 has no glue", DnsName.Parse(zone)), Severity.Error, null);
}
