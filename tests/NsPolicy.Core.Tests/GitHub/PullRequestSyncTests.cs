using System.Text;
using NsPolicy.Core.Accept;
using NsPolicy.Core.Evidence;
using NsPolicy.Core.GitHub;
using NsPolicy.Core.Init;
using NsPolicy.Core.Secrets;
using NsPolicy.Dns;
using NsPolicy.Tests.Shared.GitHub;
using static NsPolicy.Core.Tests.GitHub.GitHubFixture;

namespace NsPolicy.Core.Tests.GitHub;

/// <summary>
/// `check --open-pr` against the GitHub stand-in: the repository's main branch holds
/// testdata/accept/two-zones-moved.yaml, whose good.test. and provider.test. entries name other
/// nameservers than the lab's recorded delegation (testdata/accept/lab.evidence.json); alg8.test. matches.
/// </summary>
public sealed class PullRequestSyncTests : IAsyncLifetime
{
    private const string PolicyPath = "dns/nspolicy.yaml";
    private const string Good = "good.test.";
    private const string Provider = "provider.test.";

    private GitHubFixture hub = null!;
    private IReadOnlyList<ZoneBaseline> live = null!;
    private byte[] policy = null!;

    public async Task InitializeAsync()
    {
        hub = await StartAsync();
        var evidence = await EvidenceJson.LoadAsync(Repository.PathOf("tests/NsPolicy.Core.Tests/testdata/accept/lab.evidence.json"), CancellationToken.None);
        live = [.. evidence.Zones.Select(ReferralBaseline.Capture)];
        policy = await File.ReadAllBytesAsync(Repository.PathOf("tests/NsPolicy.Core.Tests/testdata/accept/two-zones-moved.yaml"));
        hub.StandIn.CommitFile("main", "README.md", "# dns\n"u8.ToArray(), "first");
        hub.StandIn.CommitFile("main", PolicyPath, policy, "policy");
    }

    public async Task DisposeAsync() => await hub.DisposeAsync();

    [Fact]
    public async Task Opens_one_pull_request_per_drifted_zone_each_changing_only_that_zones_entry()
    {
        var result = await SyncAsync();

        Assert.Equal(
            ["good.test.: opened pull request #1 to accept the live delegation", "provider.test.: opened pull request #2 to accept the live delegation"],
            result.Describe());
        Assert.Null(result.Warning);
        var pulls = hub.StandIn.PullRequests;
        Assert.Equal(["nspolicy/accept/good.test", "nspolicy/accept/provider.test"], pulls.Select(p => p.Head));
        Assert.All(pulls, p => Assert.Equal("main", p.Base));
        Assert.Equal("nspolicy: accept the live delegation of zone good.test", pulls[0].Title);
        Assert.StartsWith("<!-- nspolicy:accept=good.test. digest=", pulls[0].Body, StringComparison.Ordinal);
        Assert.Contains(AcceptanceBody.DecisionLine, pulls[0].Body, StringComparison.Ordinal);
        foreach (var (pull, zone) in pulls.Zip([Good, Provider]))
        {
            var expected = await ProposalAsync(policy, zone);
            Assert.Equal(expected, hub.StandIn.FileAt(pull.Head, PolicyPath));
            var history = hub.StandIn.History(pull.Head);
            Assert.Equal(hub.StandIn.Branches["main"], history[1].Sha);
            Assert.Equal("# dns\n"u8.ToArray(), hub.StandIn.FileAt(pull.Head, "README.md"));
        }
    }

