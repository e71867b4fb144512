using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using NsPolicy.Core.Checks;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Reporting;

/// <summary>
/// SARIF 2.1.0 for GitHub code scanning: one rule per reported code with its explanation as help,
/// one result per finding located at the policy or zone-file line that stated the expectation,
/// repository-relative URIs under <c>%SRCROOT%</c>, a partial fingerprint per result, and
/// acknowledged findings as accepted external suppressions. Keeps within code scanning's upload
/// limits: at most <see cref="MaxResults"/> results (most severe first), one location each, few
/// tags per rule.
/// </summary>
public static class SarifReporter
{
    /// <summary>Code scanning rejects a run with more results than this.</summary>
    public const int MaxResults = 25_000;

    /// <summary>The key of nspolicy's fingerprint in <c>partialFingerprints</c>.</summary>
    public const string FingerprintKey = "nspolicyFingerprint/" + FindingFingerprints.Version;

    private const string SourceRoot = "%SRCROOT%";

    /// <summary>The project's home page: SARIF's <c>informationUri</c>.</summary>
    public const string InformationUri = "https://github.com/nspolicy/nspolicy";

    /// <summary>The README, whose rule table has an anchor per code (the code in lower case).</summary>
    public const string RulesUri = InformationUri + "/blob/main/README.md";

    /// <summary>
    /// Findings that let someone else take a zone over, with the <c>security-severity</c> code
    /// scanning ranks them by (9.0 and up is critical, 7.0 up high): a nameserver in a domain that
    /// does not exist can be registered by anyone and then answers for the zone; a lame server
    /// (a hosting service that no longer holds the zone) often lets any customer create the zone there.
    /// </summary>
    public static IReadOnlyDictionary<string, string> SecuritySeverity { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["NS_DOMAIN_MISSING"] = "9.3",
        ["CHILD_LAME"] = "7.5",
    };

    /// <summary>The help address of a rule: its row in the README's rule table.</summary>
    public static string HelpUri(string code) => $"{RulesUri}#{code.ToLowerInvariant()}";

