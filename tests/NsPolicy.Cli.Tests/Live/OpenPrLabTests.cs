using System.Text;
using NsPolicy.Dns.Tests.Lab;
using NsPolicy.Tests.Shared.GitHub;

namespace NsPolicy.Cli.Tests.Live;

/// <summary>
/// End to end, `nspolicy check --open-issues --open-pr` against the lab's real servers and the GitHub
/// stand-in: a policy that expects other nameservers for two healthy lab zones gets exactly two pull
/// requests, each branch's policy differs from the base only inside that zone's entry, validates and
/// makes check clean for that zone; a second run opens nothing; once the policy says what is live,
/// the next run closes the pull request.
/// </summary>
[Collection(DnsLabCollection.Name)]
public sealed class OpenPrLabTests(DnsLabFixture fixture) : IAsyncLifetime, IDisposable
{
    private static readonly string[] Moved = ["good.test.", "provider.test."];

    private readonly TempDirectory dir = new();
    private GitHubStandIn hub = null!;

    public async Task InitializeAsync() => hub = await GitHubStandIn.StartAsync();

    public async Task DisposeAsync() => await hub.DisposeAsync();

    public void Dispose() => dir.Dispose();

    [Fact]
    public async Task Two_moved_zones_get_two_pull_requests_that_a_second_run_leaves_and_a_matching_policy_closes()
    {
        var lab = fixture.Lab;
        Directory.CreateDirectory(Path.Combine(dir.Path, ".git"));
        var policy = ExpectOtherNameservers(LabPolicy.Yaml(lab, ["alg8.test.", .. Moved]));
        var policyPath = Path.Combine(dir.Path, "nspolicy.yaml");
        await File.WriteAllTextAsync(policyPath, policy);
        hub.CommitFile("main", "nspolicy.yaml", Encoding.UTF8.GetBytes(policy), "policy");

        var first = await CheckAsync("--open-issues", "--open-pr");

        Assert.Equal(1, first.ExitCode);
        var pulls = hub.PullRequests;
        Assert.Equal(["nspolicy/accept/good.test", "nspolicy/accept/provider.test"], pulls.Select(p => p.Head));
        Assert.All(pulls, p => Assert.Equal("open", p.State));
        foreach (var (pull, zone) in pulls.Zip(Moved))
        {
            Assert.Contains($"nspolicy: github: {zone}: opened pull request #{pull.Number} to accept the live delegation\n", first.Stderr, StringComparison.Ordinal);
            var proposed = Encoding.UTF8.GetString(hub.FileAt(pull.Head, "nspolicy.yaml")!);
            AssertChangedOnlyInside(policy, proposed, zone);

            using var branch = new TempDirectory();
            await File.WriteAllTextAsync(Path.Combine(branch.Path, "nspolicy.yaml"), proposed);
            var validate = await CliRunner.RunAsync(branch.Path, "validate");
            Assert.Equal((0, "0 errors, 0 warnings, 0 notices\n"), (validate.ExitCode, validate.Stdout));
            var check = await CliRunner.RunAsync(branch.Path, "check", "--zone", zone, "--root-hints", lab.RootHintsPath, "--timeout", "500ms");
            Assert.Equal((0, "0 errors, 0 warnings, 0 notices\n"), (check.ExitCode, check.Stdout));

            var issue = hub.Issues.Single(i => !i.IsPullRequest && i.Body.Contains($"nspolicy:zone={zone}", StringComparison.Ordinal));
            Assert.Contains($"The issue: #{issue.Number}.", pull.Body, StringComparison.Ordinal);
            Assert.Contains(hub.CommentsOn(issue.Number), c => c.Body.Contains($"Pull request #{pull.Number} proposes", StringComparison.Ordinal));
        }

        var second = await CheckAsync("--open-issues", "--open-pr");

        Assert.Equal(2, hub.PullRequests.Count);
        foreach (var pull in pulls)
        {
            Assert.Contains($": pull request #{pull.Number} is up to date\n", second.Stderr, StringComparison.Ordinal);
        }

        // The owners accept good.test.'s move by changing the policy themselves.
        var accepted = hub.FileAt(pulls[0].Head, "nspolicy.yaml")!;
        hub.CommitFile("main", "nspolicy.yaml", accepted, "accept good.test");
        await File.WriteAllBytesAsync(policyPath, accepted);

        var third = await CheckAsync("--open-issues", "--open-pr");

        Assert.Contains($"nspolicy: github: good.test.: closed pull request #{pulls[0].Number}: the policy states the live delegation\n", third.Stderr, StringComparison.Ordinal);
        Assert.Equal(["closed", "open"], hub.PullRequests.Select(p => p.State));
        Assert.Equal(2, hub.PullRequests.Count);
    }

    [Fact]
    public async Task Open_pr_with_offline_is_a_usage_error()
    {
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "nspolicy.yaml"), LabPolicy.Yaml(fixture.Lab, ["good.test."]));

        var result = await CliRunner.RunAsync(dir.Path, Environment(), "check", "--offline", "--open-pr");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("nspolicy: --open-pr proposes the live delegation, so it cannot be used with --offline\nRun 'nspolicy check --help' for usage.\n", result.Stderr);
        Assert.Empty(hub.Requests);
    }

    private Task<CliResult> CheckAsync(params string[] args) =>
        CliRunner.RunAsync(dir.Path, Environment(), ["check", "--root-hints", fixture.Lab.RootHintsPath, "--timeout", "500ms", .. args]);

    private Dictionary<string, string> Environment() => new()
    {
        ["GITHUB_TOKEN"] = hub.Token,
        ["GITHUB_REPOSITORY"] = hub.Repository,
        ["GITHUB_API_URL"] = hub.BaseUri.AbsoluteUri,
    };

    /// <summary>The moved zones' entries name nameservers at a provider the zones have left, without glue.</summary>
    private static string ExpectOtherNameservers(string yaml)
    {
        var lines = new List<string>();
        string? zone = null;
        var inGlue = false;
        foreach (var line in yaml.Split('\n'))
        {
            if (line.StartsWith("  - zone: ", StringComparison.Ordinal))
            {
                zone = line["  - zone: ".Length..];
            }

            var moved = zone is not null && Moved.Contains(zone);
            inGlue = moved && (line == "    glue:" || (inGlue && line.StartsWith("      ", StringComparison.Ordinal)));
            if (inGlue)
            {
                continue;
            }

            lines.Add(moved && line.StartsWith("    nameservers: ", StringComparison.Ordinal)
                ? "    nameservers: [ns1.old-provider.example, ns2.old-provider.example]   # before the move"
                : line);
        }

        return string.Join('\n', lines);
    }

    /// <summary>The lines that differ lie between the zone's "- zone:" line and the next entry.</summary>
    private static void AssertChangedOnlyInside(string original, string proposed, string zone)
    {
        var a = original.Split('\n');
        var b = proposed.Split('\n');
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)])
        {
            suffix++;
        }

        var start = Array.IndexOf(a, $"  - zone: {zone}");
        var end = Array.FindIndex(a, start + 1, l => l.StartsWith("  - zone: ", StringComparison.Ordinal));
        end = end < 0 ? a.Length : end;
        Assert.True(start >= 0 && prefix > start, $"{zone}: the change starts at line {prefix + 1}, not inside the entry from line {start + 1}");
        Assert.True(a.Length - suffix <= end, $"{zone}: the change ends at line {a.Length - suffix}, after the entry ending at line {end}");
        Assert.NotEqual(original, proposed);
    }
}
