namespace NsPolicy.Cli.Tests;

/// <summary>
/// The SOA serial of a changed zone file, checked by <c>check --changed-since</c> and shown by
/// <c>diff --base</c>, in a throw-away git repository whose base commit has serial 2026120401.
/// </summary>
public sealed class SerialCheckTests
{
    private const string Policy =
        "version: 1\n" +
        "zones:\n" +
        "  - zone: example.com\n" +
        "    nameservers: [ns1.example.net, ns2.example.net]\n" +
        "    zone-file: zones/example.com.zone\n";

    private static string Zone(string serial, string www) =>
        "$ORIGIN example.com.\n$TTL 3600\n" +
        $"@ SOA ns1.example.net. hostmaster {serial} 7200 3600 1209600 3600\n" +
        "@ 86400 NS ns1.example.net.\n@ 86400 NS ns2.example.net.\n" +
        $"www A {www}\n";

    private static TempGitRepository Repository(string serial, string www)
    {
        var repo = new TempGitRepository();
        Directory.CreateDirectory(Path.Combine(repo.Path, "zones"));
        File.WriteAllText(Path.Combine(repo.Path, "nspolicy.yaml"), Policy);
        File.WriteAllText(Path.Combine(repo.Path, "zones", "example.com.zone"), Zone("2026120401", "192.0.2.80"));
        repo.CommitAll("base");
        var zone = Path.Combine(repo.Path, "zones", "example.com.zone");
        File.WriteAllText(zone, Zone(serial, www));
        File.SetLastWriteTimeUtc(zone, DateTime.UtcNow.AddSeconds(5));
        return repo;
    }

    [Fact]
    public async Task Changed_records_with_the_same_serial_fail_the_check_at_the_SOA_line_and_show_in_the_diff()
    {
        using var repo = Repository("2026120401", "192.0.2.81");

        var check = await CliRunner.RunAsync(repo.Path, "check", "--offline", "--changed-since", "main");
        var diff = await CliRunner.RunAsync(repo.Path, "diff", "--base", "main");
        var markdown = await CliRunner.RunAsync(repo.Path, "diff", "--base", "main", "--format", "markdown");

        Assert.Equal(1, check.ExitCode);
        Assert.Equal(
            "zones/example.com.zone:3:1: error: records of zone example.com. changed since main but the SOA serial did not increase (2026120401 at main, 2026120401 now); secondaries will not pick up the change [ZONE_SERIAL_NOT_INCREASED]\n" +
            "1 error, 0 warnings, 0 notices\n",
            check.Stdout);
        Assert.Equal(0, diff.ExitCode);
        Assert.Contains("  ! zones/example.com.zone:3:1: error: records of zone example.com. changed since main but the SOA serial did not increase (2026120401 at main, 2026120401 now)", diff.Stdout, StringComparison.Ordinal);
        Assert.Contains("(`ZONE_SERIAL_NOT_INCREASED`)", markdown.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026120301", "192.0.2.81")]
    [InlineData("2026120301", "192.0.2.80")]
    [InlineData("4173604050", "192.0.2.81")]
    public async Task A_serial_that_went_backwards_or_jumped_by_2_to_the_31_or_more_fails_the_check(string serial, string www)
    {
        using var repo = Repository(serial, www);

        var check = await CliRunner.RunAsync(repo.Path, "check", "--offline", "--changed-since", "main");

        Assert.Equal(1, check.ExitCode);
        Assert.StartsWith($"zones/example.com.zone:3:1: error: SOA serial of zone example.com. went from 2026120401 at main to {serial}, which ", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("[ZONE_SERIAL_BACKWARDS]\n1 error, 0 warnings, 0 notices\n", check.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026120402", "192.0.2.81")]
    [InlineData("2026120402", "192.0.2.80")]
    public async Task A_serial_increase_with_or_without_changed_records_is_silent(string serial, string www)
    {
        using var repo = Repository(serial, www);

        var check = await CliRunner.RunAsync(repo.Path, "check", "--offline", "--changed-since", "main");
        var diff = await CliRunner.RunAsync(repo.Path, "diff", "--base", "main");

        Assert.Equal(0, check.ExitCode);
        Assert.Equal("0 errors, 0 warnings, 0 notices\n", check.Stdout);
        Assert.Equal("No delegation changes since main.\n", diff.Stdout);
    }
}
