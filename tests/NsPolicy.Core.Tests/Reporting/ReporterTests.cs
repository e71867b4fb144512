using System.Text.Json;
using NsPolicy.Core.Findings;
using NsPolicy.Dns;
using NsPolicy.Core.Reporting;
using NsPolicy.Core.Tests.Support;
using NsPolicy.Core.Validation;

namespace NsPolicy.Core.Tests.Reporting;

public sealed class ReporterTests
{
    private static RatedFinding Rated(Finding finding, Severity severity = Severity.Error) => new(finding, severity, null);

    [Fact]
    public void Fingerprint_ignores_line_numbers_and_message_wording()
    {
        var before = new Finding("POLICY_GLUE_MISSING", new SourceLocation("nspolicy.yaml", 4, 36), "nameserver ns2.example.com. has no glue", DnsName.Parse("example.com.")) { Subject = "ns2.example.com." };
        var after = before with { Location = new SourceLocation("nspolicy.yaml", 40, 3), Message = "reworded entirely" };

        Assert.Equal(FindingFingerprints.Of([Rated(before)]), FindingFingerprints.Of([Rated(after)]));
    }

    [Fact]
    public void Fingerprint_differs_by_code_zone_and_subject()
    {
        var a = new Finding("POLICY_GLUE_MISSING", new SourceLocation("p.yaml", 1, 1), "m", DnsName.Parse("example.com.")) { Subject = "ns1.example.com." };
        var prints = FindingFingerprints.Of(
        [
            Rated(a),
            Rated(a with { Subject = "ns2.example.com." }),
            Rated(a with { Zone = DnsName.Parse("example.net.") }),
            Rated(a with { Code = "POLICY_NAMESERVER_DUPLICATE" }),
        ]);

        Assert.Equal(4, prints.Distinct().Count());
    }

    [Fact]
    public void Findings_without_a_subject_that_would_collide_get_distinct_fingerprints_in_order()
    {
        var a = new Finding("POLICY_YAML_SYNTAX", new SourceLocation("p.yaml", 3, 1), "first");
        var b = new Finding("POLICY_YAML_SYNTAX", new SourceLocation("p.yaml", 9, 1), "second");

        var prints = FindingFingerprints.Of([Rated(a), Rated(b)]);

        Assert.NotEqual(prints[0], prints[1]);
        Assert.Equal(prints[0], FindingFingerprints.Of([Rated(b)])[0]);
    }

