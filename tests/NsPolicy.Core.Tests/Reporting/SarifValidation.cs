using System.Text.Json;

namespace NsPolicy.Core.Tests.Reporting;

/// <summary>One result of the SARIF multitool about one of the logs it validated.</summary>
internal sealed record SarifProblem(string Log, string RuleId, string Level, string Message)
{
    public override string ToString() => $"{Log}: {Level} {RuleId}: {Message}";
}

/// <summary>
/// Validates SARIF logs with Microsoft's SARIF multitool (npm <c>@microsoft/sarif-multitool</c>,
/// installed by scripts/test.sh): the SARIF 2.1.0 schema, the SARIF rules and GitHub's ingestion
/// rules (rule kinds Sarif and Gh), with the settings in tests/tools/sarif-multitool.xml (no rule
/// that reaches the network). All logs go through one run: the tool takes a second or two to start.
/// </summary>
internal static class SarifValidation
{
    /// <summary>Fails the schema: a result needs a message.</summary>
    public const string WithoutMessage =
        """{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"ruleId":"A"}]}]}""";

    public static async Task<List<SarifProblem>> ValidateAsync(IReadOnlyDictionary<string, string> logs)
    {
        var tool = TestTools.SarifMultitool;
        var dir = Directory.CreateTempSubdirectory("nspolicy-sarif-");
        try
        {
            var files = new List<string>();
            foreach (var (name, text) in logs)
            {
                var path = Path.Combine(dir.FullName, name + ".sarif");
                await File.WriteAllTextAsync(path, text);
                files.Add(path);
            }

            var output = Path.Combine(dir.FullName, "validation.json");
            var run = await TestTools.RunAsync(
                tool,
                ["validate", .. files, "--rule-kind", "Sarif;Gh", "--config", Path.Combine(TestTools.Folder, "sarif-multitool.xml"), "--output", output]);
            Assert.True(run.ExitCode == 0 && File.Exists(output), $"the SARIF multitool failed:\n{run}");

            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(output));
            var problems = new List<SarifProblem>();
            foreach (var result in doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray())
            {
                var uri = new Uri(result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString()!);
                var message = result.GetProperty("message");
                var text = message.TryGetProperty("text", out var t)
                    ? t.GetString()!
                    : $"{message.GetProperty("id").GetString()}({(message.TryGetProperty("arguments", out var a) ? string.Join(", ", a.EnumerateArray().Select(x => x.GetString())) : "")})";
                problems.Add(new SarifProblem(
                    Path.GetFileNameWithoutExtension(uri.LocalPath),
                    result.GetProperty("ruleId").GetString()!,
                    result.TryGetProperty("level", out var level) ? level.GetString()! : "warning",
                    text));
            }

            return problems;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
