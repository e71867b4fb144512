using System.Diagnostics;
using System.Text;

namespace NsPolicy.Cli.Tests.Hostile;

/// <summary>
/// Input that once crashed nspolicy (exit 3, "a bug in nspolicy") ends in a finding at its
/// position or a usage error, through the real CLI.
/// </summary>
public sealed class CrashListTests
{
    private const string Zone = "version: 1\nzones:\n  - zone: example.com\n";

    [Theory]
    [InlineData("    nameservers: [ns1.example.net, ns2.example.org\n    min-nameservers: 2\n", "policy.yaml:4:18: error: this '[' is never closed")]
    [InlineData("    nameservers: [ns1.example.net, ns2.example.org\n", "policy.yaml:4:18: error: this '[' is never closed")]
    [InlineData("    nameservers: [ns1.example.net, ns2.example.org]\n    glue: {ns1.example.com: [192.0.2.1]\n    ds: []\n", "policy.yaml:5:11: error: this '{' is never closed")]
    public async Task An_unclosed_flow_collection_is_a_syntax_error_where_it_opens(string rest, string expected)
    {
        var result = await ValidateAsync(Zone + rest);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        Assert.StartsWith(expected, result.Stdout, StringComparison.Ordinal);
        Assert.Contains("[POLICY_YAML_SYNTAX]", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2.0")]
    [InlineData("1e0")]
    [InlineData("2.")]
    [InlineData(".5")]
    [InlineData("99999999999999999999")]
    public async Task A_number_that_is_not_a_core_schema_integer_is_a_schema_error_at_its_position(string value)
    {
        var result = await ValidateAsync(Zone + $"    nameservers: [ns1.example.net, ns2.example.org]\n    min-nameservers: {value}\n");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        Assert.StartsWith("policy.yaml:5:22: error: zones[0].min-nameservers: expected a whole number [POLICY_SCHEMA]\n", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0x2", 0, "0 errors")]
    [InlineData("0o2", 0, "0 errors")]
    [InlineData("+2", 0, "0 errors")]
    [InlineData("0o17", 1, "policy.yaml:5:22: error: zones[0].min-nameservers: must be at most 13 [POLICY_SCHEMA]")]
    [InlineData("0x3", 1, "lists 2 distinct nameservers, fewer than its min-nameservers of 3 [POLICY_BELOW_MIN_NAMESERVERS]")]
    public async Task Octal_and_hex_integers_are_integers(string value, int exitCode, string expected)
    {
        var result = await ValidateAsync(Zone + $"    nameservers: [ns1.example.net, ns2.example.org]\n    min-nameservers: {value}\n");

        Assert.Equal(string.Empty, result.Stderr);
        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains(expected, result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("key-tag: 0x10, algorithm: 0o15, digest-type: 2")]
    [InlineData("key-tag: 16, algorithm: 13, digest-type: 0x2")]
    public async Task Ds_fields_take_hex_and_octal(string fields)
    {
        var result = await ValidateAsync(Zone + "    nameservers: [ns1.example.net, ns2.example.org]\n    ds:\n      - { " + fields
            + ", digest: 1F987CC6583E92DF0890718C42C5F2F5E7C1B7FB5D1DAEE1A4CF7D87A20F2B62 }\n");

        Assert.Equal(string.Empty, result.Stderr);
        Assert.Equal(0, result.ExitCode);
    }

    [Theory]
    [InlineData("999999s")]
    [InlineData("301s")]
    [InlineData("300001ms")]
    [InlineData("0s")]
    public async Task A_settings_timeout_above_300s_is_a_schema_error(string value)
    {
        var result = await ValidateAsync($"version: 1\nsettings:\n  timeout: {value}\nzones:\n  - zone: example.com\n    nameservers: [ns1.example.net, ns2.example.org]\n");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        Assert.StartsWith("policy.yaml:3:12: error: settings.timeout: expected a duration of at most 300s such as 500ms or 2s [POLICY_SCHEMA]\n", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("300s")]
    [InlineData("300000ms")]
    [InlineData("1ms")]
    public async Task A_settings_timeout_up_to_300s_is_valid(string value)
    {
        var result = await ValidateAsync($"version: 1\nsettings:\n  timeout: {value}\nzones:\n  - zone: example.com\n    nameservers: [ns1.example.net, ns2.example.org]\n");

        Assert.Equal(string.Empty, result.Stderr);
        Assert.Equal(0, result.ExitCode);
    }

    [Theory]
    [InlineData("check", "--offline")]
    [InlineData("query", "example.com")]
    [InlineData("init", "example.com")]
    public async Task A_timeout_flag_above_300s_is_a_usage_error(string command, string other)
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "nspolicy.yaml"), Zone + "    nameservers: [ns1.example.net, ns2.example.org]\n");

        var result = await CliRunner.RunAsync(dir.Path, command, other, "--timeout", "80000s");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--timeout 80000s: expected a duration of at most 300s", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("validate --policy policy.yaml")]
    [InlineData("schema")]
    [InlineData("rules")]
    [InlineData("validate --policy policy.yaml --format json")]
    public async Task Standard_output_that_cannot_be_written_is_exit_2_with_a_message(string args)
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "policy.yaml"), Zone + "    nameservers: [ns1.example.net, ns2.example.org]\n");

        var (exitCode, stderr) = await RunToDevFullAsync(dir.Path, args);

        Assert.Equal(2, exitCode);
        Assert.Equal("nspolicy: cannot write to standard output: No space left on device\n", stderr);
    }

    [Fact]
    public async Task Ip_addresses_the_root_and_empty_labels_are_not_nameserver_names()
    {
        var result = await ValidateAsync(Zone + "    nameservers: [192.0.2.1, \"2001:db8::1\", ns1.example.net]\n");
        var dot = await ValidateAsync(Zone + "    nameservers: [., ns1..example.net, ns1.example.net]\n");
        var sets = await ValidateAsync("version: 1\nnameserver-sets:\n  bad: [192.0.2.1, 198.51.100.1]\nzones:\n  - zone: example.com\n    nameservers: [$bad, ns1.example.net, ns2.example.net]\n");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("policy.yaml:4:19: error: '192.0.2.1' is an IP address, not a nameserver host name; write the server's name here and its address under glue [POLICY_NAME_INVALID]", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("policy.yaml:4:30: error: '2001:db8::1' is an IP address, not a nameserver host name;", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, dot.ExitCode);
        Assert.Contains("policy.yaml:4:19: error: zones[0].nameservers[0]: expected a nameserver host name or a $set reference [POLICY_NAME_INVALID]", dot.Stdout, StringComparison.Ordinal);
        Assert.Contains("policy.yaml:4:22: error: zones[0].nameservers[1]: expected a nameserver host name or a $set reference [POLICY_NAME_INVALID]", dot.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, sets.ExitCode);
        Assert.Contains("policy.yaml:3:9: error: '192.0.2.1' is an IP address", sets.Stdout, StringComparison.Ordinal);
        Assert.Contains("policy.yaml:3:20: error: '198.51.100.1' is an IP address", sets.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inventory_lists_no_provider_for_ip_addresses_written_as_nameservers()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "nspolicy.yaml"), Zone + "    nameservers: [192.0.2.1, 192.0.2.2]\n");

        var result = await CliRunner.RunAsync(dir.Path, "inventory");

        Assert.DoesNotContain("0.2.1.", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("example.com.: 0 hosts, 0 providers", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("nspolicy.yaml has 3 error(s)", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task A_txt_record_over_65535_octets_is_a_syntax_error()
    {
        using var dir = new TempDirectory();
        var zone = new StringBuilder("$TTL 3600\n@ SOA ns1 host 1 7200 3600 1209600 300\n@ NS ns1\n@ NS ns2.example.net.\nns1 A 192.0.2.1\nbig TXT");
        for (var i = 0; i < 10_000; i++)
        {
            zone.Append(" \"abcdefghij\"");
        }

        await File.WriteAllTextAsync(Path.Combine(dir.Path, "z.zone"), zone.Append('\n').ToString());

        var result = await CliRunner.RunAsync(dir.Path, "check-zone", "z.zone", "--origin", "example.com");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        Assert.StartsWith("z.zone:6:9: error: '\"abcdefghij\"': TXT RDATA is 110000 octets; the limit is 65535 (RFC 1035 §3.2.1) [ZONE_SYNTAX]\n", result.Stdout, StringComparison.Ordinal);
    }

    private static async Task<CliResult> ValidateAsync(string policy)
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "policy.yaml"), policy);
        return await CliRunner.RunAsync(dir.Path, "validate", "--policy", "policy.yaml");
    }

    /// <summary>Runs nspolicy with its standard output on /dev/full, where every write fails.</summary>
    private static async Task<(int ExitCode, string Stderr)> RunToDevFullAsync(string directory, string args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "nspolicy.dll");
        var start = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = directory,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"exec dotnet \"{dll}\" {args} > /dev/full");
        start.Environment["NO_COLOR"] = "1";
        start.Environment["NSPOLICY_LOOPBACK_ONLY"] = "1";
        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(guard.Token);
        return (process.ExitCode, stderr);
    }
}
