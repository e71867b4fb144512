using System.Text;
using System.Text.Json;
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Init;
using NsPolicy.Core.Policy;
using NsPolicy.Core.Tests.Support;
using NsPolicy.Core.Validation;
using NsPolicy.Dns;
using NsPolicy.Dns.Zones;

namespace NsPolicy.Core.Tests;

/// <summary>
/// Each testdata/init/NAME.evidence.json (parents' referrals) or NAME.zone (a zone file of
/// example.com) is captured and written as `nspolicy init` would; the policy text must equal
/// NAME.out, and every policy written must load and validate with only the findings its comments announce.
/// </summary>
public sealed class InitGoldenTests
{
    private const string Folder = "tests/NsPolicy.Core.Tests/testdata/init";

    private static readonly DnsName ZoneFileOrigin = DnsName.Parse("example.com.");

    /// <summary>What `nspolicy validate` reports on the written policy: only what the policy's CHECK comments announce.</summary>
    private static readonly Dictionary<string, string[]> ExpectedValidation = new(StringComparer.Ordinal)
    {
        ["single-ns.evidence.json"] = ["POLICY_TOO_FEW_NAMESERVERS"],
        ["glue-trouble.evidence.json"] = ["POLICY_GLUE_MISSING"],
        ["zone-needs-review.zone"] = ["POLICY_GLUE_MISSING", "POLICY_TOO_FEW_NAMESERVERS"],
    };

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Repository.PathOf(Folder))
                     .Where(f => f.EndsWith(".evidence.json", StringComparison.Ordinal) || f.EndsWith(".zone", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Written_policy_matches_golden_file(string input)
    {
        Golden.Assert(Repository.PathOf(Folder, OutName(input)), await RenderAsync(input));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Written_policy_validates_with_only_the_findings_its_comments_announce(string input)
    {
        var (zones, _) = await CaptureAsync(input);
        if (!zones.Any(z => z.Captured))
        {
            return;
        }

        var display = $"{Folder}/{OutName(input)}";
        var report = await new PolicyValidator(FixedTime.Today).ValidateFileAsync(Repository.PathOf(display), display, CancellationToken.None);

        Assert.NotNull(report.Policy);
        Assert.Equal(ExpectedValidation.GetValueOrDefault(input) ?? [], report.Findings.Select(f => f.Code).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_zone_whose_referrals_agree_and_hold_what_a_policy_needs_has_no_problems()
    {
        var (zones, _) = await CaptureAsync("signed-with-glue.evidence.json");

        var zone = Assert.Single(zones);
        Assert.Empty(zone.Problems);
        Assert.Equal(["ns1.good.test.", "ns2.good.test.", "ns3.good.test."], zone.Nameservers.Select(n => n.ToString()));
        Assert.Single(zone.Ds);
    }

    [Fact]
    public async Task Ds_records_from_a_zone_file_are_those_dnssec_dsfromkey_computes_for_its_sep_keys()
    {
        var (zones, _) = await CaptureAsync("zone-signed.zone");

        // dnssec-dsfromkey -2 on the two keys with flags 257 (BIND 9.20); the zone-signing key (256) has no DS.
        Assert.Equal(
            ["12563 13 2 74C555BBA9652EAF472FFA7C9ECB99DD64A14D3A13CF63E89D2D8D9810034780", "58942 8 2 B715615D9923E86913A5B8B5F8D0D86D090CD13C5A19D79389F92FA86566840A"],
            Assert.Single(zones).Ds.Select(d => $"{d.KeyTag} {(byte)d.Algorithm} {(byte)d.DigestType} {Convert.ToHexString(d.Digest.AsSpan())}"));
    }

    [Fact]
    public void Init_caps_min_nameservers_at_the_schemas_maximum()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("schemas", "nspolicy.schema.json")));
        var definitions = schema.RootElement.GetProperty("definitions");
        var maxima = definitions.EnumerateObject()
            .Where(d => d.Value.TryGetProperty("properties", out var p) && p.TryGetProperty("min-nameservers", out _))
            .Select(d => d.Value.GetProperty("properties").GetProperty("min-nameservers").GetProperty("maximum").GetInt32())
            .ToList();

        Assert.Equal([ZonePolicy.MaxMinNameservers, ZonePolicy.MaxMinNameservers], maxima);
    }

    [Fact]
    public void The_schema_line_names_the_schema_id()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("schemas", "nspolicy.schema.json")));

        Assert.Equal(PolicyWriter.SchemaUrl, schema.RootElement.GetProperty("$id").GetString());
    }

    [Theory]
    [InlineData("true")]
    [InlineData("no")]
    [InlineData("1e5")]
    [InlineData("1.5")]
    [InlineData("12")]
    [InlineData("0x1f")]
    [InlineData("null")]
    public void Names_yaml_would_read_as_something_else_are_quoted(string label)
    {
        var zone = new ZoneBaseline
        {
            Zone = DnsName.Parse(label + "."),
            Source = "a test",
            Nameservers = [DnsName.Parse("ns1.example.net."), DnsName.Parse("ns2.example.net.")],
        };

        var text = PolicyWriter.Write([zone], PolicyWriterOptions.FromParents(null));

        Assert.Contains($"  - zone: \"{label}\"\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_a_policy_cannot_spell_are_not_written()
    {
        var name = DnsName.Parse(@"0/25.2.0.192.in-addr.arpa.");

        Assert.False(PolicyWriter.CanWrite(name));
        Assert.True(PolicyWriter.CanWrite(DnsName.Parse("xn--bcher-kva.example.")));
    }

    private static string OutName(string input) =>
        (input.EndsWith(".evidence.json", StringComparison.Ordinal) ? input[..^".evidence.json".Length] : input[..^".zone".Length]) + ".out";

    private static async Task<string> RenderAsync(string input)
    {
        var (zones, options) = await CaptureAsync(input);
        if (zones.Any(z => z.Captured))
        {
            return PolicyWriter.Write(zones, options);
        }

        var text = new StringBuilder("nothing written\n");
        foreach (var zone in zones)
        {
            foreach (var problem in zone.Problems)
            {
                text.Append(zone.Zone).Append(": ").Append(problem).Append('\n');
            }
        }

        return text.ToString();
    }

    private static async Task<(IReadOnlyList<ZoneBaseline> Zones, PolicyWriterOptions Options)> CaptureAsync(string input)
    {
        var path = Repository.PathOf(Folder, input);
        if (input.EndsWith(".zone", StringComparison.Ordinal))
        {
            var display = $"{Folder}/{input}";
            var model = ZoneModel.Load(path, display, ZoneFileOrigin);
            Assert.Empty(model.Errors);
            return ([ZoneFileBaseline.Capture(model, display, input)], PolicyWriterOptions.FromZoneFile(display));
        }

        var evidence = await EvidenceJson.LoadAsync(path, CancellationToken.None);
        return ([.. evidence.Zones.Select(ReferralBaseline.Capture)], PolicyWriterOptions.FromParents(null));
    }
}