    [Fact]
    public async Task A_secret_in_the_title_or_body_is_masked_but_the_proposed_policy_is_not_touched()
    {
        // The secret happens to equal text the title and body carry: the zone name in them is masked.
        await SyncAsync(masker: SecretMasker.For([new("DEPLOY_TOKEN", "good.test")], null));

        var pull = hub.StandIn.PullRequests[0];
        Assert.Equal("nspolicy: accept the live delegation of zone ***", pull.Title);
        Assert.DoesNotContain("good.test", pull.Body[pull.Body.IndexOf("-->", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Equal(await ProposalAsync(hub.StandIn.FileAt("main", PolicyPath)!, "good.test."), hub.StandIn.FileAt(pull.Head, PolicyPath));
    }

    [Fact]
    public async Task A_second_run_with_the_same_live_state_writes_nothing()
    {
        await SyncAsync();
        var mutations = hub.StandIn.Mutations;

        var result = await SyncAsync();

        Assert.Equal(mutations, hub.StandIn.Mutations);
        Assert.Equal(["good.test.: pull request #1 is up to date", "provider.test.: pull request #2 is up to date"], result.Describe());
    }

    [Fact]
    public async Task When_the_policy_is_changed_to_match_the_pull_request_is_closed_with_a_comment_and_the_others_follow_the_new_base()
    {
        await SyncAsync();
        hub.StandIn.CommitFile("main", PolicyPath, await ProposalAsync(policy, Good), "accept good.test by hand");

        var result = await SyncAsync();

        Assert.Equal(
            ["good.test.: closed pull request #1: the policy states the live delegation", "provider.test.: updated pull request #2"],
            result.Describe());
        var pulls = hub.StandIn.PullRequests;
        Assert.Equal(["closed", "open"], pulls.Select(p => p.State));
        Assert.StartsWith("<!-- nspolicy:accept-closed -->\nThe policy on `main` now states the live delegation of zone `good.test.`",
            Assert.Single(hub.StandIn.CommentsOn(1)).Body, StringComparison.Ordinal);
        // provider.test.'s branch is one commit on the new main: its policy differs from main only in its own entry.
        Assert.Equal(hub.StandIn.Branches["main"], hub.StandIn.History(pulls[1].Head)[1].Sha);
        Assert.Equal(await ProposalAsync(hub.StandIn.FileAt("main", PolicyPath)!, Provider), hub.StandIn.FileAt(pulls[1].Head, PolicyPath));

        var mutations = hub.StandIn.Mutations;
        await SyncAsync();
        Assert.Equal(mutations, hub.StandIn.Mutations);
    }

    [Fact]
    public async Task A_live_change_moves_the_branch_and_edits_the_body()
    {
        await SyncAsync();
        var before = hub.StandIn.PullRequests[0].Body;
        var changed = live.Select(z => z.Zone == DnsName.Parse(Good) ? z with { Nameservers = z.Nameservers.Take(2).ToList(), Glue = z.Glue.Take(2).ToList() } : z).ToList();

        var result = await SyncAsync(changed);

        Assert.Equal(["good.test.: updated pull request #1", "provider.test.: pull request #2 is up to date"], result.Describe());
        var pull = hub.StandIn.PullRequests[0];
        Assert.NotEqual(before, pull.Body);
        Assert.Contains("ns1.good.test., ns2.good.test. |", pull.Body, StringComparison.Ordinal);
        var file = Encoding.UTF8.GetString(hub.StandIn.FileAt(pull.Head, PolicyPath)!);
        Assert.Contains("nameservers: [ns1.good.test, ns2.good.test]\n", file, StringComparison.Ordinal);
        Assert.Equal(2, hub.StandIn.History(pull.Head).Count - hub.StandIn.History("main").Count + 1);
    }

    [Fact]
    public async Task A_pull_request_someone_closed_stays_closed_until_the_live_state_changes()
    {
        await SyncAsync();
        hub.StandIn.Change(1, pr => pr with { State = "closed" });

        var result = await SyncAsync();

        Assert.Equal("good.test.: pull request #1 for this delegation was closed by someone; left so", result.Describe().First());
        Assert.Equal(2, hub.StandIn.PullRequests.Count);

        var changed = live.Select(z => z.Zone == DnsName.Parse(Good) ? z with { Nameservers = z.Nameservers.Take(2).ToList(), Glue = z.Glue.Take(2).ToList() } : z).ToList();
        var again = await SyncAsync(changed);
        Assert.Equal("good.test.: opened pull request #3 to accept the live delegation", again.Describe().First());
    }

    [Fact]
    public async Task A_zone_issue_and_its_pull_request_link_to_each_other_once()
    {
        var issue = hub.StandIn.Seed("nspolicy: zone good.test. does not match its policy", IssueMarker.ForZone(Good) + "\n\nfindings", ["nspolicy"]);

        await SyncAsync();
        await SyncAsync();

        var pull = hub.StandIn.PullRequests.Single(p => p.Head.EndsWith("good.test", StringComparison.Ordinal));
        Assert.Contains($"when issue #{issue.Number} was opened for this zone", pull.Body, StringComparison.Ordinal);
        Assert.Contains($"The issue: #{issue.Number}.", pull.Body, StringComparison.Ordinal);
        var comment = Assert.Single(hub.StandIn.CommentsOn(issue.Number));
        Assert.StartsWith($"<!-- nspolicy:accept-pr={pull.Number} -->\nPull request #{pull.Number} proposes", comment.Body, StringComparison.Ordinal);
        Assert.Empty(hub.StandIn.CommentsOn(pull.Number));
    }

    [Fact]
    public async Task Dry_run_reads_and_says_what_it_would_do_without_writing()
    {
        await SyncAsync();
        hub.StandIn.CommitFile("main", PolicyPath, await ProposalAsync(policy, Good), "accept good.test by hand");
        var mutations = hub.StandIn.Mutations;

        var result = await SyncAsync(dryRun: true);

        Assert.Equal(mutations, hub.StandIn.Mutations);
        Assert.Equal(
            ["good.test.: would close pull request #1: the policy states the live delegation", "provider.test.: would update pull request #2"],
            result.Describe());
    }

    [Fact]
    public async Task A_read_only_token_gets_a_warning_and_no_failure()
    {
        hub.StandIn.ReadOnly = true;

        var result = await SyncAsync();

        Assert.Empty(hub.StandIn.PullRequests);
        Assert.Empty(result.Zones);
        Assert.Contains("the token cannot write to acme/dns", result.Warning, StringComparison.Ordinal);
        Assert.Contains("contents: write and pull-requests: write", result.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_policy_too_large_for_a_policy_gets_a_warning_and_no_pull_request()
    {
        hub.StandIn.CommitFile("main", PolicyPath, new byte[GitHubClient.MaxFileBytes + 1], "huge");

        var result = await SyncAsync();

        Assert.Empty(result.Zones);
        Assert.Contains($"--open-pr: cannot read {PolicyPath} on the branch main", result.Warning, StringComparison.Ordinal);
        Assert.Contains("a policy is at most", result.Warning, StringComparison.Ordinal);
        Assert.Empty(hub.StandIn.PullRequests);
    }

    [Fact]
    public async Task A_policy_missing_from_the_base_branch_gets_a_warning()
    {
        using var client = hub.Client();

        var result = await new PullRequestSync(client, new PullRequestSyncOptions { PolicyPath = "elsewhere/nspolicy.yaml" }).SyncAsync(live, CancellationToken.None);

        Assert.Equal("--open-pr: elsewhere/nspolicy.yaml is not on the branch main; no pull request is opened or changed", result.Warning);
        Assert.Empty(hub.StandIn.PullRequests);
    }

    [Fact]
    public async Task A_zone_whose_live_delegation_is_uncertain_is_skipped_and_its_pull_request_left_alone()
    {
        await SyncAsync();
        var mutations = hub.StandIn.Mutations;
        var uncertain = live.Select(z => z.Zone == DnsName.Parse(Good) ? z with { Problems = ["the parent's servers disagree"] } : z).ToList();

        var result = await SyncAsync(uncertain);

        Assert.Equal("good.test.: no pull request proposed: the parent's servers disagree", result.Describe().First());
        Assert.Equal(mutations, hub.StandIn.Mutations);
    }

    public static TheoryData<string, string> Faults() => new()
    {
        { "POST /git/blobs", "BadGateway" },
        { "POST /git/trees", "ServerError" },
        { "POST /git/commits", "TooManyRequests" },
        { "POST /git/refs", "CutAfterHandling" },
        { "POST /pulls", "CutAfterHandling" },
        { "POST /pulls", "PrimaryRateLimit" },
        { "GET /pulls", "SecondaryRateLimit" },
        { "GET /contents/", "BadGateway" },
        { "PATCH /pulls/", "CutAfterHandling" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Faults_are_retried_and_leave_one_pull_request_per_zone(string call, string fault)
    {
        var kind = Enum.Parse<FaultKind>(fault);
        var parts = call.Split(' ');
        hub.StandIn.AddFault(r => r.Method == parts[0] && r.Path.Contains(parts[1], StringComparison.Ordinal), kind, times: 2);
        if (parts[0] == "PATCH")
        {
            await SyncAsync();
            hub.StandIn.CommitFile("main", PolicyPath, await ProposalAsync(policy, Good), "accept good.test by hand");
        }

        await SyncAsync();

        var pulls = hub.StandIn.PullRequests;
        Assert.Equal(2, pulls.Count);
        Assert.Single(pulls, p => p.Head.EndsWith("provider.test", StringComparison.Ordinal) && p.State == "open");
        hub.StandIn.Heal();
        var mutations = hub.StandIn.Mutations;
        await SyncAsync();
        Assert.Equal(mutations, hub.StandIn.Mutations);
    }

    [Fact]
    public async Task Two_runs_racing_from_the_same_start_leave_one_pull_request_per_zone()
    {
        var arrived = 0;
        var bothListed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.StandIn.BeforeReplying = async request =>
        {
            // Both runs see no pull request for good.test. before either opens one.
            if (request.Method == "GET" && request.Path.EndsWith("/pulls", StringComparison.Ordinal) && Interlocked.Increment(ref arrived) <= 2)
            {
                if (arrived >= 2)
                {
                    bothListed.TrySetResult();
                }

                await bothListed.Task.WaitAsync(TimeSpan.FromSeconds(20));
            }
        };
        using var first = hub.Client(userAgent: "run-1");
        using var second = hub.Client(userAgent: "run-2");
        var options = new PullRequestSyncOptions { PolicyPath = PolicyPath };

        await Task.WhenAll(
            new PullRequestSync(first, options).SyncAsync(live, CancellationToken.None),
            new PullRequestSync(second, options).SyncAsync(live, CancellationToken.None));

        hub.StandIn.BeforeReplying = null;
        var pulls = hub.StandIn.PullRequests;
        Assert.Equal(2, pulls.Count);
        Assert.All(pulls, p => Assert.Equal("open", p.State));
        Assert.Equal(await ProposalAsync(policy, Good), hub.StandIn.FileAt("nspolicy/accept/good.test", PolicyPath));
        var mutations = hub.StandIn.Mutations;
        await SyncAsync();
        Assert.Equal(mutations, hub.StandIn.Mutations);
    }

    public static TheoryData<int, bool> KillPoints()
    {
        var data = new TheoryData<int, bool>();
        for (var k = 0; k < 10; k++)
        {
            data.Add(k, false);
            data.Add(k, true);
        }

        return data;
    }

    /// <summary>An uninterrupted first run writes 10 times: blob, tree, commit, branch and pull request for each of the two zones.</summary>
    [Theory]
    [MemberData(nameof(KillPoints))]
    public async Task A_run_killed_after_any_write_is_finished_by_the_next_without_duplicates(int killAfter, bool responseLost)
    {
        hub.StandIn.KillAfterMutations(hub.StandIn.Mutations + killAfter, responseLost);
        using (var dying = hub.Client(maxAttempts: 2))
        {
            var death = await Record.ExceptionAsync(() =>
                new PullRequestSync(dying, new PullRequestSyncOptions { PolicyPath = PolicyPath }).SyncAsync(live, CancellationToken.None));
            Assert.IsType<GitHubApiException>(death);
        }

        hub.StandIn.Heal();
        await SyncAsync();

        var pulls = hub.StandIn.PullRequests;
        Assert.Equal(["nspolicy/accept/good.test", "nspolicy/accept/provider.test"], pulls.Select(p => p.Head));
        Assert.All(pulls, p => Assert.Equal("open", p.State));
        Assert.Equal(await ProposalAsync(policy, Good), hub.StandIn.FileAt(pulls[0].Head, PolicyPath));
        Assert.Equal(await ProposalAsync(policy, Provider), hub.StandIn.FileAt(pulls[1].Head, PolicyPath));
        var mutations = hub.StandIn.Mutations;
        await SyncAsync();
        Assert.Equal(mutations, hub.StandIn.Mutations);
    }

    [Fact]
    public async Task A_pull_request_from_the_branch_without_the_marker_is_not_taken_over()
    {
        hub.StandIn.CommitFile("nspolicy/accept/good.test", "notes.txt", "mine\n"u8.ToArray(), "someone's own work");
        var theirs = hub.StandIn.SeedPullRequest("nspolicy/accept/good.test", "my change", "hand-made, no marker");

        var result = await SyncAsync();

        Assert.Equal($"good.test.: no pull request proposed: pull request #{theirs.Number} from nspolicy/accept/good.test is not nspolicy's (no marker); it is left alone", result.Describe().First());
        var pull = hub.StandIn.PullRequests.Single(p => p.Number == theirs.Number);
        Assert.Equal(("my change", "hand-made, no marker", "open"), (pull.Title, pull.Body, pull.State));
        Assert.Equal("mine\n"u8.ToArray(), hub.StandIn.FileAt("nspolicy/accept/good.test", "notes.txt"));
        Assert.Equal(policy, hub.StandIn.FileAt("nspolicy/accept/good.test", PolicyPath));
    }

    [Theory]
    [InlineData("<!-- nspolicy:accept=good.test. digest=0123abcd -->", true)]
    [InlineData("text <!-- nspolicy:accept=good.test. digest=0123abcd --> more", true)]
    [InlineData("<!-- nspolicy:accept=good.test. digest=zz -->", false)]
    [InlineData("<!-- nspolicy:accept=good test. digest=00 -->", false)]
    [InlineData("<!-- nspolicy:accept= digest=00 -->", false)]
    [InlineData("<!-- nspolicy:accept=good.test. digest=00", false)]
    [InlineData("<!-- nspolicy:zone=good.test. -->", false)]
    public void Markers_are_read_only_when_well_formed(string body, bool valid)
    {
        Assert.Equal(valid, PullRequestSync.TryReadMarker(body, out var zone, out _));
        Assert.Equal(valid ? "good.test." : string.Empty, valid ? zone : string.Empty);
    }

    [Fact]
    public void Branch_names_are_the_zone_without_its_dot_or_none_when_git_cannot_spell_it()
    {
        Assert.Equal("nspolicy/accept/example.com", PullRequestSync.BranchFor("Example.COM."));
        Assert.Null(PullRequestSync.BranchFor("a\\032b.example."));
        Assert.Null(PullRequestSync.BranchFor("x.lock."));
    }

    private async Task<PullRequestSyncResult> SyncAsync(IReadOnlyList<ZoneBaseline>? zones = null, bool dryRun = false, SecretMasker? masker = null)
    {
        using var client = hub.Client();
        return await new PullRequestSync(client, new PullRequestSyncOptions { PolicyPath = PolicyPath, DryRun = dryRun, Masker = masker ?? SecretMasker.None })
            .SyncAsync(zones ?? live, CancellationToken.None);
    }

    private async Task<byte[]> ProposalAsync(byte[] file, string zone)
    {
        var baseline = live.Single(z => z.Zone == DnsName.Parse(zone));
        var proposal = await PolicyProposal.CreateAsync(PolicyPath, file, baseline.Zone, baseline, CancellationToken.None);
        Assert.Equal(ProposalKind.Drifted, proposal.Kind);
        return proposal.Policy!;
    }
}
