using System.Globalization;
using System.Text;
using NsPolicy.Core.Policy;
using NsPolicy.Dns;
using NsPolicy.Dns.ZoneFiles;

namespace NsPolicy.Cli.Tests.Hostile;

/// <summary>
/// Seeded mutation tests: the example policies and zone files (1,000 cases a file) and the
/// zone-file conformance cases (25 each), each cut, doubled, swapped, truncated or salted with YAML
/// and zone-file punctuation, go through <c>validate</c> and <c>check-zone</c> in-process. Whatever
/// the input, the command ends with exit 0, 1 or 2 and never 3 ("a bug in nspolicy"), and loading
/// the policy or parsing the zone file allocates no more than <see cref="MemoryBound"/>.
/// Deterministic: case N of a file always gets the same mutations, and a failure names the case
/// and shows the input (escaped, cut short).
/// </summary>
public sealed class MutationTests
{
    private const int CasesPerFile = 1000;

    private const int CasesPerConformanceFile = 25;

    private const string ConformanceFolder = "tests/NsPolicy.Dns.Tests/testdata/zone-conformance";

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
            var allocated = PolicyLoadAllocations(mutated);
            Assert.True(allocated <= MemoryBound(mutated), Failure(example, n, $"{allocated} bytes allocated loading the policy", mutated, stderr));
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
            var allocated = ParserAllocations(mutated, origin, folder.Path);
            Assert.True(allocated <= MemoryBound(mutated), Failure(example, n, $"{allocated} bytes allocated parsing the zone file", mutated, stderr));
        }

        // The mutations reach both sides: inputs that still pass and inputs with findings (a broken
        // YAML or zone file is a finding, exit 1; exit 2 is left for files that cannot be read).
        Assert.True(exits[0] > 0 && exits[1] > 0, string.Join(", ", exits));
    }

    /// <summary>The zone-file conformance cases (tests/NsPolicy.Dns.Tests/testdata/zone-conformance), each with the origin its header names.</summary>
    public static TheoryData<string> ConformanceZones()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Repository.PathOf(ConformanceFolder), "*.zone").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ConformanceZones))]
    public async Task Check_zone_never_ends_in_an_internal_error_on_a_mutated_conformance_case(string name)
    {
        using var folder = new TempDirectory();
        CopyFolder(Repository.PathOf(ConformanceFolder), folder.Path);
        var original = File.ReadAllText(Repository.PathOf(ConformanceFolder, name));
        var origin = original.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith(";; origin:", StringComparison.Ordinal))[";; origin:".Length..].Trim();
        var zone = Path.Combine(folder.Path, name);

        for (var n = 0; n < CasesPerConformanceFile; n++)
        {
            var mutated = Mutate(original, new Random(n), ZonePunctuation);
            File.WriteAllText(zone, mutated, new UTF8Encoding(false));
            var (exit, _, stderr, _) = await CliRunner.RunAsync(folder.Path, TimeProvider.System, "check-zone", zone, "--origin", origin);
            Assert.True(exit is 0 or 1 or 2, Failure(name, n, exit, mutated, stderr));
            var allocated = ParserAllocations(mutated, origin, folder.Path);
            Assert.True(allocated <= MemoryBound(mutated), Failure(name, n, $"{allocated} bytes allocated parsing the zone file", mutated, stderr));
        }
    }

    /// <summary>
    /// The memory one input may cost, counted in bytes allocated (deterministic for a given input,
    /// unlike a peak or a time): 4 MiB for buffers and the schema, plus 1 KiB per character of
    /// input. Measured on these inputs: at most 1.1 MB for a zone file (a clean parse of a small
    /// file allocates 70 KB) and 0.4 MB for a policy, so a quarter of the bound or less; a parser
    /// that grew without bound on a token, a loop or an expansion would cross it.
    /// </summary>
    private static long MemoryBound(string input) => FixedAllowance + (PerInputChar * input.Length);

    private const long FixedAllowance = 4L * 1024 * 1024;

    private const long PerInputChar = 1024;

    /// <summary>What parsing the zone text allocates on this thread (the parser is synchronous).</summary>
    private static long ParserAllocations(string text, string origin, string folder)
    {
        var options = new ZoneFileOptions { BaseDirectory = folder, RootDirectory = folder };
        var name = DnsName.Parse(origin);
        var before = GC.GetAllocatedBytesForCurrentThread();
        using (var parser = ZoneFileParser.ForText(new StringReader(text), "z.zone", name, options))
        {
            while (parser.Next(out _))
            {
            }
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>What loading the policy (YAML, schema, binding) allocates; with the schema loaded once it completes on this thread.</summary>
    private static long PolicyLoadAllocations(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var load = PolicyLoader.LoadAsync("nspolicy.yaml", bytes, CancellationToken.None);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(load.IsCompleted, "the policy loaded on another thread; its allocations cannot be counted here");
        return allocated;
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
        Failure(example, n, string.Create(CultureInfo.InvariantCulture, $"exit {exit}"), mutated, stderr);

    private static string Failure(string example, int n, string what, string mutated, string stderr) =>
        $"{example}, case {n}: {what}\n{Escape(stderr, 2000)}\ninput:\n{Escape(mutated, 4000)}";

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
