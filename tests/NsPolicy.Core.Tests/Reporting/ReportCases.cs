using NsPolicy.Core.Reporting;
using NsPolicy.Core.Tests.Support;
using NsPolicy.Core.Checking;
using NsPolicy.Core.Checks;
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Validation;

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

    /// <summary>
    /// Runs <c>check --offline</c> on the case: the policy checks and the zone-file checks; when
    /// NAME.evidence.json is beside it (a live case, copied from testdata/live), its live findings
    /// are judged from that evidence, which the report also carries.
    /// </summary>
    public static async Task<ReportInput> LoadAsync(string name)
    {
        var relative = $"{Folder}/{name}.yaml";
        var report = await new CheckRunner(FixedTime.Today, live: null)
            .RunAsync(new CheckRequest(Repository.PathOf(relative), relative) { Offline = true }, CancellationToken.None);
        var evidencePath = Repository.PathOf(Folder, name + ".evidence.json");
        if (!File.Exists(evidencePath) || report.Policy is null)
        {
            return new ReportInput(ToolVersion, relative, report.Policy, report.Findings);
        }

        var evidence = await EvidenceJson.LoadAsync(evidencePath, CancellationToken.None);
        var live = FindingRater.Rate(LiveJudge.Judge(report.Policy, evidence, LiveCheckSettings.Default), report.Policy, DateOnly.FromDateTime(FixedTime.Today.GetUtcNow().UtcDateTime));
        return new ReportInput(ToolVersion, relative, report.Policy, [.. report.Findings, .. live]) { Evidence = evidence };
    }
}
