using NsPolicy.Core.Changes;
using NsPolicy.Tests.Shared;

namespace NsPolicy.Core.Tests.Changes;

public sealed class BaseCheckoutsTests
{
    [Fact]
    public async Task A_revision_is_extracted_once_per_run_and_removed_with_the_run()
    {
        using var repo = new TempGitRepository();
        File.WriteAllText(Path.Combine(repo.Path, "nspolicy.yaml"), "version: 1\nzones: []\n");
        repo.CommitAll("base");
        var policy = Path.Combine(repo.Path, "nspolicy.yaml");

        BaseCheckout first, again;
        using (var checkouts = new BaseCheckouts())
        {
            first = await checkouts.ExtractAsync(policy, "HEAD", CancellationToken.None);
            again = await checkouts.ExtractAsync(Path.Combine(repo.Path, ".", "nspolicy.yaml"), "HEAD", CancellationToken.None);

            Assert.Same(first, again);
            Assert.Equal("version: 1\nzones: []\n", File.ReadAllText(first.PolicyPath!));
        }

        Assert.False(Directory.Exists(first.Folder));
    }

    [Fact]
    public async Task An_unknown_revision_is_a_git_error_each_time_it_is_asked_for()
    {
        using var repo = new TempGitRepository();
        File.WriteAllText(Path.Combine(repo.Path, "nspolicy.yaml"), "version: 1\nzones: []\n");
        repo.CommitAll("base");
        var policy = Path.Combine(repo.Path, "nspolicy.yaml");

        using var checkouts = new BaseCheckouts();
        await Assert.ThrowsAsync<GitException>(() => checkouts.ExtractAsync(policy, "no-such-revision", CancellationToken.None));
        await Assert.ThrowsAsync<GitException>(() => checkouts.ExtractAsync(policy, "no-such-revision", CancellationToken.None));
    }
}
