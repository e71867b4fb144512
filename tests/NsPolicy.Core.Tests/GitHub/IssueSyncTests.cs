using NsPolicy.Core.Findings;
using NsPolicy.Core.GitHub;
using NsPolicy.Tests.Shared.GitHub;
using static NsPolicy.Core.Tests.GitHub.GitHubFixture;

namespace NsPolicy.Core.Tests.GitHub;

public sealed class IssueSyncTests : IAsyncLifetime
{
    private const string A = "a.example.";
    private const string B = "b.example.";
    private const string C = "c.example.";
    private const string D = "d.example.";

    private GitHubFixture hub = null!;

    public async Task InitializeAsync() => hub = await StartAsync();

    public async Task DisposeAsync() => await hub.DisposeAsync();

    [Fact]
    public async Task Opens_one_labelled_issue_per_zone_with_findings_and_none_for_clean_zones()
    {
        var result = await SyncAsync([A, B, C], [Error(A), Error(A, "POLICY_TOO_FEW_NAMESERVERS", "only one nameserver", line: 7), Error(B)]);

        Assert.Equal(["a.example.: opened issue #1", "b.example.: opened issue #2"], result.Describe());
        var issues = hub.StandIn.Issues;
        Assert.Equal(2, issues.Count);
        Assert.All(issues, i => Assert.Equal(["nspolicy"], i.Labels));
        Assert.Equal("nspolicy: zone a.example. does not match its policy", issues[0].Title);
        Assert.StartsWith("<!-- nspolicy:zone=a.example. -->\n\nnspolicy found 2 problems with zone `a.example.`.", issues[0].Body, StringComparison.Ordinal);
        Assert.Contains("| error | `POLICY_TOO_FEW_NAMESERVERS` | `nspolicy.yaml:7:9` | only one nameserver |", issues[0].Body, StringComparison.Ordinal);
        Assert.StartsWith("<!-- nspolicy:zone=b.example. -->", issues[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_run_with_the_same_findings_writes_nothing()
    {
        await SyncAsync([A, B], [Error(A), Error(B)]);
        var mutations = hub.StandIn.Mutations;

        var result = await SyncAsync([A, B], [Error(A), Error(B)]);

        Assert.Equal(mutations, hub.StandIn.Mutations);
        Assert.Equal(["a.example.: issue #1 is up to date", "b.example.: issue #2 is up to date"], result.Describe());
    }

    [Fact]
    public async Task Changed_findings_edit_the_issue_in_place()
    {
        await SyncAsync([A], [Error(A)]);

        var result = await SyncAsync([A], [Error(A), Error(A, "POLICY_TOO_FEW_NAMESERVERS", "only one nameserver")]);

        Assert.Equal(["a.example.: updated issue #1"], result.Describe());
        var issue = Assert.Single(hub.StandIn.Issues);
        Assert.Contains("only one nameserver", issue.Body, StringComparison.Ordinal);
        Assert.Equal("open", issue.State);
        Assert.Empty(hub.StandIn.CommentsOn(1));
    }

    [Fact]
    public async Task Editing_an_issue_keeps_the_milestone_someone_set_on_it()
    {
        await SyncAsync([A], [Error(A)]);
        hub.StandIn.Change(1, i => i with { Milestone = 7 });

        await SyncAsync([A], [Error(A, message: "changed")]);
        await SyncAsync([A], []);

        Assert.Equal(("closed", 7), (hub.StandIn.Issues[0].State, hub.StandIn.Issues[0].Milestone));
    }

    [Fact]
    public async Task An_issue_edited_on_the_web_with_CRLF_line_ends_is_not_rewritten()
    {
        await SyncAsync([A], [Error(A)]);
        hub.StandIn.Change(1, i => i with { Body = i.Body.ReplaceLineEndings("\r\n") + "\r\n" });
        var before = hub.StandIn.Mutations;

        var result = await SyncAsync([A], [Error(A)]);

        Assert.Equal(before, hub.StandIn.Mutations);
        Assert.Equal(IssueSyncAction.Unchanged, Assert.Single(result.Zones).Action);
        Assert.Contains("\r\n", hub.StandIn.Issues[0].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cleared_findings_close_the_issue_with_one_comment()
    {
        await SyncAsync([A, B], [Error(A), Error(B)]);

        var result = await SyncAsync([A, B], [Error(B)]);
        var again = await SyncAsync([A, B], [Error(B)]);

        Assert.Equal(["a.example.: closed issue #1", "b.example.: issue #2 is up to date"], result.Describe());
        Assert.Equal(["b.example.: issue #2 is up to date"], again.Describe());
        var closed = hub.StandIn.Issues[0];
        Assert.Equal(("closed", "completed"), (closed.State, closed.StateReason));
        var comment = Assert.Single(hub.StandIn.CommentsOn(1));
        Assert.Equal("<!-- nspolicy:cleared -->\nAll findings for zone `a.example.` have cleared: nspolicy closes this issue, and reopens it if they come back.", comment.Body);
    }

    [Fact]
    public async Task A_full_run_comments_on_and_closes_the_open_issue_of_a_zone_removed_from_the_policy()
    {
        await SyncAsync([A, B, C], [Error(A), Error(B), Error(C)]);
        await SyncAsync([A, B, C], [Error(A), Error(B)]);

        var result = await FullSyncAsync([B], [Error(B)]);
        var again = await FullSyncAsync([B], [Error(B)]);

        Assert.Equal(["b.example.: issue #2 is up to date", "a.example.: closed issue #1: zone removed from the policy"], result.Describe());
        Assert.Equal(["b.example.: issue #2 is up to date"], again.Describe());
        var removed = hub.StandIn.Issues[0];
        Assert.Equal(("closed", "not_planned"), (removed.State, removed.StateReason));
        var comment = Assert.Single(hub.StandIn.CommentsOn(1));
        Assert.Equal("<!-- nspolicy:removed -->\nZone `a.example.` removed from the policy: nspolicy no longer checks it and closes this issue.", comment.Body);
        Assert.Equal(("closed", "completed"), (hub.StandIn.Issues[2].State, hub.StandIn.Issues[2].StateReason));
        Assert.Single(hub.StandIn.CommentsOn(3));
        Assert.Equal("open", hub.StandIn.Issues[1].State);
    }

    [Fact]
    public async Task A_partial_run_leaves_the_issue_of_a_zone_it_did_not_check_open()
    {
        await SyncAsync([A, B], [Error(A), Error(B)]);

        var result = await SyncAsync([B], [Error(B)]);

        Assert.Equal(["b.example.: issue #2 is up to date"], result.Describe());
        Assert.All(hub.StandIn.Issues, i => Assert.Equal("open", i.State));
    }

    [Fact]
    public async Task A_dry_full_run_says_it_would_close_the_issue_of_a_removed_zone_and_changes_nothing()
    {
        await SyncAsync([A], [Error(A)]);
        var mutations = hub.StandIn.Mutations;
        using var client = hub.Client();

        var result = await new IssueSync(client, new IssueSyncOptions { DryRun = true }).SyncAsync([], [], fullRun: true, CancellationToken.None);

        Assert.Equal(["a.example.: would close issue #1: zone removed from the policy"], result.Describe());
        Assert.Equal(mutations, hub.StandIn.Mutations);
    }

    [Fact]
    public async Task Findings_that_come_back_reopen_the_closed_issue_with_a_comment()
    {
        await SyncAsync([A], [Error(A)]);
        await SyncAsync([A], []);

        var result = await SyncAsync([A], [Error(A, message: "glue is back to wrong")]);

        Assert.Equal(["a.example.: reopened issue #1"], result.Describe());
        var issue = Assert.Single(hub.StandIn.Issues);
        Assert.Equal(("open", "reopened"), (issue.State, issue.StateReason));
        Assert.Contains("glue is back to wrong", issue.Body, StringComparison.Ordinal);
        var comments = hub.StandIn.CommentsOn(1);
        Assert.Equal(2, comments.Count);
        Assert.StartsWith("<!-- nspolicy:reopened -->\nThe findings for zone `a.example.` are back", comments[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Acknowledged_findings_open_no_issue_and_let_an_open_one_close()
    {
        var first = await SyncAsync([A, B], [Acknowledged(A), Error(B)]);
        var second = await SyncAsync([A, B], [Acknowledged(A), Acknowledged(B)]);

        Assert.Equal(["b.example.: opened issue #1"], first.Describe());
        Assert.Equal(["b.example.: closed issue #1"], second.Describe());
        Assert.Single(hub.StandIn.Issues);
    }

    [Fact]
    public async Task Acknowledged_findings_are_listed_in_the_body_of_an_open_issue()
    {
        await SyncAsync([A], [Error(A), Acknowledged(A)]);

        var body = hub.StandIn.Issues[0].Body;
        Assert.Contains("nspolicy found 1 problem with zone `a.example.`", body, StringComparison.Ordinal);
        Assert.Contains("- `POLICY_DS_DIGEST_TYPE_DEPRECATED` until 2099-01-31: registrar", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Finds_its_issues_again_across_pages_among_unrelated_ones_and_touches_nothing_else()
    {
        for (var i = 0; i < 130; i++)
        {
            hub.StandIn.Seed($"unrelated {i}", "no marker here", ["nspolicy"]);
            hub.StandIn.Seed($"other label {i}", IssueMarker.ForZone(A), ["bug"]);
        }

        hub.StandIn.Seed("a pull request", IssueMarker.ForZone(A), ["nspolicy"], pullRequest: true);
        await SyncAsync([A, B], [Error(A), Error(B)]);
        for (var i = 0; i < 30; i++)
        {
            hub.StandIn.Seed($"late unrelated {i}", "no marker", ["nspolicy"]);
        }

        var before = hub.StandIn.Issues.Where(i => !i.Body.Contains("nspolicy found", StringComparison.Ordinal)).ToList();
        var result = await SyncAsync([A, B], [Error(A, message: "changed"), Error(B)]);

        Assert.Equal(["a.example.: updated issue #262", "b.example.: issue #263 is up to date"], result.Describe());
        Assert.Single(hub.Marked(A), i => i.Labels.Contains("nspolicy") && !i.IsPullRequest);
        Assert.Equal(before, hub.StandIn.Issues.Where(i => !i.Body.Contains("nspolicy found", StringComparison.Ordinal)).ToList(), new StandInIssueComparer());
        Assert.True(hub.StandIn.Requests.Count(r => r.StartsWith("GET /repos/acme/dns/issues?", StringComparison.Ordinal)) >= 4);
    }

    [Fact]
    public async Task Zones_outside_the_run_are_left_alone()
    {
        await SyncAsync([A, B], [Error(A), Error(B)]);

        // A shard that checks only B must not close A's issue.
        var result = await SyncAsync([B], []);

        Assert.Equal(["b.example.: closed issue #2"], result.Describe());
        Assert.Equal("open", hub.StandIn.Issues[0].State);
    }

    [Fact]
    public async Task Existing_duplicates_are_closed_in_favour_of_the_oldest()
    {
        var marker = IssueMarker.ForZone(A);
        hub.StandIn.Seed("old", marker + "\nstale", ["nspolicy"]);
        hub.StandIn.Seed("dup", marker + "\nstale", ["nspolicy"]);
        hub.StandIn.Seed("dup closed long ago", marker, ["nspolicy"], closed: true);
        hub.StandIn.Seed("dup", marker + "\nstale", ["nspolicy"]);

        var result = await SyncAsync([A], [Error(A)]);

        Assert.Equal(["a.example.: updated issue #1; closed duplicate(s) #2, #4"], result.Describe());
        Assert.Equal(["open", "closed", "closed", "closed"], hub.StandIn.Issues.Select(i => i.State));
        Assert.Equal("not_planned", hub.StandIn.Issues[1].StateReason);
        Assert.StartsWith("<!-- nspolicy:duplicate -->\nDuplicate of #1:", Assert.Single(hub.StandIn.CommentsOn(4)).Body, StringComparison.Ordinal);
        Assert.Empty(hub.StandIn.CommentsOn(3));
    }

    [Fact]
    public async Task Dry_run_plans_every_kind_of_action_and_writes_nothing()
    {
        await SyncAsync([A, B, C], [Error(A), Error(B)]);
        await SyncAsync([A, B, C], [Error(A)]);
        var mutations = hub.StandIn.Mutations;
        var requests = hub.StandIn.Requests.Count;

        using var client = hub.Client();
        var result = await hub.Sync(client, dryRun: true).SyncAsync([A, B, C, "d.example."], [Error(A, message: "new"), Error(B), Error("d.example.")], CancellationToken.None);

        Assert.True(result.DryRun);
        Assert.Equal(["a.example.: would update issue #1", "b.example.: would reopen issue #2", "d.example.: would open an issue"], result.Describe());
        Assert.Equal(mutations, hub.StandIn.Mutations);
        Assert.DoesNotContain(hub.StandIn.Requests.Skip(requests), r => r.StartsWith("POST", StringComparison.Ordinal) || r.StartsWith("PATCH", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dry_run_names_the_issue_it_would_close()
    {
        await SyncAsync([A], [Error(A)]);
        using var client = hub.Client();

        var result = await hub.Sync(client, dryRun: true).SyncAsync([A], [], CancellationToken.None);

        Assert.Equal(["a.example.: would close issue #1"], result.Describe());
        Assert.Equal("open", hub.StandIn.Issues[0].State);
    }

    [Fact]
    public async Task Two_runs_racing_from_the_same_empty_start_leave_one_issue_per_zone()
    {
        HoldTheFirstTwoListsTogether();
        using var first = hub.Client(userAgent: "run-1");
        using var second = hub.Client(userAgent: "run-2");
        RatedFinding[] findings = [Error(A), Error(B)];

        var results = await Task.WhenAll(
            hub.Sync(first).SyncAsync([A, B], findings, CancellationToken.None),
            hub.Sync(second).SyncAsync([A, B], findings, CancellationToken.None));

        Assert.Equal(4, hub.StandIn.Issues.Count);
        foreach (var zone in new[] { A, B })
        {
            var marked = hub.Marked(zone);
            var open = Assert.Single(marked, i => i.State == "open");
            Assert.Equal(marked.Min(i => i.Number), open.Number);
            Assert.All(results, r => Assert.Equal(open.Number, r.Zones.Single(z => z.Zone == zone).IssueNumber));
        }

        hub.StandIn.BeforeReplying = null;
        var mutations = hub.StandIn.Mutations;
        await SyncAsync([A, B], findings);
        Assert.Equal(mutations, hub.StandIn.Mutations);
    }

    [Fact]
    public async Task A_slow_second_run_that_opens_its_issue_late_closes_it_as_a_duplicate()
    {
        HoldTheFirstTwoListsTogether();
        // The slow run's create is held until the fast run has finished (created and re-listed).
        var fastDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.StandIn.BeforeHandling = request =>
            request.IsIssueCreate && request.UserAgent.StartsWith("slow ", StringComparison.Ordinal) ? fastDone.Task.WaitAsync(TimeSpan.FromSeconds(20)) : Task.CompletedTask;
        using var fast = hub.Client(userAgent: "fast");
        using var slow = hub.Client(userAgent: "slow");

        var fastRun = hub.Sync(fast).SyncAsync([A], [Error(A)], CancellationToken.None);
        var slowRun = hub.Sync(slow).SyncAsync([A], [Error(A)], CancellationToken.None);
        var fastResult = await fastRun;
        fastDone.SetResult();
        var slowResult = await slowRun;

        Assert.Equal(["a.example.: opened issue #1"], fastResult.Describe());
        Assert.Equal(["a.example.: issue #1 is up to date; closed duplicate(s) #2"], slowResult.Describe());
        Assert.Equal(["open", "closed"], hub.StandIn.Issues.Select(i => i.State));
        Assert.StartsWith("<!-- nspolicy:duplicate -->\nDuplicate of #1", Assert.Single(hub.StandIn.CommentsOn(2)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_create_whose_response_was_lost_is_found_by_its_marker_and_not_made_again()
    {
        hub.StandIn.AddFault(r => r.IsIssueCreate, FaultKind.CutAfterHandling, times: 1);

        var result = await SyncAsync([A], [Error(A)]);

        Assert.Equal(["a.example.: opened issue #1"], result.Describe());
        Assert.Equal(["open"], hub.StandIn.Issues.Select(i => i.State));
        Assert.Contains(hub.Log, l => l.Contains("looking for it before trying again", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(nameof(FaultKind.CutAfterHandling))]
    [InlineData(nameof(FaultKind.ServerErrorAfterHandling))]
    public async Task Issues_ever_created_equal_the_zones_with_findings_when_every_create_loses_its_answer(string faultName)
    {
        var fault = Enum.Parse<FaultKind>(faultName);
        // Each create takes effect and its answer is lost, twice over for the first zone; comments too.
        hub.StandIn.AddFault(r => r.IsIssueCreate, fault, times: 4);
        hub.StandIn.AddFault(r => r.Method == "POST" && r.Path.EndsWith("/comments", StringComparison.Ordinal), fault, times: 2);
        var closing = hub.StandIn.Seed("old", IssueMarker.ForZone(D) + "\nold", ["nspolicy"]);

        var result = await SyncAsync([A, B, C, D], [Error(A), Error(B), Error(C)]);

        Assert.Equal(3, hub.StandIn.IssuesCreated);
        Assert.Equal(4, hub.StandIn.Issues.Count);
        foreach (var zone in new[] { A, B, C })
        {
            Assert.Equal("open", Assert.Single(hub.Marked(zone)).State);
        }

        Assert.Equal(["a.example.: opened issue #2", "b.example.: opened issue #3", "c.example.: opened issue #4", "d.example.: closed issue #1"], result.Describe());
        Assert.Single(hub.StandIn.CommentsOn(closing.Number));
        Assert.Equal("closed", hub.Marked(D).Single().State);
    }

    [Fact]
    public async Task A_create_that_keeps_losing_its_answer_gives_up_after_the_attempts_without_a_duplicate()
    {
        hub.StandIn.AddFault(r => r.IsIssueCreate, FaultKind.ServerError, times: 100);
        using var client = hub.Client(maxAttempts: 3);

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => hub.Sync(client).SyncAsync([A], [Error(A)], CancellationToken.None));

        Assert.Equal("GitHub API POST /repos/acme/dns/issues: gave up after 3 attempts; last: 500 Internal Server Error: Server Error", e.Message);
        Assert.Equal(3, hub.StandIn.Requests.Count(r => r.StartsWith("POST", StringComparison.Ordinal)));
        Assert.Empty(hub.StandIn.Issues);
    }

    public static TheoryData<int, bool> KillPoints()
    {
        var data = new TheoryData<int, bool>();
        for (var k = 0; k <= KilledRunMutations; k++)
        {
            data.Add(k, false);
            data.Add(k, true);
        }

        return data;
    }

    /// <summary>How many writes the uninterrupted run in the next test makes.</summary>
    private const int KilledRunMutations = 8;

    [Theory]
    [MemberData(nameof(KillPoints))]
    public async Task A_run_killed_after_any_write_is_finished_by_the_next_run_without_duplicates_or_lost_closes(int killAfter, bool responseLost)
    {
        const string E = "e.example.";
        // A: open, to close. B: open with a stale body. C: closed, to reopen. D: none yet. E: current, with an open duplicate.
        RatedFinding[] findings = [Error(B), Error(C), Error(D), Error(E)];
        await SyncAsync([E], [Error(E)]);
        hub.StandIn.Seed("a", IssueMarker.ForZone(A) + "\nold", ["nspolicy"]);
        hub.StandIn.Seed("b", IssueMarker.ForZone(B) + "\nold", ["nspolicy"]);
        hub.StandIn.Seed("c", IssueMarker.ForZone(C) + "\nold", ["nspolicy"], closed: true);
        hub.StandIn.Seed("e duplicate", IssueMarker.ForZone(E), ["nspolicy"]);
        var start = hub.StandIn.Mutations;
        hub.StandIn.KillAfterMutations(start + killAfter, responseLost);

        using (var dying = hub.Client(maxAttempts: 2))
        {
            // Past its last write the run still dies, re-listing after the issue it opened.
            var death = await Record.ExceptionAsync(() => hub.Sync(dying).SyncAsync([A, B, C, D, E], findings, CancellationToken.None));
            Assert.IsType<GitHubApiException>(death);
        }

        hub.StandIn.Heal();
        await SyncAsync([A, B, C, D, E], findings);

        Assert.Equal(("closed", "completed"), (hub.Marked(A).Single().State, hub.Marked(A).Single().StateReason));
        Assert.Single(hub.StandIn.CommentsOn(hub.Marked(A).Single().Number), c => c.Body.Contains(IssueMarker.Cleared, StringComparison.Ordinal));
        foreach (var zone in new[] { B, C, D, E })
        {
            var open = Assert.Single(hub.Marked(zone), i => i.State == "open");
            Assert.Contains($"zone `{zone}`", open.Body, StringComparison.Ordinal);
            Assert.Equal(hub.Marked(zone).Min(i => i.Number), open.Number);
        }

        Assert.Single(hub.StandIn.CommentsOn(hub.Marked(C).Single().Number), c => c.Body.Contains(IssueMarker.Reopened, StringComparison.Ordinal));
        var duplicate = hub.Marked(E)[1];
        Assert.Equal("closed", duplicate.State);
        Assert.Single(hub.StandIn.CommentsOn(duplicate.Number));
        Assert.Single(hub.Marked(D));

        // And the repaired state is stable.
        var settled = hub.StandIn.Mutations;
        await SyncAsync([A, B, C, D, E], findings);
        Assert.Equal(settled, hub.StandIn.Mutations);
    }

    [Fact]
    public async Task The_uninterrupted_kill_scenario_makes_the_expected_number_of_writes()
    {
        await SyncAsync(["e.example."], [Error("e.example.")]);
        hub.StandIn.Seed("a", IssueMarker.ForZone(A) + "\nold", ["nspolicy"]);
        hub.StandIn.Seed("b", IssueMarker.ForZone(B) + "\nold", ["nspolicy"]);
        hub.StandIn.Seed("c", IssueMarker.ForZone(C) + "\nold", ["nspolicy"], closed: true);
        hub.StandIn.Seed("e duplicate", IssueMarker.ForZone("e.example."), ["nspolicy"]);
        var start = hub.StandIn.Mutations;

        var result = await SyncAsync([A, B, C, "d.example.", "e.example."], [Error(B), Error(C), Error("d.example."), Error("e.example.")]);

        Assert.Equal(KilledRunMutations, hub.StandIn.Mutations - start);
        Assert.Equal(
            ["a.example.: closed issue #2", "b.example.: updated issue #3", "c.example.: reopened issue #4", "d.example.: opened issue #6", "e.example.: issue #1 is up to date; closed duplicate(s) #5"],
            result.Describe());
    }

    [Fact]
    public async Task Rate_limits_and_server_errors_mid_sync_still_reach_the_right_state()
    {
        await SyncAsync([A, B], [Error(A), Error(B)]);
        var reset = Now.AddSeconds(30).ToUnixTimeSeconds();
        hub.StandIn.AddFault(r => r.Method == "PATCH", FaultKind.PrimaryRateLimit, times: 1, seconds: (int)reset);
        hub.StandIn.AddFault(r => r.Method == "POST", FaultKind.ServerError, times: 2);
        hub.StandIn.AddFault(r => r.Method == "GET", FaultKind.TooManyRequests, times: 1, seconds: 3);

        var result = await SyncAsync([A, B, C], [Error(B, message: "changed"), Error(C)]);

        Assert.Equal(["a.example.: closed issue #1", "b.example.: updated issue #2", "c.example.: opened issue #3"], result.Describe());
        Assert.Contains(TimeSpan.FromSeconds(31), hub.Waits);
        Assert.Contains(TimeSpan.FromSeconds(3), hub.Waits);
    }

    [Fact]
    public async Task The_token_appears_in_no_result_log_or_exception_of_a_failing_sync()
    {
        hub.StandIn.AddFault(r => r.IsIssueCreate, FaultKind.ServerError, times: 100);
        hub.StandIn.AddFault(r => r.IsIssueList, FaultKind.CutBeforeHandling, times: 4);
        using var client = hub.Client(maxAttempts: 3);

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => hub.Sync(client).SyncAsync([A], [Error(A)], CancellationToken.None));
        hub.StandIn.Heal();
        var result = await hub.Sync(client).SyncAsync([A], [Error(A)], CancellationToken.None);

        Assert.Equal("GitHub API POST /repos/acme/dns/issues: gave up after 3 attempts; last: 500 Internal Server Error: Server Error", e.Message);
        string[] texts = [e.ToString(), .. hub.Log, .. result.Describe(), .. hub.StandIn.Issues.Select(i => i.Body)];
        Assert.All(texts, t => Assert.DoesNotContain(hub.StandIn.Token, t, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Findings_without_a_zone_are_counted_but_open_no_issue()
    {
        var global = new RatedFinding(new Finding("POLICY_SCHEMA", new SourceLocation("nspolicy.yaml", 1, 1), "bad"), Severity.Error, null);

        var result = await SyncAsync([A], [global]);

        Assert.Empty(result.Zones);
        Assert.Equal(1, result.FindingsWithoutZone);
        Assert.Empty(hub.StandIn.Issues);
    }

    [Fact]
    public async Task A_huge_body_is_cut_below_GitHubs_limit()
    {
        var findings = Enumerable.Range(1, 2000).Select(i => Error(A, message: new string('x', 60) + i, line: i)).ToArray();

        await SyncAsync([A], findings);

        var body = hub.StandIn.Issues[0].Body;
        Assert.True(body.Length <= IssueSync.MaxBodyLength + 200, $"body has {body.Length} characters");
        Assert.EndsWith("The job's own report has every finding._\n", body, StringComparison.Ordinal);
        var mutations = hub.StandIn.Mutations;
        await SyncAsync([A], findings);
        Assert.Equal(mutations, hub.StandIn.Mutations);
    }

    [Fact]
    public async Task A_custom_renderer_and_extra_labels_are_used()
    {
        using var client = hub.Client();
        var options = new IssueSyncOptions
        {
            Label = "dns-drift",
            ExtraLabels = ["team-dns"],
            Renderer = (zone, findings) => $"custom {zone} {findings.Count}",
            Title = zone => $"Drift in {zone}",
        };

        await new IssueSync(client, options).SyncAsync([A], [Error(A)], CancellationToken.None);

        var issue = Assert.Single(hub.StandIn.Issues);
        Assert.Equal(("Drift in a.example.", "<!-- nspolicy:zone=a.example. -->\n\ncustom a.example. 1\n"), (issue.Title, issue.Body));
        Assert.Equal(["dns-drift", "team-dns"], issue.Labels);
    }

    /// <summary>Holds the answer to each run's first issue list until both runs have listed: both see the same start.</summary>
    private void HoldTheFirstTwoListsTogether()
    {
        var arrived = 0;
        var bothListed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.StandIn.BeforeReplying = async request =>
        {
            if (request.IsIssueList && Interlocked.Increment(ref arrived) <= 2)
            {
                if (arrived >= 2)
                {
                    bothListed.TrySetResult();
                }

                await bothListed.Task.WaitAsync(TimeSpan.FromSeconds(20));
            }
        };
    }

    private async Task<IssueSyncResult> SyncAsync(string[] zones, RatedFinding[] findings)
    {
        using var client = hub.Client();
        return await hub.Sync(client).SyncAsync(zones, findings, CancellationToken.None);
    }

    private async Task<IssueSyncResult> FullSyncAsync(string[] zones, RatedFinding[] findings)
    {
        using var client = hub.Client();
        return await hub.Sync(client).SyncAsync(zones, findings, fullRun: true, CancellationToken.None);
    }

    private sealed class StandInIssueComparer : IEqualityComparer<StandInIssue>
    {
        public bool Equals(StandInIssue? x, StandInIssue? y) =>
            x is not null && y is not null && (x.Number, x.Title, x.Body, x.State, x.UpdatedAt) == (y.Number, y.Title, y.Body, y.State, y.UpdatedAt);

        public int GetHashCode(StandInIssue obj) => obj.Number;
    }
}
