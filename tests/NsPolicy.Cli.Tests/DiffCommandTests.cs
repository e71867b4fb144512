namespace NsPolicy.Cli.Tests;

public sealed class DiffCommandTests
{
    private const string Policy =
        "version: 1\n" +
        "zones:\n" +
        "  - zone: example.com\n" +
        "    nameservers: [ns1.example.net, NS2]\n" +
        "    zone-file: zones/example.com.zone\n" +
        "  - zone: example.org\n" +
        "    nameservers: [ns1.example.net, ns2.example.net]\n" +
        "    zone-file: zones/example.org.zone\n";

    private static string Zone(string origin, string ns2, string extra = "", int serial = 1) =>
        $"$ORIGIN {origin}.\n$TTL 3600\n@ SOA ns1.example.net. hostmaster {serial} 7200 3600 1209600 3600\n@ 86400 NS ns1.example.net.\n@ 86400 NS {ns2}.\n{extra}";

    private static TempGitRepository Repository(string ns2)
    {
        var repo = new TempGitRepository();
        Directory.CreateDirectory(Path.Combine(repo.Path, "zones"));
        Write(repo, "ns2.example.net");
        repo.CommitAll("base");
        Write(repo, ns2);
        return repo;
    }

    private static void Write(TempGitRepository repo, string ns2)
    {
        File.WriteAllText(Path.Combine(repo.Path, "nspolicy.yaml"), Policy.Replace("NS2", ns2, StringComparison.Ordinal));
        // A changed zone has its serial increased, as it should.
        File.WriteAllText(Path.Combine(repo.Path, "zones", "example.com.zone"), Zone("example.com", ns2, serial: ns2 == "ns2.example.net" ? 1 : 2));
        File.WriteAllText(Path.Combine(repo.Path, "zones", "example.org.zone"), Zone("example.org", "ns2.example.net", "www.example.net. A 192.0.2.1\n"));
        foreach (var file in Directory.EnumerateFiles(repo.Path, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/.git/", StringComparison.Ordinal)))
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddSeconds(5));
        }
    }

    [Fact]
    public async Task Diff_prints_the_nameserver_change_of_the_changed_zone_as_text_and_markdown()
    {
        using var repo = Repository("ns3.example.net");

        var text = await CliRunner.RunAsync(repo.Path, "diff", "--base", "main");
        var markdown = await CliRunner.RunAsync(repo.Path, "diff", "--base", "main", "--format", "markdown");

        Assert.Equal(0, text.ExitCode);
        Assert.Equal(
            "example.com.\n" +
            "  - NS ns2.example.net. (policy, zone file)\n" +
            "  + NS ns3.example.net. (policy, zone file)\n" +
            "2 delegation changes in 1 zone since main.\n",
            text.Stdout);
        Assert.Equal(0, markdown.ExitCode);
        Assert.Contains("| added | NS `ns3.example.net.` |  |  | policy, zone file |", markdown.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_with_an_unknown_revision_or_outside_git_exits_2()
    {
        using var repo = Repository("ns3.example.net");
        using var plain = new TempDirectory();
        File.WriteAllText(Path.Combine(plain.Path, "nspolicy.yaml"), Policy);

        var unknown = await CliRunner.RunAsync(repo.Path, "diff", "--base", "no-such-branch");
        var outside = await CliRunner.RunAsync(plain.Path, "diff", "--base", "main");

        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("'no-such-branch' does not name a commit", unknown.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, outside.ExitCode);
        Assert.Contains("nspolicy: diff:", outside.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_changed_since_reports_only_the_zones_that_changed()
    {
        using var repo = Repository("ns3.example.com");

        var all = await CliRunner.RunAsync(repo.Path, "check", "--offline", "--format", "json");
        var changed = await CliRunner.RunAsync(repo.Path, "check", "--offline", "--changed-since", "main");

        Assert.Contains("ZONE_OUT_OF_ZONE", all.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, changed.ExitCode);
        Assert.DoesNotContain("example.org", changed.Stdout, StringComparison.Ordinal);
        Assert.Contains("zones/example.com.zone:5:1: error: nameserver ns3.example.com. of zone example.com. is inside the zone but has no A or AAAA record in the zone file [ZONE_NS_ADDRESS_MISSING]", changed.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_changed_since_with_nothing_changed_checks_no_zone()
    {
        using var repo = Repository("ns2.example.net");

        var result = await CliRunner.RunAsync(repo.Path, "check", "--offline", "--changed-since", "HEAD");
        var everything = await CliRunner.RunAsync(repo.Path, "check", "--offline");

        Assert.Equal(1, everything.ExitCode);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("0 errors, 0 warnings, 0 notices\n", result.Stdout);
    }
}
