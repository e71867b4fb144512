namespace NsPolicy.Cli.Tests;

/// <summary>`nspolicy init` without the network: from zone files, and its usage and output rules.</summary>
public sealed class InitCommandTests
{
    private const string Init = "tests/NsPolicy.Core.Tests/testdata/init";

    [Fact]
    public async Task A_policy_initialised_from_a_zone_file_validates_and_checks_clean_offline()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "zones"));
        File.Copy(Repository.PathOf("examples", "zones", "example.com.zone"), Path.Combine(dir.Path, "zones", "example.com.zone"));

        var init = await CliRunner.RunAsync(dir.Path, "init", "--zone-file", "zones/example.com.zone", "--origin", "example.com", "--output", "nspolicy.yaml");
        var validate = await CliRunner.RunAsync(dir.Path, "validate");
        var check = await CliRunner.RunAsync(dir.Path, "check", "--offline");

        Assert.Equal(string.Empty, init.Stderr);
        Assert.Equal(string.Empty, init.Stdout);
        Assert.Equal(0, init.ExitCode);
        var policy = File.ReadAllText(Path.Combine(dir.Path, "nspolicy.yaml"));
        Assert.StartsWith("# yaml-language-server: $schema=https://nspolicy.dev/schemas/nspolicy.schema.json\n", policy, StringComparison.Ordinal);
        Assert.Contains("    nameservers: [ns1.example.com, ns2.example.com, ns1.provider-a.net, ns2.provider-a.net]\n", policy, StringComparison.Ordinal);
        Assert.Contains("      ns1.example.com: [192.0.2.1, \"2001:db8::1\"]\n", policy, StringComparison.Ordinal);
        Assert.Contains("      - { key-tag: 27020, algorithm: 13, digest-type: 2, digest: 03B2105E9E1402EB15B82D99E4E29D2D4541E99B310039EF8D68620DC5A83B18 }\n", policy, StringComparison.Ordinal);
        Assert.Contains("    zone-file: zones/example.com.zone\n", policy, StringComparison.Ordinal);
        Assert.Equal((0, "0 errors, 0 warnings, 0 notices\n"), (validate.ExitCode, validate.Stdout));
        Assert.Equal((0, "0 errors, 0 warnings, 0 notices\n"), (check.ExitCode, check.Stdout));
        Assert.Equal(["nspolicy.yaml", "zones"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("--root-hints", "../outside/root.hints", "example.com")]
    [InlineData("--zone-file", "../outside/example.com.zone", "--origin")]
    public async Task A_file_outside_the_repository_is_refused_as_validate_would_refuse_the_policy(string option, string path, string more)
    {
        using var dir = new TempDirectory();
        var repository = Path.Combine(dir.Path, "repo");
        Directory.CreateDirectory(repository);
        Directory.CreateDirectory(Path.Combine(dir.Path, "outside"));
        File.WriteAllText(Path.Combine(dir.Path, "outside", "root.hints"), ".  3600000 NS a.root-servers.test.\na.root-servers.test. 3600000 A 127.0.0.1\n");
        File.Copy(Repository.PathOf("examples", "zones", "example.com.zone"), Path.Combine(dir.Path, "outside", "example.com.zone"));
        string[] args = more == "--origin" ? ["init", option, path, "--origin", "example.com", "-o", "nspolicy.yaml"] : ["init", more, option, path, "--timeout", "100ms", "-o", "nspolicy.yaml"];

        var refused = await CliRunner.RunAsync(repository, args);

        Assert.Equal(2, refused.ExitCode);
        Assert.Equal($"nspolicy: {option} {path}: the policy would name a file that validate and check refuse: it resolves to a file outside the repository (symbolic links followed); --allow-include-outside allows it (give it to validate and check as well)\n", refused.Stderr);
        Assert.False(File.Exists(Path.Combine(repository, "nspolicy.yaml")));
        if (option == "--zone-file")
        {
            var allowed = await CliRunner.RunAsync(repository, [.. args, "--allow-include-outside"]);
            var confined = await CliRunner.RunAsync(repository, "validate");
            var validated = await CliRunner.RunAsync(repository, "validate", "--allow-include-outside");

            Assert.Equal(0, allowed.ExitCode);
            Assert.Equal(1, confined.ExitCode);
            Assert.Contains("[POLICY_FILE_REFUSED]", confined.Stdout, StringComparison.Ordinal);
            Assert.Equal((0, "0 errors, 0 warnings, 0 notices\n"), (validated.ExitCode, validated.Stdout));
        }
    }

    [Fact]
    public async Task Without_output_the_policy_goes_to_stdout_and_names_the_zone_file_from_the_current_directory()
    {
        var result = await CliRunner.RunInRepositoryAsync("init", "--zone-file", $"{Init}/zone-signed.zone", "--origin", "example.com.");

        Assert.Equal(string.Empty, result.Stderr);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"    zone-file: {Init}/zone-signed.zone\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("key-tag: 12563, algorithm: 13, digest-type: 2", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("key-tag: 39953", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_zone_files_without_origin_give_one_policy_with_the_zone_each_file_states()
    {
        var result = await CliRunner.RunInRepositoryAsync("init", "--zone-file", $"{Init}/zone-signed.zone", "--zone-file", "examples/zones/example.net.zone");

        Assert.Equal((string.Empty, 0), (result.Stderr, result.ExitCode));
        Assert.Contains("  - zone: example.com\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("  - zone: example.net\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"    zone-file: {Init}/zone-signed.zone\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("    zone-file: examples/zones/example.net.zone\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_zone_file_that_states_no_origin_needs_origin()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "z.zone"), "$TTL 60\n@ SOA ns1 h 1 7200 3600 1209600 3600\n@ NS ns1.example.net.\n");

        var without = await CliRunner.RunAsync(dir.Path, "init", "--zone-file", "z.zone");
        var two = await CliRunner.RunAsync(dir.Path, "init", "--zone-file", "z.zone", "--zone-file", "z.zone", "--origin", "example.com");

        Assert.Equal(2, without.ExitCode);
        Assert.Equal("nspolicy: z.zone: the file states no origin (no $ORIGIN, and no SOA owner written as an absolute name before the first records); give --origin NAME\n", without.Stderr);
        Assert.Equal(2, two.ExitCode);
        Assert.StartsWith("nspolicy: --origin goes with one --zone-file", two.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_needs_a_decision_is_said_on_stderr_and_in_the_policy_and_exits_1()
    {
        using var dir = new TempDirectory();

        var result = await CliRunner.RunAsync(dir.Path, "init", "--allow-include-outside", "--zone-file", Repository.PathOf(Init, "zone-needs-review.zone"), "--origin", "example.com", "-o", "p.yaml");

        Assert.Equal(1, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.StartsWith("nspolicy: example.com.: ", l, StringComparison.Ordinal));
        Assert.Contains("only one nameserver is listed at the apex", result.Stderr, StringComparison.Ordinal);
        var policy = File.ReadAllText(Path.Combine(dir.Path, "p.yaml"));
        Assert.Equal(3, policy.Split('\n').Count(l => l.StartsWith("  # CHECK: ", StringComparison.Ordinal)));
        Assert.Contains("    min-nameservers: 1   # fewer than two nameservers exist\n", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_zone_file_without_apex_nameservers_writes_nothing_and_exits_1()
    {
        using var dir = new TempDirectory();

        var result = await CliRunner.RunAsync(dir.Path, "init", "--allow-include-outside", "--zone-file", Repository.PathOf(Init, "zone-no-apex-ns.zone"), "--origin", "example.com", "-o", "p.yaml");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("has no NS records at the apex example.com.", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("nspolicy: no zone could be captured; nothing was written", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task A_zone_file_with_syntax_errors_exits_2_naming_each_at_its_line_and_column()
    {
        using var dir = new TempDirectory();

        var result = await CliRunner.RunAsync(Repository.Root, "init", "--allow-include-outside", "--zone-file", "tests/NsPolicy.Core.Tests/testdata/zone/syntax-errors.zone", "--origin", "example.com", "-o", Path.Combine(dir.Path, "p.yaml"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("tests/NsPolicy.Core.Tests/testdata/zone/syntax-errors.zone:8:15: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("error(s) in the zone file; nothing was written", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task An_existing_output_is_kept_unless_force_is_given()
    {
        using var dir = new TempDirectory();
        var target = Path.Combine(dir.Path, "nspolicy.yaml");
        File.WriteAllText(target, "mine\n");
        string[] args = ["init", "--allow-include-outside", "--zone-file", Repository.PathOf(Init, "zone-unsigned.zone"), "--origin", "example.com", "--output", "nspolicy.yaml"];

        var refused = await CliRunner.RunAsync(dir.Path, args);
        var kept = File.ReadAllText(target);
        var forced = await CliRunner.RunAsync(dir.Path, [.. args, "--force"]);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("nspolicy.yaml exists; nspolicy init overwrites it only with --force", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal("mine\n", kept);
        Assert.Equal(0, forced.ExitCode);
        Assert.Contains("  - zone: example.com\n", File.ReadAllText(target), StringComparison.Ordinal);
        Assert.Equal(["nspolicy.yaml"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("init")]
    [InlineData("init", "example.com", "--zone-file", "x.zone", "--origin", "example.com")]
    [InlineData("init", "--zone-file", "x.zone")]
    [InlineData("init", "example.com", "--origin", "example.com")]
    [InlineData("init", "a..b")]
    [InlineData("init", ".")]
    [InlineData("init", "example.com", "--timeout", "2")]
    [InlineData("init", "example.com", "--timeout", "0s")]
    [InlineData("init", "example.com", "--root-hints", "no-such-hints")]
    [InlineData("init", "example.com", "--output", "no-such-folder/p.yaml")]
    [InlineData("init", "--zone-file", "no-such.zone", "--origin", "example.com")]
    [InlineData("init", "--zone-file", "x.zone", "--origin", "example.com", "--root-hints", "hints")]
    public async Task Usage_errors_and_unreadable_input_exit_2_before_any_query(params string[] args)
    {
        using var dir = new TempDirectory();

        var result = await CliRunner.RunAsync(dir.Path, args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("nspolicy: ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task Help_names_the_exit_codes()
    {
        var result = await CliRunner.RunInRepositoryAsync("init", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--zone-file", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Exit codes: 0", result.Stdout, StringComparison.Ordinal);
    }
}