    public static string Render(ReportInput input, int maxResults = MaxResults)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxResults);
        var sorted = input.Sorted;
        var fingerprints = FindingFingerprints.Of(sorted);
        // Most severe first when results must be cut; the report order otherwise.
        var kept = Enumerable.Range(0, sorted.Count)
            .OrderByDescending(i => sorted[i].Counts ? (int)sorted[i].Severity : 0)
            .ThenBy(i => i)
            .Take(maxResults)
            .Order()
            .ToList();
        // The rules of the codes reported, so a new code elsewhere in the catalogue does not change this run.
        var rules = kept.Select(i => sorted[i].Code).Distinct()
            .Select(code => CheckCatalogue.Find(code) ?? throw new InvalidOperationException($"finding code {code} is not in the catalogue"))
            .OrderBy(r => r.Code, StringComparer.Ordinal)
            .ToList();
        var ruleIndex = rules.Select((r, i) => (r.Code, i)).ToDictionary(x => x.Code, x => x.i, StringComparer.Ordinal);

        using var buffer = new MemoryStream();
        var options = new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var json = new Utf8JsonWriter(buffer, options))
        {
            json.WriteStartObject();
            json.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
            json.WriteString("version", "2.1.0");
            json.WriteStartArray("runs");
            json.WriteStartObject();
            WriteTool(json, input.ToolVersion, rules);
            json.WriteStartObject("automationDetails");
            json.WriteString("id", input.Category ?? "nspolicy/");
            json.WriteEndObject();
            json.WriteStartObject("originalUriBaseIds");
            json.WriteStartObject(SourceRoot);
            WriteText(json, "description", "The root of the repository; result paths are relative to it.");
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteString("columnKind", "utf16CodeUnits");
            if (kept.Count < sorted.Count)
            {
                WriteOmitted(json, sorted.Count - kept.Count);
            }

            json.WriteStartArray("results");
            foreach (var i in kept)
            {
                WriteResult(json, input, sorted[i], fingerprints[i], ruleIndex[sorted[i].Code]);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>SARIF's level for a severity: error, warning, or note.</summary>
    public static string Level(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "note",
    };

    private static void WriteTool(Utf8JsonWriter json, string version, IReadOnlyList<Rule> rules)
    {
        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", "nspolicy");
        json.WriteString("informationUri", InformationUri);
        json.WriteString("version", version);
        json.WriteString("semanticVersion", version);
        json.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            json.WriteStartObject();
            json.WriteString("id", rule.Code);
            json.WriteString("name", PascalName(rule.Code));
            WriteText(json, "shortDescription", rule.Title);
            WriteText(json, "fullDescription", rule.Explanation);
            json.WriteString("helpUri", HelpUri(rule.Code));
            json.WriteStartObject("help");
            json.WriteString("text", $"{rule.Explanation}\n\nRun `nspolicy explain {rule.Code}` for more.");
            json.WriteString("markdown", $"**{rule.Title}** (`{rule.Code}`)\n\n{rule.Explanation}\n\nRun `nspolicy explain {rule.Code}` for more.");
            json.WriteEndObject();
            json.WriteStartObject("defaultConfiguration");
            json.WriteString("level", Level(rule.DefaultSeverity));
            json.WriteEndObject();
            json.WriteStartObject("properties");
            json.WriteStartArray("tags");
            json.WriteStringValue("dns");
            json.WriteStringValue(rule.Code.Split('_')[0].ToLowerInvariant());
            var security = SecuritySeverity.TryGetValue(rule.Code, out var score) ? score : null;
            if (security is not null)
            {
                json.WriteStringValue("security");
            }

            json.WriteEndArray();
            json.WriteString("precision", "very-high");
            if (security is not null)
            {
                json.WriteString("security-severity", security);
            }

            json.WriteString("problem.severity", rule.DefaultSeverity switch
            {
                Severity.Error => "error",
                Severity.Warning => "warning",
                _ => "recommendation",
            });
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteOmitted(Utf8JsonWriter json, int omitted)
    {
        json.WriteStartArray("invocations");
        json.WriteStartObject();
        json.WriteBoolean("executionSuccessful", true);
        json.WriteStartArray("toolExecutionNotifications");
        json.WriteStartObject();
        json.WriteString("level", "warning");
        WriteText(json, "message", string.Create(CultureInfo.InvariantCulture,
            $"{omitted} less severe finding(s) left out: code scanning accepts at most {MaxResults} results per run. The text or JSON report has them all."));
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
    }

    private static void WriteResult(Utf8JsonWriter json, ReportInput input, RatedFinding f, string fingerprint, int ruleIndex)
    {
        json.WriteStartObject();
        json.WriteString("ruleId", f.Code);
        json.WriteNumber("ruleIndex", ruleIndex);
        json.WriteString("level", Level(f.Severity));
        WriteText(json, "message", input.RepositoryMessage(f.Finding));
        json.WriteStartArray("locations");
        json.WriteStartObject();
        json.WriteStartObject("physicalLocation");
        json.WriteStartObject("artifactLocation");
        json.WriteString("uri", UriOf(input.RepositoryPath(f.Location.File)));
        json.WriteString("uriBaseId", SourceRoot);
        json.WriteEndObject();
        if (f.Location.Line >= 1)
        {
            json.WriteStartObject("region");
            json.WriteNumber("startLine", f.Location.Line);
            if (f.Location.Column >= 1)
            {
                json.WriteNumber("startColumn", f.Location.Column);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartObject("partialFingerprints");
        json.WriteString(FingerprintKey, fingerprint);
        json.WriteEndObject();
        if (f.Acknowledgement is { } ack)
        {
            json.WriteStartArray("suppressions");
            json.WriteStartObject();
            json.WriteString("kind", "external");
            json.WriteString("status", "accepted");
            json.WriteString("justification", string.Create(CultureInfo.InvariantCulture, $"{ack.Reason} (acknowledged in the policy until {ack.Until:yyyy-MM-dd})"));
            json.WriteEndObject();
            json.WriteEndArray();
        }

        json.WriteStartObject("properties");
        if (f.Finding.Zone is { } zone)
        {
            json.WriteString("zone", zone.ToString());
        }

        if (f.Finding.Expected is { } expected)
        {
            json.WriteString("expected", expected);
        }

        if (f.Finding.Found is { } found)
        {
            json.WriteString("found", found);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteText(Utf8JsonWriter json, string name, string text)
    {
        json.WriteStartObject(name);
        json.WriteString("text", text);
        json.WriteEndObject();
    }

    /// <summary>A relative URI reference: each path segment percent-encoded, forward slashes kept.</summary>
    private static string UriOf(string path) =>
        string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    /// <summary>POLICY_GLUE_MISSING becomes PolicyGlueMissing, the identifier style SARIF viewers expect for rule names.</summary>
    private static string PascalName(string code) =>
        string.Concat(code.Split('_').Select(w => w.Length == 0 ? w : w[0] + w[1..].ToLowerInvariant()));
}
