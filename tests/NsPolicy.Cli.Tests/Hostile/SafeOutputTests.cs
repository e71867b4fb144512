using System.Text;

namespace NsPolicy.Cli.Tests.Hostile;

/// <summary>
/// --output writes only over a regular file or where nothing is; anything else at the path is
/// exit 2 and left as it was. And no secret from the environment or --github-token reaches any
/// output, in any form.
/// </summary>
public sealed class SafeOutputTests
{
    private const string Policy = "version: 1\nzones:\n  - zone: example.com\n    nameservers: [ns1.example.net, ns2.example.org]\n";

    [Theory]
    [InlineData("json")]
    [InlineData("sarif")]
    [InlineData("text")]
    public async Task Dev_null_as_output_is_exit_2_and_stays_a_device(string format)
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "nspolicy.yaml"), Policy);

        var result = await CliRunner.RunAsync(dir.Path, "validate", "--format", format, "--output", "/dev/null");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--output /dev/null: is a character device; nspolicy writes reports only to a regular file or a new path, and leaves this as it is", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.GetAttributes("/dev/null").HasFlag(FileAttributes.ReparsePoint));
        Assert.Equal(0, new FileInfo("/dev/null").Length);
        Assert.Equal(Dns.Files.FileKind.CharacterDevice, Dns.Files.FileEntry.KindOf("/dev/null", followLinks: false, out _));
    }

    [Theory]
    [InlineData("fifo", "is a FIFO")]
    [InlineData("folder", "is a directory")]
    [InlineData("link", "is a symbolic link")]
    [InlineData("dangling", "is a symbolic link")]
    public async Task Anything_but_a_regular_file_at_the_output_path_is_exit_2_and_untouched(string name, string kind)
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "nspolicy.yaml"), Policy);
        Assert.Equal(0, FileAccessTests.Mkfifo(Path.Combine(dir.Path, "fifo")));
        Directory.CreateDirectory(Path.Combine(dir.Path, "folder"));
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "target.txt"), "keep me");
        File.CreateSymbolicLink(Path.Combine(dir.Path, "link"), "target.txt");
        File.CreateSymbolicLink(Path.Combine(dir.Path, "dangling"), "nowhere.txt");

        var result = await CliRunner.RunAsync(dir.Path, "validate", "--format", "json", "--output", name);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--output {name}: {kind}", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Equal("keep me", await File.ReadAllTextAsync(Path.Combine(dir.Path, "target.txt")));
        Assert.NotNull(new FileInfo(Path.Combine(dir.Path, "link")).LinkTarget);
        Assert.False(File.Exists(Path.Combine(dir.Path, "nowhere.txt")));
        Assert.Equal(Dns.Files.FileKind.Fifo, Dns.Files.FileEntry.KindOf(Path.Combine(dir.Path, "fifo"), followLinks: false, out _));
        Assert.True(Directory.Exists(Path.Combine(dir.Path, "folder")));
        Assert.Empty(Directory.GetFiles(dir.Path, ".*.tmp"));
    }

    [Fact]
    public async Task A_regular_file_at_the_output_path_is_replaced_whole()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "nspolicy.yaml"), Policy);
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "report.json"), new string('x', 100_000));

        var result = await CliRunner.RunAsync(dir.Path, "validate", "--format", "json", "--output", "report.json");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("{", await File.ReadAllTextAsync(Path.Combine(dir.Path, "report.json")), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Path, ".*.tmp"));
    }

    [Theory]
    [InlineData("/dev/null")]
    [InlineData("fifo")]
    public async Task Init_refuses_an_output_that_is_not_a_regular_file_even_with_force(string output)
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, FileAccessTests.Mkfifo(Path.Combine(dir.Path, "fifo")));
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "z.zone"), "$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n@ NS ns2.example.net.\nns1 A 192.0.2.1\n");

        var result = await CliRunner.RunAsync(dir.Path, "init", "--zone-file", "z.zone", "--origin", "example.com", "--output", output, "--force");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nspolicy writes reports only to a regular file or a new path", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(output == "fifo" ? Dns.Files.FileKind.Fifo : Dns.Files.FileKind.CharacterDevice,
            Dns.Files.FileEntry.KindOf(output == "fifo" ? Path.Combine(dir.Path, "fifo") : output, followLinks: false, out _));
    }

    private const string SecretValue = "Hunter2-Secret-Value";

    public static TheoryData<string, string, string> SecretForms() => new()
    {
        { "exact", SecretValue, "GITHUB_TOKEN" },
        { "lower", SecretValue.ToLowerInvariant(), "DB_PASSWORD" },
        { "upper", SecretValue.ToUpperInvariant(), "API_KEY" },
        { "base64", Convert.ToBase64String(Encoding.UTF8.GetBytes(SecretValue)).TrimEnd('='), "CLIENT_SECRET" },
        { "exact", SecretValue, "NPM_TOKEN" },
        { "exact", SecretValue, "deploy_key" },
    };

    [Theory]
    [MemberData(nameof(SecretForms))]
    public async Task Secrets_from_the_environment_are_masked_in_every_format(string form, string shown, string variable)
    {
        using var dir = new TempDirectory();
        // The policy quotes the value where it ends up in finding messages.
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "nspolicy.yaml"),
            $"version: 1\nzones:\n  - zone: example.com\n    nameservers: [ns1.example.net, ns2.example.org]\n    glue:\n      \"{shown}.example.com\": [192.0.2.1]\n  - zone: \"{shown}.example\"\n    nameservers: [ns1.example.net]\n");
        var environment = new Dictionary<string, string> { [variable] = SecretValue };

        var result = await CliRunner.RunAsync(dir.Path, environment, "validate", "--format", "text",
            "--format", "json", "--output", "out.json", "--format", "sarif", "--output", "out.sarif",
            "--format", "github", "--output", "out.github", "--format", "markdown", "--output", "out.md");

        Assert.Equal(1, result.ExitCode);
        var everything = result.Stdout + result.Stderr;
        foreach (var file in new[] { "out.json", "out.sarif", "out.github", "out.md" })
        {
            everything += await File.ReadAllTextAsync(Path.Combine(dir.Path, file));
        }

        Assert.DoesNotContain(shown, everything, StringComparison.Ordinal);
        if (form != "base64")
        {
            // Names are lower-cased by the policy, so the lower-case form is what each format shows.
            Assert.Contains("***", result.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_github_token_flag_is_masked_too()
    {
        using var dir = new TempDirectory();
        const string token = "ghp_FlagTokenValue123456";
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "nspolicy.yaml"),
            $"version: 1\nzones:\n  - zone: {token}.example\n    nameservers: [ns1.example.net]\n");

        var result = await CliRunner.RunAsync(dir.Path, "check", "--offline", "--github-token", token, "--format", "markdown");

        Assert.DoesNotContain(token, result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(token.ToLowerInvariant(), result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.Contains("***", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Short_values_are_not_treated_as_secrets()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "nspolicy.yaml"), Policy);

        var result = await CliRunner.RunAsync(dir.Path, new Dictionary<string, string> { ["SOME_KEY"] = "error" }, "validate");

        Assert.Equal("0 errors, 0 warnings, 0 notices\n", result.Stdout);
    }
}
