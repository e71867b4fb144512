using NsPolicy.Core.Changes;
using NsPolicy.Core.Checking;
using NsPolicy.Core.Tests.Support;
using NsPolicy.Core.Checks.Zone;
using NsPolicy.Core.Findings;
using NsPolicy.Dns;
using NsPolicy.Dns.Zones;

namespace NsPolicy.Core.Tests;

/// <summary>
/// Each testdata/diff/CASE holds base/ and head/: base is committed in a fresh git repository, head
/// laid over the work tree, and the delegation diff since HEAD, as text and as Markdown, must equal
/// CASE/diff.out and CASE/diff.md.out.
/// </summary>
public sealed class DiffGoldenTests
{
    private const string Folder = "tests/NsPolicy.Core.Tests/testdata/diff";

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(Repository.PathOf(Folder)).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(dir));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Delegation_diff_matches_golden_files(string name)
    {
        using var repo = Prepare(name);
        var git = new GitClient(repo.Path);
        using var baseTree = new TempGitRepository();
        Assert.True(await git.ExtractAsync("HEAD", baseTree.Path, CancellationToken.None));

        var before = await RepositoryState.LoadAsync(Path.Combine(baseTree.Path, "nspolicy.yaml"), "nspolicy.yaml", false, FixedTime.Today, CancellationToken.None);
        var after = await RepositoryState.LoadAsync(Path.Combine(repo.Path, "nspolicy.yaml"), "nspolicy.yaml", false, FixedTime.Today, CancellationToken.None);
        var diffs = DelegationDiff.Compare(before, after, "main");

        Golden.Assert(Repository.PathOf(Folder, name, "diff.out"), DiffRenderer.Text(diffs, "main"));
        Golden.Assert(Repository.PathOf(Folder, name, "diff.md.out"), DiffRenderer.Markdown(diffs, "main"));
    }

    [Theory]
    [InlineData("ns-and-glue", "example.com.")]
    [InlineData("key-rollover", "example.com.")]
    [InlineData("zones-added-removed", "example.net.")]
    [InlineData("no-delegation-change", "example.com.")]
    [InlineData("serial-not-increased", "example.com.")]
    public async Task Changed_zones_are_those_whose_entry_or_zone_file_changed(string name, string expected)
    {
        using var repo = Prepare(name);
        var policy = Path.Combine(repo.Path, "nspolicy.yaml");
        var (document, _, _) = await new Validation.PolicyValidator(FixedTime.Today).CheckFileAsync(policy, "nspolicy.yaml", CancellationToken.None);

        using var checkout = await BaseCheckout.ExtractAsync(policy, "HEAD", CancellationToken.None);
        var changed = await ChangedZones.FindAsync(checkout, policy, document!, "HEAD", false, FixedTime.Today, CancellationToken.None);

        Assert.Equal([DnsName.Parse(expected)], changed);
    }

    [Fact]
    public async Task A_changed_include_file_marks_its_zone_changed_and_no_other()
    {
        using var repo = new TempGitRepository();
        Directory.CreateDirectory(Path.Combine(repo.Path, "zones"));
        File.WriteAllText(Path.Combine(repo.Path, "nspolicy.yaml"),
            "version: 1\nzones:\n  - zone: example.com\n    nameservers: [ns1.example.net, ns2.example.net]\n    zone-file: zones/example.com.zone\n" +
            "  - zone: example.org\n    nameservers: [ns1.example.net, ns2.example.net]\n    zone-file: zones/example.org.zone\n");
        File.WriteAllText(Path.Combine(repo.Path, "zones", "example.com.zone"), "$TTL 60\n@ SOA ns1.example.net. h 1 2 3 4 5\n$INCLUDE hosts.inc\n");
        File.WriteAllText(Path.Combine(repo.Path, "zones", "example.org.zone"), "$TTL 60\n@ SOA ns1.example.net. h 1 2 3 4 5\n");
        File.WriteAllText(Path.Combine(repo.Path, "zones", "hosts.inc"), "www A 192.0.2.1\n");
        repo.CommitAll("base");
        File.WriteAllText(Path.Combine(repo.Path, "zones", "hosts.inc"), "www A 192.0.2.2\n");
        var policy = Path.Combine(repo.Path, "nspolicy.yaml");
        var (document, _, _) = await new Validation.PolicyValidator(FixedTime.Today).CheckFileAsync(policy, "nspolicy.yaml", CancellationToken.None);

        using var checkout = await BaseCheckout.ExtractAsync(policy, "HEAD", CancellationToken.None);
        var changed = await ChangedZones.FindAsync(checkout, policy, document!, "HEAD", false, FixedTime.Today, CancellationToken.None);

        Assert.Equal([DnsName.Parse("example.com")], changed);
    }

    [Fact]
    public async Task A_check_run_since_a_revision_reports_only_the_changed_zones_as_checked()
    {
        using var repo = Prepare("zones-added-removed");
        var policy = Path.Combine(repo.Path, "nspolicy.yaml");

        var report = await new CheckRunner(FixedTime.Today, live: null)
            .RunAsync(new CheckRequest(policy, "nspolicy.yaml") { Offline = true, ChangedSince = "HEAD" }, CancellationToken.None);

        Assert.Equal([DnsName.Parse("example.net")], report.CheckedZones);
    }

    [Theory]
    [InlineData("serial-not-increased", "ZONE_SERIAL_NOT_INCREASED")]
    [InlineData("serial-backwards", "ZONE_SERIAL_BACKWARDS")]
    [InlineData("no-delegation-change", null)]
    public async Task A_check_since_a_revision_compares_each_changed_zone_files_serial_with_the_revisions(string name, string? expected)
    {
        using var repo = Prepare(name);
        var policy = Path.Combine(repo.Path, "nspolicy.yaml");

        var report = await new CheckRunner(FixedTime.Today, live: null)
            .RunAsync(new CheckRequest(policy, "nspolicy.yaml") { Offline = true, ChangedSince = "HEAD" }, CancellationToken.None);

        var serial = report.Findings.Where(f => f.Code.StartsWith("ZONE_SERIAL_", StringComparison.Ordinal)).ToList();
        if (expected is null)
        {
            Assert.Empty(serial);
            return;
        }

        var finding = Assert.Single(serial);
        Assert.Equal(expected, finding.Code);
        Assert.Equal(new SourceLocation("zones/example.com.zone", 3, 1), finding.Location);
        Assert.Contains("2026112101 at HEAD", finding.Finding.Found, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1u, 1u, true, "ZONE_SERIAL_NOT_INCREASED")]
    [InlineData(1u, 1u, false, null)]
    [InlineData(1u, 2u, false, null)]
    [InlineData(1u, 2u, true, null)]
    [InlineData(5u, 4u, true, "ZONE_SERIAL_BACKWARDS")]
    [InlineData(5u, 4u, false, "ZONE_SERIAL_BACKWARDS")]
    [InlineData(1u, 2147483648u, true, null)]
    [InlineData(1u, 2147483649u, true, "ZONE_SERIAL_BACKWARDS")]
    [InlineData(1u, 4294967295u, true, "ZONE_SERIAL_BACKWARDS")]
    [InlineData(4294967295u, 3u, true, null)]
    [InlineData(2147483648u, 0u, true, "ZONE_SERIAL_BACKWARDS")]
    public void Serials_compare_in_RFC_1982_arithmetic(uint old, uint now, bool dataChanged, string? expected)
    {
        var at = new ZonePosition("z.zone", 3, 1);
        var evidence = new ZoneSerialEvidence("main", new ZoneContent(old, at, 1, 1), new ZoneContent(now, at, dataChanged ? 2UL : 1UL, 1));

        Assert.Equal(expected, ZoneSerialCheck.Judge(DnsName.Parse("example.com."), evidence)?.Code);
    }

    [Fact]
    public async Task An_unknown_revision_is_a_git_error_naming_it()
    {
        using var repo = new TempGitRepository();

        var error = await Assert.ThrowsAsync<GitException>(() => new GitClient(repo.Path).VerifyAsync("no-such-branch", CancellationToken.None));

        Assert.Contains("'no-such-branch' does not name a commit", error.Message, StringComparison.Ordinal);
    }

    private static TempGitRepository Prepare(string name)
    {
        var repo = new TempGitRepository();
        repo.Replace(Repository.PathOf(Folder, name, "base"));
        repo.CommitAll("base");
        repo.Replace(Repository.PathOf(Folder, name, "head"));
        return repo;
    }
}
