using System.Text.Json;
using NJsonSchema;
using NsPolicy.Core.Reporting;

namespace NsPolicy.Core.Tests.Reporting;

/// <summary>
/// The JSON report matches schemas/nspolicy-report.schema.json, and the SARIF output passes
/// Microsoft's SARIF multitool: the SARIF 2.1.0 schema, its SARIF rules and GitHub code scanning's
/// ingestion rules.
/// </summary>
public sealed class ReportSchemaTests
{
    private static readonly Lazy<Task<JsonSchema>> ReportSchema =
        new(() => JsonSchema.FromFileAsync(Repository.PathOf("schemas", "nspolicy-report.schema.json")));

    public static TheoryData<string> Cases() => new(ReportCases.Names());

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Json_report_matches_its_schema(string name)
    {
        var json = JsonReporter.Render(await ReportCases.LoadAsync(name));

        var errors = (await ReportSchema.Value).Validate(json);

        Assert.Empty(errors.Select(e => $"{e.Path}: {e.Kind}"));
    }

    [Fact]
    public async Task Sarif_output_of_every_case_passes_the_sarif_multitool_with_github_ingestion_rules()
    {
        var logs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in ReportCases.Names())
        {
            logs[name] = SarifReporter.Render(await ReportCases.LoadAsync(name));
        }

        // A log the validator must fail, checked in the same run: a run that reports nothing at
        // all (a tool that skipped its work) cannot pass for a clean one.
        logs["canary-without-message"] = SarifValidation.WithoutMessage;

        var problems = await SarifValidation.ValidateAsync(logs);

        Assert.Contains(problems, p => p.Log == "canary-without-message" && p.Level == "error");
        var ours = problems.Where(p => p.Log != "canary-without-message").ToList();
        Assert.Empty(ours.Where(p => p.Level == "error" || p.RuleId.StartsWith("GH", StringComparison.Ordinal)).Select(p => p.ToString()));

        // The one warning the SARIF rules give today: the driver names no informationUri (a
        // documentation link nspolicy does not have). Anything else is new and must be looked at.
        Assert.Empty(ours.Where(p => p.RuleId != "SARIF2005").Select(p => p.ToString()));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Sarif_output_keeps_code_scanning_rules(string name)
    {
        using var doc = JsonDocument.Parse(SarifReporter.Render(await ReportCases.LoadAsync(name)));
        var runs = doc.RootElement.GetProperty("runs");
        Assert.Equal(1, runs.GetArrayLength());
        var run = runs[0];
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToList();
        var ruleIds = rules.Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Equal(ruleIds.Distinct().Count(), ruleIds.Count);
        foreach (var rule in rules)
        {
            Assert.False(string.IsNullOrWhiteSpace(rule.GetProperty("help").GetProperty("text").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(rule.GetProperty("shortDescription").GetProperty("text").GetString()));
            Assert.InRange(rule.GetProperty("properties").GetProperty("tags").GetArrayLength(), 1, 10);
        }

        var results = run.GetProperty("results").EnumerateArray().ToList();
        Assert.InRange(results.Count, 0, SarifReporter.MaxResults);
        foreach (var result in results)
        {
            var ruleId = result.GetProperty("ruleId").GetString();
            Assert.Equal(ruleId, ruleIds[result.GetProperty("ruleIndex").GetInt32()]);
            Assert.Contains(result.GetProperty("level").GetString(), new[] { "error", "warning", "note" });
            Assert.False(string.IsNullOrWhiteSpace(result.GetProperty("message").GetProperty("text").GetString()));
            Assert.Matches("^[0-9a-f]{32}$", result.GetProperty("partialFingerprints").GetProperty(SarifReporter.FingerprintKey).GetString());
            var location = Assert.Single(result.GetProperty("locations").EnumerateArray()).GetProperty("physicalLocation");
            var artifact = location.GetProperty("artifactLocation");
            var uri = artifact.GetProperty("uri").GetString()!;
            Assert.Equal("%SRCROOT%", artifact.GetProperty("uriBaseId").GetString());
            Assert.False(Uri.TryCreate(uri, UriKind.Absolute, out _), $"{uri} is absolute");
            Assert.False(uri.StartsWith('/'), uri);
            Assert.True(location.GetProperty("region").GetProperty("startLine").GetInt32() >= 1);
        }
    }
}

/// <summary>The validators above are not vacuous: broken documents fail them.</summary>
public sealed class ReportSchemaNegativeTests
{
    [Fact]
    public async Task A_sarif_log_of_the_wrong_version_or_without_a_message_or_location_fails_the_multitool()
    {
        var problems = await SarifValidation.ValidateAsync(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["wrong-version"] = """{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.0.0","runs":[]}""",
            ["without-message"] = SarifValidation.WithoutMessage,
            ["without-location"] = """{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[{"tool":{"driver":{"name":"x","version":"1.0.0","informationUri":"https://example.com/x","rules":[{"id":"A","shortDescription":{"text":"A rule."},"fullDescription":{"text":"A rule."},"help":{"text":"Fix it."}}]}},"results":[{"ruleId":"A","ruleIndex":0,"message":{"text":"A finding."}}]}]}""",
        });

        Assert.Contains(problems, p => p.Log == "wrong-version" && p.Level == "error" && p.RuleId.StartsWith("JSON", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Log == "without-message" && p.Level == "error" && p.RuleId.StartsWith("JSON", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Log == "without-location" && p.Level == "error" && p.RuleId.StartsWith("GH", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_json_report_without_fingerprints_fails_its_schema()
    {
        var schema = await JsonSchema.FromFileAsync(Repository.PathOf("schemas", "nspolicy-report.schema.json"));
        var json = JsonReporter.Render(await ReportCases.LoadAsync("zones"));

        Assert.Empty(schema.Validate(json));
        Assert.NotEmpty(schema.Validate(json.Replace("\"fingerprint\"", "\"fingerprynt\"", StringComparison.Ordinal)));
    }
}
