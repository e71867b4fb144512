using System.Globalization;
using System.Text;

namespace NsPolicy.Cli.Tests.Hostile;

/// <summary>
/// Seeded mutation tests: the example policies and zone files, each cut, doubled, swapped, truncated
/// or salted with YAML and zone-file punctuation, go through <c>validate</c> and <c>check-zone</c>
/// in-process (1,000 cases a file). Whatever the input, the command ends with exit 0, 1 or 2 and never 3 ("a bug in
/// nspolicy"). Deterministic: case N of a file always gets the same mutations, and a failure names
/// the case and shows the input (escaped, cut short).
/// </summary>
public sealed class MutationTests
{
    private const int CasesPerFile = 1000;

    private static readonly string[] PolicyPunctuation =
    [
        "[", "]", "{", "}", ":", ": ", "- ", ",", "&a ", "*a", "<<: *a\n", "!!str ", "!!int ", "|", ">", "'", "\"",
        "#", "? ", "\t", "%YAML 1.1\n", "@", "`", "\n", "\n  ", "~", ".inf", "0x", "0o", "1e9", "2.0",
        "99999999999999999999", "-1", "\u0000", "\uFEFF", "\u00e9", "xn--", "192.0.2.1", "::", "..", "---\n", "...\n",
    ];

    private static readonly string[] ZonePunctuation =
    [
        "(", ")", ";", "\"", "\\", "\\0", "\\999", "@", "$", "$ORIGIN ", "$TTL ", "$INCLUDE ", "$GENERATE 1-3 ",
        "\t", "\n", " ", ".", "..", "*", "IN ", "CH ", "TYPE65535 ", "\\# 2 ", "\\# 70000 ", "4294967296",
        "0x", "192.0.02.1", "::", "\u0000", "\u00e9", "xn--", "NS ", "SOA ", "DS ", "TXT ", "A ", "AAAA ",
    ];

    public static TheoryData<string> Policies() => new("examples/nspolicy.yaml", "examples/broken/nspolicy.yaml", "examples/lab/nspolicy.yaml");

    public static TheoryData<string> Zones() => new("examples/zones/example.com.zone", "examples/zones/example.net.zone");

    [Theory]
    [MemberData(nameof(Policies))]
    public async Task Validate_never_ends_in_an_internal_error_on_a_mutated_policy(string example)
    {
        using var folder = new TempDirectory();
        CopyFolder(Path.GetDirectoryName(Repository.PathOf(example))!, folder.Path);
        var original = File.ReadAllText(Repository.PathOf(example));
        var policy = Path.Combine(folder.Path, "nspolicy.yaml");

        var exits = new int[3];
        for (var n = 0; n < CasesPerFile; n++)
        {
            var mutated = Mutate(original, new Random(n), PolicyPunctuation);
            File.WriteAllText(policy, mutated, new UTF8Encoding(false));
            var (exit, _, stderr, _) = await CliRunner.RunAsync(folder.Path, TimeProvider.System, "validate", "--policy", policy);
            Assert.True(exit is 0 or 1 or 2, Failure(example, n, exit, mutated, stderr));
            exits[exit]++;
        }

        // The mutations reach both sides: inputs that still pass and inputs with findings (a broken
        // YAML or zone file is a finding, exit 1; exit 2 is left for files that cannot be read).
        Assert.True(exits[0] > 0 && exits[1] > 0, string.Join(", ", exits));
    }

    [Theory]
    [MemberData(nameof(Zones))]
    public async Task Check_zone_never_ends_in_an_internal_error_on_a_mutated_zone_file(string example)
    {
        using var folder = new TempDirectory();
        var original = File.ReadAllText(Repository.PathOf(example));
        var zone = Path.Combine(folder.Path, Path.GetFileName(example));
        var origin = Path.GetFileNameWithoutExtension(example) + ".";

        var exits = new int[3];
        for (var n = 0; n < CasesPerFile; n++)
        {
            var mutated = Mutate(original, new Random(n), ZonePunctuation);
            File.WriteAllText(zone, mutated, new UTF8Encoding(false));
            var (exit, _, stderr, _) = await CliRunner.RunAsync(folder.Path, TimeProvider.System, "check-zone", zone, "--origin", origin);
            Assert.True(exit is 0 or 1 or 2, Failure(example, n, exit, mutated, stderr));
            exits[exit]++;
        }

        // The mutations reach both sides: inputs that still pass and inputs with findings (a broken
        // YAML or zone file is a finding, exit 1; exit 2 is left for files that cannot be read).
        Assert.True(exits[0] > 0 && exits[1] > 0, string.Join(", ", exits));
    }

    /// <summary>One to three of: delete a span, duplicate a line, swap two lines, truncate, insert punctuation.</summary>
    private static string Mutate(string text, Random random, string[] punctuation)
    {
        var result = text;
        for (var i = random.Next(1, 4); i > 0 && result.Length > 0; i--)
        {
            var at = random.Next(result.Length);
            switch (random.Next(5))
            {
                case 0:
                    result = result.Remove(at, Math.Min(random.Next(1, 21), result.Length - at));
                    break;
                case 1:
                    {
                        var lines = result.Split('\n').ToList();
                        var line = random.Next(lines.Count);
                        lines.Insert(line, lines[line]);
                        result = string.Join('\n', lines);
                        break;
                    }

                case 2:
                    {
                        var lines = result.Split('\n');
                        var (a, b) = (random.Next(lines.Length), random.Next(lines.Length));
                        (lines[a], lines[b]) = (lines[b], lines[a]);
                        result = string.Join('\n', lines);
                        break;
                    }

                case 3:
                    result = result[..at];
                    break;
                default:
                    result = result.Insert(at, punctuation[random.Next(punctuation.Length)]);
                    break;
            }
        }

        return result;
    }

    private static string Failure(string example, int n, int exit, string mutated, string stderr) =>
        $"{example}, case {n}: exit {exit}\n{Escape(stderr, 2000)}\ninput:\n{Escape(mutated, 4000)}";

    private static string Escape(string text, int max)
    {
        var builder = new StringBuilder();
        foreach (var c in text.Length > max ? text[..max] : text)
        {
            builder.Append(c is '\n' || (c >= ' ' && c < 0x7f) ? c.ToString() : string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"));
        }

        return builder.ToString();
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
