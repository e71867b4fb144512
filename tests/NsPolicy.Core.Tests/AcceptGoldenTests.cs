using System.Globalization;
using System.Text;
using NsPolicy.Core.Accept;
using NsPolicy.Core.Checks;
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Init;
using NsPolicy.Core.Policy;
using NsPolicy.Core.Tests.Support;
using NsPolicy.Core.Validation;
using NsPolicy.Core.Yaml;

namespace NsPolicy.Core.Tests;

/// <summary>
/// Each testdata/accept/NAME.yaml is a policy that has drifted from the lab's live delegation
/// (lab.evidence.json: alg8.test., good.test. and provider.test. recorded from the lab, all healthy).
/// For every zone, what `check --open-pr` proposes — nothing, the rewritten policy and its pull
/// request, or why not — must equal NAME.out. Every rewritten policy must differ from the input only
/// inside that zone's entry, validate, and make the live checks clean for that zone.
/// </summary>
public sealed class AcceptGoldenTests
{
    private const string Folder = "tests/NsPolicy.Core.Tests/testdata/accept";

    public static TheoryData<string> Cases() => Golden.Cases(Folder, ".yaml");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Proposals_match_golden_file(string name)
    {
        var text = new StringBuilder();
        foreach (var proposal in await ProposeAllAsync(await ReadAsync(name)))
        {
            text.Append(CultureInfo.InvariantCulture, $"== {proposal.Zone}: {proposal.Kind.ToString().ToLowerInvariant()}");
            text.Append(proposal.Reason is null ? "\n" : $": {proposal.Reason}\n");
            if (proposal is { Kind: ProposalKind.Drifted, Drift: { } drift, Policy: { } policy })
            {
                text.Append("-- policy\n").Append(Encoding.UTF8.GetString(policy));
                text.Append("-- pull request: ").Append(AcceptanceBody.Title(drift)).Append('\n');
                text.Append(AcceptanceBody.Render(drift, $"{name}.yaml", new DriftIssue(12, new DateTimeOffset(2026, 11, 20, 6, 30, 0, TimeSpan.Zero))));
            }
        }

        Golden.Assert(Repository.PathOf(Folder, name + ".out"), text.ToString());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_rewritten_policy_differs_only_inside_the_zones_entry(string name)
    {
        var original = await ReadAsync(name);
        var text = Encoding.UTF8.GetString(original);
        foreach (var proposal in (await ProposeAllAsync(original)).Where(p => p.Kind == ProposalKind.Drifted))
        {
            var rewritten = Encoding.UTF8.GetString(proposal.Policy!);
            var (entryStart, entryEnd) = EntryLines(text, proposal.Zone.ToString());
            var prefix = CommonPrefix(text, rewritten);
            var suffix = CommonSuffix(text, rewritten, prefix);
            Assert.True(prefix >= entryStart, $"{proposal.Zone}: the change starts at {prefix}, before its entry ({entryStart})");
            Assert.True(text.Length - suffix <= entryEnd, $"{proposal.Zone}: the change ends at {text.Length - suffix}, after its entry ({entryEnd})");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_rewritten_policy_validates_and_makes_the_zone_clean(string name)
    {
        var evidence = await EvidenceAsync();
        var original = await ReadAsync(name);
        var before = await ValidateAsync(original);
        foreach (var proposal in (await ProposeAllAsync(original)).Where(p => p.Kind == ProposalKind.Drifted))
        {
            var after = await ValidateAsync(proposal.Policy!);
            Assert.NotNull(after.Policy);
            var newErrors = after.Findings.Where(f => f.Severity == Findings.Severity.Error).Select(f => $"{f.Code} {f.Finding.Zone}")
                .Except(before.Findings.Where(f => f.Severity == Findings.Severity.Error).Select(f => $"{f.Code} {f.Finding.Zone}"));
            Assert.Empty(newErrors);
            var zone = proposal.Zone.ToString();
            Assert.Empty(after.Findings.Where(f => f.Finding.Zone?.ToString() == zone).Select(f => f.Code)
                .Except(before.Findings.Where(f => f.Finding.Zone?.ToString() == zone).Select(f => f.Code)));

            var live = LiveJudge.Judge(after.Policy, evidence with { Zones = [evidence.Find(proposal.Zone)!] }, LiveCheckSettings.Default);
            Assert.Empty(live.Select(f => $"{f.Code}: {f.Message}"));
        }
    }

    [Fact]
    public async Task Line_breaks_and_byte_order_mark_are_kept()
    {
        var lf = await ReadAsync("two-zones-moved");
        var crlf = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(lf).Replace("\n", "\r\n", StringComparison.Ordinal))).ToArray();
        var evidence = await EvidenceAsync();
        var zone = evidence.Find(Dns.DnsName.Parse("good.test."))!;

        var fromLf = await PolicyProposal.CreateAsync("p.yaml", lf, zone.Zone, ReferralBaseline.Capture(zone), CancellationToken.None);
        var fromCrlf = await PolicyProposal.CreateAsync("p.yaml", crlf, zone.Zone, ReferralBaseline.Capture(zone), CancellationToken.None);

        Assert.Equal(ProposalKind.Drifted, fromCrlf.Kind);
        var expected = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(fromLf.Policy!).Replace("\n", "\r\n", StringComparison.Ordinal)));
        Assert.Equal(expected, fromCrlf.Policy!);
    }

    [Fact]
    public async Task A_proposal_applied_to_its_own_result_finds_nothing_more_to_change()
    {
        var evidence = await EvidenceAsync();
        foreach (var name in new[] { "two-zones-moved", "nameserver-sets", "glue-ds-dnssec" })
        {
            foreach (var proposal in (await ProposeAllAsync(await ReadAsync(name))).Where(p => p.Kind == ProposalKind.Drifted))
            {
                var zone = evidence.Find(proposal.Zone)!;
                var again = await PolicyProposal.CreateAsync("p.yaml", proposal.Policy!, zone.Zone, ReferralBaseline.Capture(zone), CancellationToken.None);
                Assert.Equal(ProposalKind.Matches, again.Kind);
            }
        }
    }

    private static async Task<List<PolicyProposal>> ProposeAllAsync(byte[] policy)
    {
        var evidence = await EvidenceAsync();
        var proposals = new List<PolicyProposal>();
        foreach (var zone in evidence.Zones)
        {
            proposals.Add(await PolicyProposal.CreateAsync("policy.yaml", policy, zone.Zone, ReferralBaseline.Capture(zone), CancellationToken.None));
        }

        return proposals;
    }

    private static Task<DelegationEvidence> EvidenceAsync() =>
        EvidenceJson.LoadAsync(Repository.PathOf(Folder, "lab.evidence.json"), CancellationToken.None);

    private static Task<byte[]> ReadAsync(string name) => File.ReadAllBytesAsync(Repository.PathOf(Folder, name + ".yaml"));

    private static async Task<ValidationReport> ValidateAsync(byte[] policy)
    {
        var directory = Directory.CreateTempSubdirectory("nspolicy-accept-");
        try
        {
            var path = Path.Combine(directory.FullName, "nspolicy.yaml");
            await File.WriteAllBytesAsync(path, policy);
            return await new PolicyValidator(FixedTime.Today).ValidateFileAsync(path, "nspolicy.yaml", CancellationToken.None);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The text from the start of the zone's entry line to the end of its last line, from the reader's positions.</summary>
    private static (int Start, int End) EntryLines(string text, string zone)
    {
        var zones = (YamlSequence)((YamlMapping)YamlTreeReader.Read(text)!)["zones"]!;
        var entry = zones.Items.OfType<YamlMapping>().Single(m => Dns.DnsName.Parse(((YamlScalar)m["zone"]!).Value).ToString() == zone);
        var start = text.LastIndexOf('\n', entry.Span.Start) + 1;
        var end = text.IndexOf('\n', entry.Span.End - 1);
        return (start, end < 0 ? text.Length : end + 1);
    }

    private static int CommonPrefix(string a, string b)
    {
        var n = 0;
        while (n < a.Length && n < b.Length && a[n] == b[n])
        {
            n++;
        }

        return n;
    }

    private static int CommonSuffix(string a, string b, int prefix)
    {
        var n = 0;
        while (n < a.Length - prefix && n < b.Length - prefix && a[^(n + 1)] == b[^(n + 1)])
        {
            n++;
        }

        return n;
    }
}
