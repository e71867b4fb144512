using System.Globalization;
using System.Text.RegularExpressions;
using NsPolicy.Core.Checking;
using NsPolicy.Core.Checks;
using NsPolicy.Core.Checks.Zone;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Reporting;
using NsPolicy.Core.Tests.Support;
using NsPolicy.Core.Validation;
using NsPolicy.Dns;
using NsPolicy.Dns.Zones;

namespace NsPolicy.Core.Tests;

/// <summary>
/// Each testdata/zone/NAME.zone is checked and its text report, followed by the exit code, must
/// equal NAME.out beside it. With a NAME.yaml beside it the policy is checked offline (policy and
/// zone-file checks, as <c>nspolicy check --offline</c>); without one the zone file alone is checked
/// with origin example.com. (structural checks, as <c>nspolicy check-zone</c>). With a NAME.base
/// beside it, that is the zone file at a base revision, and the serial is checked against it (as
/// <c>nspolicy check --changed-since</c> does).
/// </summary>
public sealed class ZoneGoldenTests
{
    private const string Folder = "tests/NsPolicy.Core.Tests/testdata/zone";

    private static readonly Regex CodePattern = new(@"\[(ZONE_[A-Z0-9_]+)\]", RegexOptions.CultureInvariant);

    public static TheoryData<string> Cases() => Golden.Cases(Folder, ".zone");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Zone_report_matches_golden_file(string name)
    {
        var findings = await CheckAsync(name);

        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        TextReporter.Write(text, findings, color: false);
        var exit = FindingSummary.Fails(findings, Severity.Error) ? 1 : 0;
        text.Write(string.Create(CultureInfo.InvariantCulture, $"exit {exit}\n"));

        Golden.Assert(Repository.PathOf(Folder, name + ".out"), text.ToString());
    }

    [Fact]
    public void Every_zone_code_in_the_catalogue_is_exercised_by_a_golden_case()
    {
        var declared = CheckCatalogue.ZoneChecks.SelectMany(c => c.Rules).Select(r => r.Code).ToList();

        Assert.All(declared, code => Assert.StartsWith("ZONE_", code, StringComparison.Ordinal));
        Golden.AssertEveryCodeReported(Folder, declared, CodePattern);
    }

    [Fact]
    public async Task Clean_cases_report_nothing()
    {
        var clean = Directory.GetFiles(Repository.PathOf(Folder), "*clean*.zone").Select(Path.GetFileNameWithoutExtension).OfType<string>().ToList();
        Assert.NotEmpty(clean);
        foreach (var name in clean)
        {
            Assert.Empty(await CheckAsync(name));
        }
    }

    private static async Task<IReadOnlyList<RatedFinding>> CheckAsync(string name)
    {
        var policy = $"{Folder}/{name}.yaml";
        if (File.Exists(Repository.PathOf(policy)))
        {
            var report = await new CheckRunner(FixedTime.Today, live: null)
                .RunAsync(new CheckRequest(Repository.PathOf(policy), policy) { Offline = true }, CancellationToken.None);
            return report.Findings;
        }

        var relative = $"{Folder}/{name}.zone";
        var origin = DnsName.Parse("example.com.");
        var model = ZoneModel.Load(Repository.PathOf(relative), relative, origin);
        var basePath = Repository.PathOf(Folder, name + ".base");
        var serial = File.Exists(basePath)
            ? new ZoneSerialEvidence("main", ZoneContent.Load(basePath, name + ".base", origin), ZoneContent.Load(Repository.PathOf(relative), relative, origin))
            : null;
        return FindingRater.Rate(ZoneFileStage.Judge(model, relative, serial: serial), null, DateOnly.FromDateTime(FixedTime.Today.GetUtcNow().UtcDateTime));
    }
}
