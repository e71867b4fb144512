using System.Globalization;
using System.Text.RegularExpressions;
using NsPolicy.Core.Checks;
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Reporting;
using NsPolicy.Core.Tests.Support;
using NsPolicy.Core.Validation;

namespace NsPolicy.Core.Tests;

/// <summary>
/// Each testdata/live/NAME.evidence.json (recorded from the lab, some then edited to show one
/// fault) is judged against NAME.yaml as `nspolicy check --evidence` would: the policy's own
/// findings and the live findings, rated together. The text report and exit code must equal NAME.out.
/// </summary>
public sealed class LiveGoldenTests
{
    private const string Folder = "tests/NsPolicy.Core.Tests/testdata/live";

    private static readonly Regex CodePattern = new(@"\[([A-Z0-9_]+)\]$", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    public static TheoryData<string> Cases() => Golden.Cases(Folder, ".evidence.json");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Live_report_matches_golden_file(string name)
    {
        Golden.Assert(Repository.PathOf(Folder, name + ".out"), await ReportAsync(name));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Evidence_file_reads_back_to_the_same_text(string name)
    {
        var path = Repository.PathOf(Folder, name + ".evidence.json");
        var evidence = await EvidenceJson.LoadAsync(path, CancellationToken.None);

        Assert.Equal(await File.ReadAllTextAsync(path), EvidenceJson.Serialize(evidence));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Saved_evidence_file_has_the_same_octets_as_the_golden_one(string name)
    {
        var path = Repository.PathOf(Folder, name + ".evidence.json");
        var evidence = await EvidenceJson.LoadAsync(path, CancellationToken.None);
        var saved = Path.Combine(Path.GetTempPath(), $"nspolicy-evidence-{Guid.NewGuid():N}.json");
        try
        {
            await EvidenceJson.SaveAsync(evidence, saved, CancellationToken.None);

            Assert.Equal(await File.ReadAllBytesAsync(path), await File.ReadAllBytesAsync(saved));
        }
        finally
        {
            File.Delete(saved);
        }
    }

    [Fact]
    public void Every_live_code_has_a_golden_case()
    {
        Golden.AssertEveryCodeReported(Folder, [.. CheckCatalogue.LiveChecks.SelectMany(c => c.Rules).Select(r => r.Code)], CodePattern);
    }

    [Fact]
    public async Task Healthy_zones_report_nothing()
    {
        var healthy = Directory.GetFiles(Repository.PathOf(Folder), "healthy-*.evidence.json")
            .Select(f => Path.GetFileName(f)[..^".evidence.json".Length])
            .ToList();
        Assert.NotEmpty(healthy);
        foreach (var name in healthy)
        {
            Assert.StartsWith("0 errors, 0 warnings, 0 notices", await ReportAsync(name), StringComparison.Ordinal);
        }
    }

    private static async Task<string> ReportAsync(string name)
    {
        var policyPath = $"{Folder}/{name}.yaml";
        var validation = await new PolicyValidator(FixedTime.Today)
            .ValidateFileAsync(Repository.PathOf(policyPath), policyPath, CancellationToken.None);
        Assert.NotNull(validation.Policy);
        var evidence = await EvidenceJson.LoadAsync(Repository.PathOf(Folder, name + ".evidence.json"), CancellationToken.None);
        var live = LiveJudge.Judge(validation.Policy, evidence, LiveCheckSettings.Default);
        var findings = FindingRater.Sort(validation.Findings.Concat(FindingRater.Rate(live, validation.Policy, DateOnly.FromDateTime(FixedTime.Today.GetUtcNow().UtcDateTime))));

        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        TextReporter.Write(text, findings, color: false);
        var exit = FindingSummary.Fails(findings, Severity.Error) ? 1 : 0;
        text.Write(string.Create(CultureInfo.InvariantCulture, $"exit {exit}\n"));
        return text.ToString();
    }
}
