using System.Text.Json;

namespace NsPolicy.Cli.Tests;

public sealed class CheckCommandTests
{
    private const string TwoZones =
        "version: 1\n" +
        "zones:\n" +
        "  - zone: example.com\n" +
        "    nameservers: [ns1.example.net]\n" +
        "  - zone: example.org\n" +
        "    nameservers: [ns1.example.net]\n";

    [Fact]
    public async Task Offline_check_of_the_bundled_example_exits_0_with_only_the_acknowledged_finding()
    {
        var result = await CliRunner.RunInRepositoryAsync("check", "--offline", "--policy", "examples/nspolicy.yaml");

        Assert.Equal(string.Empty, result.Stderr);
        Assert.Equal(0, result.ExitCode);
        Assert.EndsWith("0 errors, 0 warnings, 0 notices, 1 acknowledged\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offline_check_reports_policy_findings_and_exits_1()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "nspolicy.yaml"), TwoZones);

        var result = await CliRunner.RunAsync(dir.Path, "check", "--offline");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            "zone example.com.:\n" +
            "nspolicy.yaml:3:11: error: zone example.com. lists 1 distinct nameserver(s); at least 2 are needed [POLICY_TOO_FEW_NAMESERVERS]\n" +
            "zone example.org.:\n" +
            "nspolicy.yaml:5:11: error: zone example.org. lists 1 distinct nameserver(s); at least 2 are needed [POLICY_TOO_FEW_NAMESERVERS]\n" +
            "2 errors, 0 warnings, 0 notices\n",
            result.Stdout);
    }

    [Fact]
    public async Task Zone_option_limits_the_findings_to_that_zone()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "nspolicy.yaml"), TwoZones);

        var result = await CliRunner.RunAsync(dir.Path, "check", "--offline", "--zone", "EXAMPLE.org", "--format", "json");

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var zones = json.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("zone").GetString()).ToList();
        Assert.Equal(["example.org."], zones);
    }

    [Fact]
    public async Task A_zone_the_policy_does_not_list_is_a_usage_error()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "nspolicy.yaml"), TwoZones);

        var result = await CliRunner.RunAsync(dir.Path, "check", "--offline", "--zone", "example.net");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Contains("nspolicy.yaml: the policy has no zone example.net.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Live_check_under_the_loopback_guard_sends_nothing_and_reports_every_parent_unreachable()
    {
        var result = await CliRunner.RunInRepositoryAsync("check", "--policy", "examples/nspolicy.yaml", "--format", "json");

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var live = json.RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("code").GetString() != "POLICY_DS_DIGEST_TYPE_DEPRECATED")
            .Select(f => (f.TryGetProperty("zone", out var zone) ? zone.GetString() : null, f.GetProperty("code").GetString()))
            .ToList();
        // The guard lets no query to the IPv6 root servers out either, so --ipv6 auto says once, of the policy as a whole (no zone's issue), that IPv6 was not asked.
        Assert.Equal([(null, "NS_IPV6_UNTESTED"), ("example.com.", "PARENT_UNREACHABLE"), ("example.net.", "PARENT_UNREACHABLE"), ("xn--bcher-kva.example.", "PARENT_UNREACHABLE")], live.Order());
        Assert.Contains("blocked", result.Stdout, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_invalid_zone_name_is_a_usage_error()
    {
        var result = await CliRunner.RunInRepositoryAsync("check", "--offline", "--zone", "a..b", "--policy", "examples/nspolicy.yaml");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--zone a..b", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offline_check_reports_zone_file_findings_at_the_zone_file_line()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "zones"));
        File.WriteAllText(Path.Combine(dir.Path, "nspolicy.yaml"),
            "version: 1\nzones:\n  - zone: example.com\n    nameservers: [ns1.example.net, ns2.example.net]\n    zone-file: zones/example.com.zone\n");
        File.WriteAllText(Path.Combine(dir.Path, "zones", "example.com.zone"),
            "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1.example.net. host 1 7200 3600 1209600 3600\n@ NS ns1.example.net.\n@ NS ns3.example.net.\n");

        var result = await CliRunner.RunAsync(dir.Path, "check", "--offline");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            "nspolicy.yaml:4:36: error: nameserver ns2.example.net. of zone example.com. is not in the apex NS records of zones/example.com.zone (they are: ns1.example.net., ns3.example.net.) [ZONE_NS_NOT_IN_FILE]\n" +
            "zones/example.com.zone:5:1: error: apex NS ns3.example.net. of zone example.com. is not one of the policy's nameservers (ns1.example.net., ns2.example.net.) [ZONE_NS_NOT_IN_POLICY]\n" +
            "2 errors, 0 warnings, 0 notices\n",
            result.Stdout);
    }

    [Fact]
    public async Task An_include_outside_the_policy_folder_is_refused_unless_allowed()
    {
        using var dir = new TempDirectory();
        var repo = Path.Combine(dir.Path, "repo");
        Directory.CreateDirectory(repo);
        File.WriteAllText(Path.Combine(dir.Path, "common.inc"), "www A 192.0.2.80\n");
        File.WriteAllText(Path.Combine(repo, "nspolicy.yaml"),
            "version: 1\nzones:\n  - zone: example.com\n    nameservers: [ns1.example.net, ns2.example.net]\n    zone-file: example.com.zone\n");
        File.WriteAllText(Path.Combine(repo, "example.com.zone"),
            "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1.example.net. host 1 7200 3600 1209600 3600\n@ NS ns1.example.net.\n@ NS ns2.example.net.\n$INCLUDE ../common.inc\n");

        var refused = await CliRunner.RunAsync(repo, "check", "--offline");
        var allowed = await CliRunner.RunAsync(repo, "check", "--offline", "--allow-include-outside");

        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("example.com.zone:6:10: error: '../common.inc': $INCLUDE file resolves to a file outside the repository (symbolic links followed); --allow-include-outside allows it [ZONE_SYNTAX]\n", refused.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, allowed.ExitCode);
        Assert.Equal("0 errors, 0 warnings, 0 notices\n", allowed.Stdout);
    }
}
