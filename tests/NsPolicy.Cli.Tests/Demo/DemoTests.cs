using System.Text.RegularExpressions;
using NsPolicy.Dns.Tests.Lab;

namespace NsPolicy.Cli.Tests.Demo;

/// <summary>
/// The README's first command, scripts/demo.sh, run the way the script runs it: nspolicy-lab starts a
/// lab, `nspolicy check` reads examples/lab/nspolicy.yaml and the lab's root hints. The zones and
/// codes it reports must be exactly those the README's sample output shows, so the README cannot go
/// stale. NSPOLICY_UPDATE_GOLDEN=1 rewrites the sample from this run (addresses moved back to slot 0).
/// </summary>
[Collection(DnsLabCollection.Name)]
public sealed class DemoTests
{
    private const string PolicyPath = "examples/lab/nspolicy.yaml";
    private const string Begin = "<!-- begin demo-output -->\n```text\n";
    private const string End = "```\n<!-- end demo-output -->";

    private static readonly Regex ZoneLine = new(@"^zone (\S+):$", RegexOptions.CultureInvariant);
    private static readonly Regex CodeAtEnd = new(@"\[([A-Z][A-Z0-9_]+)\]$", RegexOptions.CultureInvariant);

    private static readonly string[] Healthy = ["good.test.", "alg8.test.", "provider.test."];

    [Fact]
    public async Task Demo_reports_exactly_the_zones_and_codes_the_readme_shows()
    {
        var result = await LabRunnerProcess.RunAsync(
            "run", "--policy", PolicyPath, "--", "sh", "-c",
            "echo \"$NSPOLICY_LAB_SLOT_USED $NSPOLICY_LAB_POLICY\" >&2; exec dotnet \"$0\" check --policy \"$NSPOLICY_LAB_POLICY\" --root-hints \"$NSPOLICY_LAB_ROOT_HINTS\"",
            LabRunnerProcess.NspolicyPath);

        Assert.True(result.ExitCode == 1, result.Stdout + result.Stderr);
        var reported = Findings(result.Stdout);
        Assert.DoesNotContain(reported, f => Healthy.Contains(f.Zone));
        var readmePath = Repository.PathOf("README.md");
        var readme = File.ReadAllText(readmePath).ReplaceLineEndings("\n");
        var start = readme.IndexOf(Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "README.md has no demo-output section");
        if (Golden.Updating)
        {
            var (slot, policy) = SlotAndPolicy(result.Stderr);
            var sample = LabRelocation.FromSlot(result.Stdout.Replace(policy + ":", PolicyPath + ":", StringComparison.Ordinal), slot);
            File.WriteAllText(readmePath, readme[..(start + Begin.Length)] + sample + readme[end..]);
            return;
        }

        var shown = Findings(readme[(start + Begin.Length)..end]);
        Assert.Equal(shown, reported);
    }

    /// <summary>(zone, code) of every finding in text output: a "zone NAME:" line, then lines ending in [CODE].</summary>
    private static SortedSet<(string Zone, string Code)> Findings(string text)
    {
        var findings = new SortedSet<(string Zone, string Code)>();
        var zone = "";
        foreach (var line in text.Split('\n'))
        {
            if (ZoneLine.Match(line) is { Success: true } header)
            {
                zone = header.Groups[1].Value;
            }
            else if (CodeAtEnd.Match(line) is { Success: true } finding)
            {
                findings.Add((zone, finding.Groups[1].Value));
            }
        }

        return findings;
    }

    private static (int Slot, string Policy) SlotAndPolicy(string stderr)
    {
        var line = stderr.Split('\n').First(l => l.Length > 0 && char.IsAsciiDigit(l[0]));
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return (int.Parse(line[..space], System.Globalization.CultureInfo.InvariantCulture), line[(space + 1)..]);
    }
}
