using NsPolicy.Core.GitHub;
using NsPolicy.Tests.Shared.GitHub;

namespace NsPolicy.Core.Tests.GitHub;

public sealed class StickyCommentTests : IAsyncLifetime
{
    private GitHubFixture hub = null!;
    private int pullRequest;

    public async Task InitializeAsync()
    {
        hub = await GitHubFixture.StartAsync();
        pullRequest = hub.StandIn.Seed("Move example.com to provider B", "PR body", [], pullRequest: true).Number;
        hub.StandIn.SeedComment(pullRequest, "LGTM from a human");
    }

    public async Task DisposeAsync() => await hub.DisposeAsync();

    [Fact]
    public async Task Creates_the_comment_once_then_edits_it_in_place_and_leaves_other_comments_alone()
    {
        var first = await UpsertAsync("findings: 2");
        var second = await UpsertAsync("findings: 1");
        var third = await UpsertAsync("findings: 1");

        Assert.Equal("commented on #1", first.Describe());
        Assert.Equal("updated the comment on #1", second.Describe());
        Assert.Equal("the comment on #1 is up to date", third.Describe());
        var comments = hub.StandIn.CommentsOn(pullRequest);
        Assert.Equal(2, comments.Count);
        Assert.Equal("LGTM from a human", comments[0].Body);
        Assert.Equal("<!-- nspolicy:comment=pr -->\nfindings: 1\n", comments[1].Body);
        Assert.Equal(first.CommentId, comments[1].Id);
    }

    [Fact]
    public async Task Finds_its_comment_behind_a_hundred_others()
    {
        await UpsertAsync("v1");
        for (var i = 0; i < 150; i++)
        {
            hub.StandIn.SeedComment(pullRequest, $"chatter {i}");
        }

        var result = await UpsertAsync("v2");

        Assert.Equal(StickyCommentAction.Updated, result.Action);
        Assert.Single(hub.StandIn.CommentsOn(pullRequest), c => c.Body.Contains("nspolicy:comment=pr", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Keys_keep_separate_comments_apart()
    {
        using var client = hub.Client();
        await new StickyComment(client).UpsertAsync(pullRequest, "zones", "a", dryRun: false, CancellationToken.None);
        await new StickyComment(client).UpsertAsync(pullRequest, "policy", "b", dryRun: false, CancellationToken.None);

        Assert.Equal(3, hub.StandIn.CommentsOn(pullRequest).Count);
    }

    [Fact]
    public async Task Dry_run_says_what_it_would_do_and_writes_nothing()
    {
        using var client = hub.Client();

        var result = await new StickyComment(client).UpsertAsync(pullRequest, "pr", "x", dryRun: true, CancellationToken.None);

        Assert.Equal("would comment on #1", result.Describe());
        Assert.Equal(0, hub.StandIn.Mutations);
    }

    [Fact]
    public async Task A_failed_edit_is_retried_and_does_not_create_a_second_comment()
    {
        await UpsertAsync("v1");
        hub.StandIn.AddFault(r => r.Method == "PATCH", FaultKind.CutBeforeHandling, times: 1);
        hub.StandIn.AddFault(r => r.Method == "PATCH", FaultKind.ServerError, times: 1);

        await UpsertAsync("v2");

        Assert.Equal(2, hub.StandIn.CommentsOn(pullRequest).Count);
        Assert.EndsWith("v2\n", hub.StandIn.CommentsOn(pullRequest)[1].Body, StringComparison.Ordinal);
        Assert.Equal(2, hub.Waits.Count);
    }

    private async Task<StickyCommentResult> UpsertAsync(string body)
    {
        using var client = hub.Client();
        return await new StickyComment(client).UpsertAsync(pullRequest, "pr", body, dryRun: false, CancellationToken.None);
    }
}
