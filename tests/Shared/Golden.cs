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
}
