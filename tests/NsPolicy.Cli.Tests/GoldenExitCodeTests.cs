namespace NsPolicy.Cli.Tests;

/// <summary>
/// The "exit N" line of each policy golden case (tests/NsPolicy.Core.Tests/testdata/policy) is what
/// <c>nspolicy validate</c> really exits with: the command run in-process through
/// <see cref="NsPolicyApp"/>, its --fail-on default and exit codes, on the golden cases' date.
/// </summary>
public sealed class GoldenExitCodeTests
{
    private const string Folder = "tests/NsPolicy.Core.Tests/testdata/policy";

    /// <summary>The date the golden cases are written for (their acknowledgements expire relative to it).</summary>
    private static readonly DateTimeOffset GoldenDay = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Cases() => Golden.Cases(Folder, ".yaml");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Validate_exits_with_the_code_the_golden_file_states(string name)
    {
        var golden = File.ReadAllText(Repository.PathOf(Folder, name + ".out"));
        var stated = golden.TrimEnd('\n').Split('\n')[^1];
        Assert.StartsWith("exit ", stated, StringComparison.Ordinal);

        var (exit, _, stderr, _) = await CliRunner.RunAsync(
            Repository.Root, new Clock(GoldenDay), "validate", "--policy", Repository.PathOf(Folder, name + ".yaml"));

        Assert.True(stated == $"exit {exit}", $"{name}: the golden file states '{stated}', validate exits {exit}\n{stderr}");
    }

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
