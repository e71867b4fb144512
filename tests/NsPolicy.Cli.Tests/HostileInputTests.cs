using System.Text;

namespace NsPolicy.Cli.Tests;

/// <summary>
/// Hostile or broken policy files end in a clear finding and exit 1: no crash, no hang
/// (the runner's hang guard fails a run that does not finish), no stack trace.
/// </summary>
public sealed class HostileInputTests
{
    public static TheoryData<string> Cases() =>
    [
        "100-mb-file",
        "billion-laughs",
        "deep-nesting",
        "binary-garbage",
        "duplicate-keys",
        "wrong-version",
        "tabs",
        "empty",
        "huge-scalar",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Hostile_policy_gets_a_clear_finding_and_exit_1(string name)
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "policy.yaml");
        var (expectedCode, expectedText) = Write(name, path);

        var result = await CliRunner.RunAsync(dir.Path, "validate", "--policy", "policy.yaml");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("policy.yaml:", lines[0], StringComparison.Ordinal);
        Assert.EndsWith($"[{expectedCode}]", lines[0], StringComparison.Ordinal);
        Assert.Contains(expectedText, lines[0], StringComparison.Ordinal);
    }

    private static (string Code, string Text) Write(string name, string path)
    {
        switch (name)
        {
            case "100-mb-file":
                using (var stream = new FileStream(path, FileMode.CreateNew))
                {
                    var line = Encoding.UTF8.GetBytes("# " + new string('x', 1021) + "\n");
                    for (var i = 0; i < 100 * 1024; i++)
                    {
                        stream.Write(line);
                    }
                }

                return ("POLICY_YAML_LIMIT", "the policy file is 104857600 bytes; the limit is 4194304 bytes");
            case "billion-laughs":
                var b = new StringBuilder("version: 1\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
                var previous = "a";
                foreach (var c in "bcdefghijklmnopq")
                {
                    b.Append(c).Append(": &").Append(c).Append(" [").Append(string.Join(",", Enumerable.Repeat("*" + previous, 9))).Append("]\n");
                    previous = c.ToString();
                }

                File.WriteAllText(path, b + "zones: *q\n");
                return ("POLICY_YAML_LIMIT", "aliases expand the policy by more than 100000 nodes");
            case "deep-nesting":
                File.WriteAllText(path, "version: 1\nzones: " + new string('[', 100_000) + new string(']', 100_000) + "\n");
                return ("POLICY_YAML_LIMIT", "the policy nests deeper than 64 levels");
            case "binary-garbage":
                var random = new Random(20261121);
                var bytes = new byte[1 << 20];
                random.NextBytes(bytes);
                File.WriteAllBytes(path, bytes);
                return ("POLICY_YAML_SYNTAX", "the policy file is not UTF-8 text");
            case "duplicate-keys":
                File.WriteAllText(path, "version: 1\nversion: 1\nzones: []\n");
                return ("POLICY_YAML_DUPLICATE_KEY", "policy.yaml:2:1: error: duplicate key 'version' (first defined at line 1)");
            case "wrong-version":
                File.WriteAllText(path, "version: 3\nzones: []\n");
                return ("POLICY_VERSION_UNSUPPORTED", "policy.yaml:1:10: error: policy version 3 is not supported");
            case "tabs":
                File.WriteAllText(path, "version: 1\nzones:\n\t- zone: example.com\n");
                return ("POLICY_YAML_SYNTAX", "policy.yaml:3:1: error: a tab is used for indentation");
            case "empty":
                File.WriteAllText(path, string.Empty);
                return ("POLICY_EMPTY", "policy.yaml:1:1: error: the policy file is empty");
            case "huge-scalar":
                File.WriteAllText(path, "version: 1\nzones:\n  - zone: " + new string('a', 3_000_000) + ".example\n    nameservers: [ns1.example.net, ns2.example.org]\n");
                return ("POLICY_NAME_INVALID", "policy.yaml:3:11: error: '" + new string('a', Dns.Excerpt.MaxChars) + "…' is not a valid domain name");
            default:
                throw new ArgumentOutOfRangeException(nameof(name));
        }
    }
}
