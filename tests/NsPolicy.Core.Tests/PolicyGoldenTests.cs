using System.Globalization;
using System.Text.RegularExpressions;
using NsPolicy.Core.Checks;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Reporting;
using NsPolicy.Core.Tests.Support;
using NsPolicy.Core.Validation;

namespace NsPolicy.Core.Tests;

/// <summary>
/// Each testdata/policy/NAME.yaml is validated and its text report, followed by the exit code
/// `nspolicy validate` would give, must equal NAME.out beside it.
/// </summary>
public sealed partial class PolicyGoldenTests
{
    private const string Folder = "tests/NsPolicy.Core.Tests/testdata/policy";

    public static TheoryData<string> Cases() => Golden.Cases(Folder, ".yaml");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Policy_report_matches_golden_file(string name)
    {
        var relative = $"{Folder}/{name}.yaml";
        var report = await new PolicyValidator(FixedTime.Today)
            .ValidateFileAsync(Repository.PathOf(relative), relative, CancellationToken.None);

        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        TextReporter.Write(text, report.Findings, color: false);
        var exit = FindingSummary.Fails(report.Findings, Severity.Error) ? 1 : 0;
        text.Write(string.Create(CultureInfo.InvariantCulture, $"exit {exit}\n"));

        Golden.Assert(Repository.PathOf(Folder, name + ".out"), text.ToString());
    }

    [Fact]
    public void Every_policy_code_in_the_catalogue_is_exercised_by_a_golden_case()
    {
        var declared = CheckCatalogue.Rules.Select(r => r.Code).Where(c => c.StartsWith("POLICY_", StringComparison.Ordinal)).ToList();
        Golden.AssertEveryCodeReported(Folder, declared, CodePattern());
    }

    [GeneratedRegex(@"\[(POLICY_[A-Z0-9_]+)\]")]
    private static partial Regex CodePattern();

    [Fact]
    public void There_are_at_least_forty_policy_cases()
    {
        Assert.True(Cases().Count >= 40, $"only {Cases().Count} policy cases");
    }
}