    [Fact]
    public async Task Fingerprints_survive_moving_the_policy_lines()
    {
        var source = Repository.PathOf(ReportCases.Folder, "zones.yaml");
        var moved = Path.Combine(Path.GetTempPath(), $"nspolicy-moved-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(moved, "# a comment\n\n# and another\n" + await File.ReadAllTextAsync(source));
        try
        {
            var validator = new PolicyValidator(FixedTime.Today);
            var original = await validator.ValidateFileAsync(source, "zones.yaml", CancellationToken.None);
            var shifted = await validator.ValidateFileAsync(moved, "zones.yaml", CancellationToken.None);

            Assert.NotEqual(original.Findings.Select(f => f.Location.Line), shifted.Findings.Select(f => f.Location.Line));
            Assert.Equal(FindingFingerprints.Of(original.Findings), FindingFingerprints.Of(shifted.Findings));
        }
        finally
        {
            File.Delete(moved);
        }
    }

    [Fact]
    public void Repository_paths_are_relative_to_the_root_with_forward_slashes()
    {
        var root = Path.Combine(Path.GetTempPath(), "repo");
        var paths = new RepositoryPaths(Path.Combine(root, "dns"), root);

        Assert.Equal("dns/nspolicy.yaml", paths.Relative("nspolicy.yaml"));
        Assert.Equal("dns/zones/a.zone", paths.Relative(Path.Combine("zones", "a.zone")));
        Assert.Equal("other/p.yaml", paths.Relative(Path.Combine(root, "other", "p.yaml")));
        Assert.Equal("../outside.yaml", paths.Relative("../../outside.yaml"));
    }

    [Fact]
    public void Sarif_uris_are_percent_encoded_and_relative_to_the_repository()
    {
        var root = Path.Combine(Path.GetTempPath(), "repo");
        var finding = new Finding("POLICY_EMPTY", new SourceLocation("my policy#1.yaml", 1, 1), "empty");
        var input = new ReportInput("1", "my policy#1.yaml", null, [Rated(finding)]) { Paths = new RepositoryPaths(Path.Combine(root, "dns"), root) };

        using var doc = JsonDocument.Parse(SarifReporter.Render(input));
        var uri = doc.RootElement.GetProperty("runs")[0].GetProperty("results")[0]
            .GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString();

        Assert.Equal("dns/my%20policy%231.yaml", uri);
    }

    [Fact]
    public async Task Sarif_keeps_the_most_severe_results_when_over_the_limit_and_says_how_many_were_left_out()
    {
        var input = await ReportCases.LoadAsync("many");

        using var doc = JsonDocument.Parse(SarifReporter.Render(input, maxResults: 14));
        var run = doc.RootElement.GetProperty("runs")[0];
        var levels = run.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("level").GetString()).ToList();

        Assert.Equal(14, levels.Count);
        Assert.Equal(12, levels.Count(l => l == "error"));
        Assert.Equal(2, levels.Count(l => l == "warning"));
        var note = run.GetProperty("invocations")[0].GetProperty("toolExecutionNotifications")[0].GetProperty("message").GetProperty("text").GetString();
        Assert.StartsWith("22 less severe finding(s) left out", note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Github_annotations_stay_within_ten_per_severity_and_note_the_rest()
    {
        var lines = GitHubReporter.Annotations(await ReportCases.LoadAsync("many")).Split('\n');

        Assert.Equal(10, lines.Count(l => l.StartsWith("::error ", StringComparison.Ordinal)));
        Assert.Equal(10, lines.Count(l => l.StartsWith("::warning ", StringComparison.Ordinal)));
        Assert.Equal(10, lines.Count(l => l.StartsWith("::notice ", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("::notice title=nspolicy::7 more findings were not annotated", StringComparison.Ordinal));
        var firstWarning = Array.FindIndex(lines, l => l.StartsWith("::warning", StringComparison.Ordinal));
        Assert.True(Array.FindLastIndex(lines, l => l.StartsWith("::error", StringComparison.Ordinal)) < firstWarning);
    }

    [Fact]
    public void A_file_that_did_not_parse_keeps_its_annotation_when_more_errors_than_github_shows_come_before_it()
    {
        var findings = Enumerable.Range(1, 12)
            .Select(i => Rated(new Finding("POLICY_GLUE_MISSING", new SourceLocation("a.yaml", i, 1), $"glue {i}")))
            .Append(Rated(new Finding("ZONE_SYNTAX", new SourceLocation("zones/z.zone", 99, 1), "'x': not a TTL, class or record type")))
            .ToList();

        var errors = GitHubReporter.Annotations(new ReportInput("1", "a.yaml", null, findings)).Split('\n')
            .Where(l => l.StartsWith("::error ", StringComparison.Ordinal)).ToList();

        Assert.Equal(GitHubReporter.MaxPerSeverity, errors.Count);
        Assert.StartsWith("::error file=zones/z.zone,line=99,col=1,title=ZONE_SYNTAX", errors[0], StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(1, 9).Select(i => $"glue {i}"), errors.Skip(1).Select(l => l[(l.LastIndexOf("::", StringComparison.Ordinal) + 2)..]));
    }

    [Fact]
    public void Annotations_and_sarif_name_the_mentioned_file_from_the_repository_root_like_the_location()
    {
        var root = Path.Combine(Path.GetTempPath(), "repo");
        var finding = new Finding("ZONE_NS_NOT_IN_FILE", new SourceLocation("nspolicy.yaml", 3, 5), "nameserver ns3.example. of zone example. is not in the apex NS records of zones/example.zone (they are: ns1.example.)")
        {
            MentionedFile = "zones/example.zone",
        };
        var input = new ReportInput("1", "nspolicy.yaml", null, [Rated(finding)]) { Paths = new RepositoryPaths(Path.Combine(root, "dns"), root) };

        var annotation = GitHubReporter.Annotations(input).Split('\n')[0];
        using var sarif = JsonDocument.Parse(SarifReporter.Render(input));
        var text = TextReporter.Render(input.WithRepositoryPaths(), color: false);

        Assert.StartsWith("::error file=dns/nspolicy.yaml,line=3,col=5,", annotation, StringComparison.Ordinal);
        Assert.EndsWith("::nameserver ns3.example. of zone example. is not in the apex NS records of dns/zones/example.zone (they are: ns1.example.)", annotation, StringComparison.Ordinal);
        Assert.Equal("nameserver ns3.example. of zone example. is not in the apex NS records of dns/zones/example.zone (they are: ns1.example.)",
            sarif.RootElement.GetProperty("runs")[0].GetProperty("results")[0].GetProperty("message").GetProperty("text").GetString());
        Assert.StartsWith("dns/nspolicy.yaml:3:5: error: nameserver ns3.example. of zone example. is not in the apex NS records of dns/zones/example.zone (", text, StringComparison.Ordinal);
        Assert.Equal("nspolicy.yaml:3:5: error: nameserver ns3.example. of zone example. is not in the apex NS records of zones/example.zone (they are: ns1.example.) [ZONE_NS_NOT_IN_FILE]\n", TextReporter.Render(input, color: false).Split('\n')[0] + "\n");
    }

    [Theory]
    [InlineData("plain", "plain", "plain")]
    [InlineData("100%", "100%25", "100%25")]
    [InlineData("a\r\nb", "a%0D%0Ab", "a%0D%0Ab")]
    [InlineData("k: v, w", "k: v, w", "k%3A v%2C w")]
    [InlineData("%3A", "%253A", "%253A")]
    [InlineData("esc\u001b[31m", "esc\\x1b[31m", "esc\\x1b[31m")]
    public void Workflow_command_values_are_escaped(string text, string data, string property)
    {
        Assert.Equal(data, GitHubReporter.EscapeData(text));
        Assert.Equal(property, GitHubReporter.EscapeProperty(text));
    }

    [Fact]
    public async Task Markdown_stays_within_its_size_limit_and_says_how_many_findings_it_left_out()
    {
        var input = await ReportCases.LoadAsync("many");

        var full = MarkdownReporter.Render(input);
        var cut = MarkdownReporter.Render(input, new MarkdownOptions { MaxCharacters = 3000 });

        Assert.DoesNotContain("not shown here", full, StringComparison.Ordinal);
        Assert.True(cut.Length <= 3000, $"{cut.Length} characters");
        var rows = cut.Split('\n').Count(l => l.StartsWith("| **", StringComparison.Ordinal));
        Assert.Contains($"_{input.Findings.Count - rows} more findings not shown here", cut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Markdown_heading_level_and_diagrams_follow_the_options()
    {
        var input = await ReportCases.LoadAsync("zones");

        var markdown = MarkdownReporter.Render(input, new MarkdownOptions { HeadingLevel = 3, Title = "Drift in example.com", Diagrams = false });

        Assert.StartsWith("### Drift in example.com\n", markdown, StringComparison.Ordinal);
        Assert.Contains("\n#### Zone `example.com.`", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("```mermaid", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_bodies_show_one_zone_with_its_diagram()
    {
        var input = await ReportCases.LoadAsync("zones");
        var findings = input.Findings.Where(f => f.Finding.Zone == DnsName.Parse("example.com.")).ToList();

        var body = MarkdownReporter.IssueBodies(input)("example.com.", findings);

        Assert.StartsWith("## nspolicy: zone example.com.\n", body, StringComparison.Ordinal);
        Assert.Contains("```mermaid", body, StringComparison.Ordinal);
        Assert.Contains("class ns2 error", body, StringComparison.Ordinal);
        Assert.DoesNotContain("example.net.", body, StringComparison.Ordinal);
        Assert.Equal(findings.Count, body.Split('\n').Count(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| severity", StringComparison.Ordinal) && !l.StartsWith("| ---", StringComparison.Ordinal)));
    }

    [Fact]
    public void Text_of_a_single_zone_has_no_group_headers()
    {
        var finding = new Finding("POLICY_GLUE_MISSING", new SourceLocation("p.yaml", 4, 36), "nameserver ns2.example.com. has no glue", DnsName.Parse("example.com."));

        var text = TextReporter.Render(new ReportInput("1", "p.yaml", null, [Rated(finding)]), color: false);

        Assert.Equal("p.yaml:4:36: error: nameserver ns2.example.com. has no glue [POLICY_GLUE_MISSING]\n1 error, 0 warnings, 0 notices\n", text);
    }
}
