using System.Diagnostics;
using System.Text;

namespace NsPolicy.Cli.Tests.Hostile;

/// <summary>
/// The file-access policy through the CLI: what a pull request can put in the repository (symbolic
/// links, paths that climb out, devices, FIFOs, huge or broken files) never makes nspolicy read,
/// print or hang on a file it was not meant to read.
/// </summary>
public sealed class FileAccessTests
{
    private const string Secret = "s3cr3t-Token-Value-42";

    private static readonly Dictionary<string, string> SecretEnvironment = new()
    {
        ["GITHUB_TOKEN"] = Secret,
        ["DEPLOY_PASSWORD"] = "hunter2-but-longer",
    };

    private const string Zone = "$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n@ NS ns2.example.net.\nns1 A 192.0.2.1\n";

    public static TheoryData<string> Formats() => ["text", "json", "sarif", "github", "markdown"];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task An_include_of_a_symlink_to_proc_environ_is_refused_and_prints_no_secret(string format)
    {
        using var dir = new TempDirectory();
        File.CreateSymbolicLink(Path.Combine(dir.Path, "env"), "/proc/self/environ");
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "z.zone"), Zone + "$INCLUDE env\n");

        var confined = await CliRunner.RunAsync(dir.Path, SecretEnvironment, "check-zone", "z.zone", "--origin", "example.com", "--format", format);
        var allowed = await CliRunner.RunAsync(dir.Path, SecretEnvironment, "check-zone", "z.zone", "--origin", "example.com", "--format", format, "--allow-include-outside");

        Assert.Equal(1, confined.ExitCode);
        Assert.Equal(1, allowed.ExitCode);
        Assert.Contains("resolves to a file outside the repository", confined.Stdout, StringComparison.Ordinal);
        Assert.Contains("is in /proc, which holds no regular files", allowed.Stdout, StringComparison.Ordinal);
        foreach (var output in new[] { confined.Stdout, confined.Stderr, allowed.Stdout, allowed.Stderr })
        {
            Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);
            Assert.DoesNotContain("GITHUB_TOKEN=", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_include_error_names_the_include_line_and_column()
    {
        using var dir = new TempDirectory();
        File.CreateSymbolicLink(Path.Combine(dir.Path, "env"), "/proc/self/environ");
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "z.zone"), Zone + "$INCLUDE env\n");

        var result = await CliRunner.RunAsync(dir.Path, SecretEnvironment, "check-zone", "z.zone", "--origin", "example.com");

        Assert.StartsWith("z.zone:6:10: error: 'env': $INCLUDE file resolves to a file outside the repository (symbolic links followed); --allow-include-outside allows it [ZONE_SYNTAX]\n", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task A_zone_file_path_that_climbs_to_proc_is_a_finding_at_the_policy_line(string format)
    {
        using var dir = new TempDirectory();
        await WritePolicyAsync(dir, "../../../../../../../../proc/self/environ");

        var result = await CliRunner.RunAsync(dir.Path, SecretEnvironment, "check", "--offline", "--format", format);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("POLICY_FILE_REFUSED", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dev/zero", false, "resolves to a file outside the repository")]
    [InlineData("/dev/zero", true, "is in /dev, which holds no regular files")]
    [InlineData("zones", false, "is a directory, not a regular file")]
    [InlineData("fifo.zone", false, "is a FIFO, not a regular file")]
    [InlineData("link-out.zone", false, "resolves to a file outside the repository")]
    public async Task A_zone_file_that_is_not_a_regular_file_in_the_repository_is_refused_at_its_line(string zoneFile, bool allowOutside, string reason)
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "zones"));
        Assert.Equal(0, Mkfifo(Path.Combine(dir.Path, "fifo.zone")));
        File.CreateSymbolicLink(Path.Combine(dir.Path, "link-out.zone"), "/etc/hostname");
        await WritePolicyAsync(dir, zoneFile);

        string[] args = allowOutside ? ["check", "--offline", "--allow-include-outside"] : ["check", "--offline"];
        var result = await CliRunner.RunAsync(dir.Path, args);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        Assert.Contains($"nspolicy.yaml:5:16: error: zone file '{zoneFile}' of zone example.com. {reason}", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("[POLICY_FILE_REFUSED]", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_symlink_inside_the_repository_to_a_file_inside_it_is_read()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "zones"));
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "zones", "real.zone"), Zone);
        File.CreateSymbolicLink(Path.Combine(dir.Path, "example.com.zone"), "zones/real.zone");
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "nspolicy.yaml"),
            "version: 1\nzones:\n  - zone: example.com\n    nameservers: [ns1.example.com, ns2.example.net]\n    zone-file: example.com.zone\n    glue: { ns1.example.com: [192.0.2.1] }\n");

        var result = await CliRunner.RunAsync(dir.Path, "check", "--offline");

        Assert.Equal(string.Empty, result.Stderr);
        Assert.DoesNotContain("POLICY_FILE_REFUSED", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task The_repository_root_is_the_git_work_tree_that_holds_the_policy()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, ".git"));
        Directory.CreateDirectory(Path.Combine(dir.Path, "policy"));
        Directory.CreateDirectory(Path.Combine(dir.Path, "zones"));
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "zones", "example.com.zone"), Zone);
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "policy", "nspolicy.yaml"),
            "version: 1\nzones:\n  - zone: example.com\n    nameservers: [ns1.example.com, ns2.example.net]\n    zone-file: ../zones/example.com.zone\n    glue: { ns1.example.com: [192.0.2.1] }\n");

        var inside = await CliRunner.RunAsync(dir.Path, "check", "--offline", "--policy", "policy/nspolicy.yaml");
        Directory.Delete(Path.Combine(dir.Path, ".git"));
        var outside = await CliRunner.RunAsync(dir.Path, "check", "--offline", "--policy", "policy/nspolicy.yaml");

        Assert.Equal(0, inside.ExitCode);
        Assert.Equal(1, outside.ExitCode);
        Assert.Contains("policy/nspolicy.yaml:5:16: error: zone file '../zones/example.com.zone' of zone example.com. resolves to a file outside the repository", outside.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_policy_that_is_a_symlink_out_of_its_folder_or_a_fifo_is_exit_2_without_reading_it()
    {
        using var dir = new TempDirectory();
        File.CreateSymbolicLink(Path.Combine(dir.Path, "nspolicy.yaml"), "/proc/self/environ");
        Assert.Equal(0, Mkfifo(Path.Combine(dir.Path, "fifo.yaml")));

        var environ = await CliRunner.RunAsync(dir.Path, SecretEnvironment, "validate");
        var fifo = await CliRunner.RunAsync(dir.Path, "validate", "--policy", "fifo.yaml");

        Assert.Equal(2, environ.ExitCode);
        Assert.Contains("nspolicy.yaml: cannot read the policy file: it resolves to a file outside the repository", environ.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, environ.Stdout + environ.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, fifo.ExitCode);
        Assert.Contains("fifo.yaml: cannot read the policy file: it is a FIFO, not a regular file", fifo.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_hints_the_policy_names_outside_the_repository_are_refused()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "nspolicy.yaml"),
            "version: 1\nsettings:\n  root-hints: ../../../../../../etc/passwd\nzones:\n  - zone: example.com\n    nameservers: [ns1.example.net, ns2.example.org]\n");

        var result = await CliRunner.RunAsync(dir.Path, "validate");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nspolicy.yaml:3:15: error: root hints file '../../../../../../etc/passwd' resolves to a file outside the repository", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("[POLICY_FILE_REFUSED]", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dev/zero", "is in /dev, which holds no regular files")]
    [InlineData("fifo.json", "is a FIFO, not a regular file")]
    public async Task Evidence_that_is_not_a_regular_file_is_exit_2(string evidence, string reason)
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, Mkfifo(Path.Combine(dir.Path, "fifo.json")));
        await WritePolicyAsync(dir, null);

        var result = await CliRunner.RunAsync(dir.Path, "check", "--evidence", evidence);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(reason, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_zone_file_over_2_gib_is_refused_without_being_read()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "huge.zone");
        using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            stream.SetLength((2L << 30) + 1);
        }

        var result = await CliRunner.RunAsync(dir.Path, "check-zone", "huge.zone", "--origin", "example.com");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("huge.zone: cannot read the zone file: it is 2147483649 bytes; the limit is 2147483648 bytes (2 GiB)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_zone_that_includes_itself_is_read_once()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "z.zone"), Zone + "$INCLUDE z.zone\n$INCLUDE ./sub/../z.zone\n");
        Directory.CreateDirectory(Path.Combine(dir.Path, "sub"));
        File.CreateSymbolicLink(Path.Combine(dir.Path, "alias.zone"), "z.zone");
        await File.AppendAllTextAsync(Path.Combine(dir.Path, "z.zone"), "$INCLUDE alias.zone\n");

        var result = await CliRunner.RunAsync(dir.Path, "check-zone", "z.zone", "--origin", "example.com");

        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain("ZONE_SOA_MULTIPLE", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("z.zone:6:10: error: 'z.zone': $INCLUDE loop: the file is already being read [ZONE_SYNTAX]", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("z.zone:7:10: error: './sub/../z.zone': $INCLUDE loop", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("z.zone:8:10: error: 'alias.zone': $INCLUDE loop", result.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("3 errors, 0 warnings, 0 notices\n", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF }, 6, 3, "1 error")]
    [InlineData(new byte[] { 0xC3, 0x28 }, 6, 3, "2 errors")] // \195, and the '(' after it is never closed
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, 6, 3, "3 errors")] // \237, then \160 and \128: a surrogate is three bad bytes
    [InlineData(new byte[] { 0xC0, 0xAF }, 6, 3, "2 errors")]
    public async Task Invalid_utf8_in_an_owner_name_is_an_error_at_its_line_and_column(byte[] bad, int line, int column, string errors)
    {
        using var dir = new TempDirectory();
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(Zone + "bü"));
        bytes.AddRange(bad);
        bytes.AddRange(Encoding.UTF8.GetBytes("cher A 192.0.2.9\n"));
        await File.WriteAllBytesAsync(Path.Combine(dir.Path, "z.zone"), [.. bytes]);

        var result = await CliRunner.RunAsync(dir.Path, "check-zone", "z.zone", "--origin", "example.com");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"z.zone:{line}:{column}: error: '\\{bad[0]:D3}': byte is not UTF-8; a zone file must be UTF-8 (or ASCII) [ZONE_SYNTAX]", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("xn--", result.Stdout, StringComparison.Ordinal);
        Assert.EndsWith(errors + ", 0 warnings, 0 notices\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_100_mb_single_token_line_is_one_error_not_a_memory_blow_up()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "z.zone");
        using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            stream.Write(Encoding.UTF8.GetBytes(Zone + "big TXT "));
            var block = Encoding.ASCII.GetBytes(new string('a', 1 << 20));
            for (var i = 0; i < 100; i++)
            {
                stream.Write(block);
            }

            stream.Write(Encoding.UTF8.GetBytes("\nafter A 192.0.2.7\n"));
        }

        var result = await CliRunner.RunAsync(dir.Path, "check-zone", "z.zone", "--origin", "example.com");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        Assert.StartsWith("z.zone:6:1: error: entry is longer than 1 MiB or 65536 tokens; no record is that long [ZONE_SYNTAX]\n", result.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("1 error, 0 warnings, 0 notices\n", result.Stdout, StringComparison.Ordinal);
    }

    private static Task WritePolicyAsync(TempDirectory dir, string? zoneFile) =>
        File.WriteAllTextAsync(Path.Combine(dir.Path, "nspolicy.yaml"),
            "version: 1\nzones:\n  - zone: example.com\n    nameservers: [ns1.example.net, ns2.example.org]\n"
            + (zoneFile is null ? string.Empty : $"    zone-file: {zoneFile}\n"));

    internal static int Mkfifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        process.WaitForExit();
        return process.ExitCode;
    }
}
