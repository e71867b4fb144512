using NsPolicy.Core.Reporting;
using NsPolicy.Core.Tests.Support;
using NsPolicy.Core.Checking;

namespace NsPolicy.Core.Tests.Reporting;

/// <summary>The policies under testdata/report, checked offline on a fixed day into report inputs.</summary>
internal static class ReportCases
{
    public const string Folder = "tests/NsPolicy.Core.Tests/testdata/report";

    public const string ToolVersion = "0.0.0-test";

    public static IEnumerable<string> Names() =>
        Directory.GetFiles(Repository.PathOf(Folder), "*.yaml")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Order(StringComparer.Ordinal);

    /// <summary>Runs <c>check --offline</c> on the case: the policy checks and the zone-file checks.</summary>
    public static async Task<ReportInput> LoadAsync(string name)
    {
        var relative = $"{Folder}/{name}.yaml";
        var report = await new CheckRunner(FixedTime.Today, live: null)
            .RunAsync(new CheckRequest(Repository.PathOf(relative), relative) { Offline = true }, CancellationToken.None);
        return new ReportInput(ToolVersion, relative, report.Policy, report.Findings);
    }
}
