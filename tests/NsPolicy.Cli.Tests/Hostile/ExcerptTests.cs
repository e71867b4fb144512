namespace NsPolicy.Cli.Tests.Hostile;

/// <summary>
/// Findings quote what they read only as a short, escaped excerpt, in every format: a token that
/// carries a secret, terminal escape sequences or a megabyte of text reaches no output raw.
/// </summary>
public sealed class ExcerptTests
{
    // As long as a fine-grained GitHub token: an excerpt shows only its start, which must be masked too.
    private const string Secret = "github_pat_11AAAAAAA0bcdefghijklmnop_QRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP";

    private static readonly Dictionary<string, string> SecretEnvironment = new() { ["GITHUB_TOKEN"] = Secret };

    private const string Zone = "$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n@ NS ns2.example.net.\nns1 A 192.0.2.1\n";

    public static TheoryData<string> Formats() => ["text", "json", "sarif", "github", "markdown"];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task A_hostile_token_is_quoted_short_escaped_and_masked(string format)
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "z.zone"),
            Zone + "a TYPE65534 \\# 4 " + Secret + "\n"
            + "b A 192.0.2.\u001b[31mpwned\u0007\u001b[2J\n"
            + "c A " + new string('9', 1_000_000) + "\n");

        var result = await CliRunner.RunAsync(dir.Path, SecretEnvironment, "check-zone", "z.zone", "--origin", "example.com", "--format", format);

        Assert.Equal(1, result.ExitCode);
        var output = result.Stdout + result.Stderr;
        Assert.DoesNotContain(Secret[..12], output, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', output);
        Assert.DoesNotContain('\u0007', output);
        Assert.DoesNotContain(new string('9', 41), output, StringComparison.Ordinal);
        Assert.True(output.Length < 20_000, $"{output.Length} characters of output");
        Assert.Contains(format == "markdown" ? "\\\\027" : format is "json" or "sarif" ? "\\\\027[31mpwned\\\\007" : "\\027[31mpwned\\007", output, StringComparison.Ordinal);
    }

    private const int SecretMaskerMinLength = 6;
}
