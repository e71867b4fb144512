using System.Text.RegularExpressions;

namespace NsPolicy.Tests.Shared;

/// <summary>
/// Compares output with a golden file. With NSPOLICY_UPDATE_GOLDEN=1 (and never when CI=true)
/// the golden file is rewritten instead.
/// </summary>
internal static class Golden
{
    public static bool Updating =>
        Environment.GetEnvironmentVariable("NSPOLICY_UPDATE_GOLDEN") == "1" &&
        !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static void Assert(string goldenPath, string actual)
    {
        if (Updating)
        {
            File.WriteAllText(goldenPath, actual);
            return;
        }

        if (!File.Exists(goldenPath))
        {
            Xunit.Assert.Fail($"golden file {goldenPath} is missing; run the tests with NSPOLICY_UPDATE_GOLDEN=1 to write it. Actual output:\n{actual}");
        }

        Xunit.Assert.Equal(File.ReadAllText(goldenPath), actual);
    }

    /// <summary>The cases of a golden folder: the names of its files ending in <paramref name="suffix"/>, without it.</summary>
    public static TheoryData<string> Cases(string folder, string suffix) =>
        new(Directory.GetFiles(Repository.PathOf(folder), "*" + suffix).Select(f => Path.GetFileName(f)[..^suffix.Length]).Order(StringComparer.Ordinal));

    /// <summary>Fails unless some .out file in <paramref name="folder"/> reports each declared code (group 1 of <paramref name="code"/>).</summary>
    public static void AssertEveryCodeReported(string folder, IReadOnlyCollection<string> declared, Regex code)
    {
        Xunit.Assert.NotEmpty(declared);
        var reported = Directory.GetFiles(Repository.PathOf(folder), "*.out")
            .SelectMany(f => code.Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
        var missing = declared.Where(c => !reported.Contains(c)).ToList();
        Xunit.Assert.True(missing.Count == 0, "no golden case reports " + string.Join(", ", missing));
    }
}
