using NsPolicy.Core.Policy;
using NsPolicy.Core.Validation;
using NsPolicy.Dns.Tests.Lab;

namespace NsPolicy.Cli.Tests.Live;

/// <summary>
/// End to end: `nspolicy init` against the lab's real servers from the lab's root hints. The policy
/// written must state what the lab's parent publishes (NS set, glue, DS) and validate cleanly.
/// </summary>
[Collection(DnsLabCollection.Name)]
public sealed class InitLabTests(DnsLabFixture fixture)
{
    [Theory]
    [InlineData("good.test.")]      // BIND, NSD and Knot; signed, DS at the parent, glue for three in-zone servers
    [InlineData("alg8.test.")]      // BIND and Knot; signed with algorithm 8
    [InlineData("provider.test.")]  // NSD and Knot; unsigned
    [InlineData("types.test.")]     // BIND, NSD and Knot; NSEC3
    [InlineData("cohosted.test.")]  // a.nic.test serves the zone too: its answer is authoritative, the DS is asked explicitly
    [InlineData("cohosted-knot.test.")]         // the same with b.nic.test (Knot)
    [InlineData("cohosted-unsigned.test.")]     // the same, unsigned and without DS
    [InlineData("cohosted-ns-mismatch.test.")]  // a.nic.test gives the child's apex NS (ns1, ns3); the entry holds the delegation (ns1, ns2)
    [InlineData("leaf.mid.test.")]              // a.nic.test serves the grandparent, the parent and the zone
    public async Task A_healthy_lab_zone_is_captured_as_its_parent_publishes_it(string zone)
    {
        var lab = fixture.Lab;
        using var dir = new TempDirectory();

        var result = await CliRunner.RunAsync(dir.Path, "init", zone, "--root-hints", lab.RootHintsPath, "--allow-include-outside", "--output", "nspolicy.yaml");

        Assert.Equal(string.Empty, result.Stderr);
        Assert.Equal(0, result.ExitCode);
        var policy = await ValidateCleanlyAsync(Path.Combine(dir.Path, "nspolicy.yaml"));
        AssertStates(lab.Zones[zone], Assert.Single(policy.Zones));
        Assert.Equal(Path.GetRelativePath(dir.Path, lab.RootHintsPath).Replace('\\', '/'), policy.Settings.RootHints?.Value);
    }

    [Fact]
    public async Task A_zone_every_parent_server_serves_itself_is_captured_from_its_own_data_and_marked_for_a_decision()
    {
        var lab = fixture.Lab;
        using var dir = new TempDirectory();

        var result = await CliRunner.RunAsync(dir.Path, "init", "cohosted-all.test", "--root-hints", lab.RootHintsPath, "--allow-include-outside", "--output", "nspolicy.yaml");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            "nspolicy: cohosted-all.test.: every server of the parent test. that answered serves the zone itself, so the parent's own NS set and glue cannot be seen: "
            + "the entry holds the zone's own NS set and addresses as those servers give them; confirm them with the registry\n",
            result.Stderr);
        var policy = await ValidateCleanlyAsync(Path.Combine(dir.Path, "nspolicy.yaml"));
        AssertStates(lab.Zones["cohosted-all.test."], Assert.Single(policy.Zones));
    }

    [Fact]
    public async Task A_zone_delegated_to_40_names_is_written_with_the_schemas_highest_minimum_and_validates()
    {
        var lab = fixture.Lab;
        using var dir = new TempDirectory();

        File.Copy(lab.RootHintsPath, Path.Combine(dir.Path, "root.hints"));

        var init = await CliRunner.RunAsync(dir.Path, "init", "many-ns.test", "--root-hints", "root.hints", "-o", "nspolicy.yaml");
        var validate = await CliRunner.RunAsync(dir.Path, "validate");

        Assert.Equal((0, string.Empty), (init.ExitCode, init.Stderr));
        Assert.Contains("    min-nameservers: 13   # 40 nameservers exist; the schema allows at most 13\n", File.ReadAllText(Path.Combine(dir.Path, "nspolicy.yaml")), StringComparison.Ordinal);
        Assert.Equal((0, string.Empty, "0 errors, 0 warnings, 0 notices\n"), (validate.ExitCode, validate.Stderr, validate.Stdout));
    }

    [Fact]
    public async Task Check_of_a_freshly_initialised_policy_of_healthy_lab_zones_reports_nothing()
    {
        var lab = fixture.Lab;
        using var dir = new TempDirectory();

        var init = await CliRunner.RunAsync(dir.Path, "init", "good.test", "alg8.test", "provider.test", "types.test", "--root-hints", lab.RootHintsPath, "--allow-include-outside", "-o", "nspolicy.yaml");
        // The lab's root hints are outside the test's folder, which is the policy's repository.
        var check = await CliRunner.RunAsync(dir.Path, "check", "--timeout", "500ms", "--allow-include-outside");
        var explicitHints = await CliRunner.RunAsync(dir.Path, "check", "--root-hints", lab.RootHintsPath, "--timeout", "500ms", "--zone", "good.test", "--allow-include-outside");

        Assert.Equal((0, string.Empty), (init.ExitCode, init.Stderr));
        Assert.Equal(string.Empty, check.Stderr);
        Assert.Equal("0 errors, 0 warnings, 0 notices\n", check.Stdout);
        Assert.Equal(0, check.ExitCode);
        Assert.Equal((0, "0 errors, 0 warnings, 0 notices\n"), (explicitHints.ExitCode, explicitHints.Stdout));
    }

    [Fact]
    public async Task Check_of_a_policy_initialised_from_a_lab_zone_file_reports_nothing_live_or_offline()
    {
        var lab = fixture.Lab;
        using var dir = new TempDirectory();
        File.Copy(lab.Zones["good.test."].SignedZoneFilePath!, Path.Combine(dir.Path, "good.test.zone"));

        var init = await CliRunner.RunAsync(dir.Path, "init", "--zone-file", "good.test.zone", "--origin", "good.test", "-o", "nspolicy.yaml");
        var offline = await CliRunner.RunAsync(dir.Path, "check", "--offline");
        var live = await CliRunner.RunAsync(dir.Path, "check", "--root-hints", lab.RootHintsPath, "--allow-include-outside", "--timeout", "500ms");

        Assert.Equal((0, string.Empty), (init.ExitCode, init.Stderr));
        Assert.Equal((0, "0 errors, 0 warnings, 0 notices\n"), (offline.ExitCode, offline.Stdout));
        Assert.Equal(string.Empty, live.Stderr);
        Assert.Equal((0, "0 errors, 0 warnings, 0 notices\n"), (live.ExitCode, live.Stdout));
    }

    [Fact]
    public async Task Several_zones_come_out_in_dns_order_in_one_policy_with_what_needs_a_decision_marked()
    {
        var lab = fixture.Lab;
        using var dir = new TempDirectory();

        var result = await CliRunner.RunAsync(dir.Path, "init", "single-ns.test", "provider.test", "absent.test", "good.test", "www.good.test",
            "--root-hints", lab.RootHintsPath, "--allow-include-outside", "--timeout", "500ms", "-o", "nspolicy.yaml");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            [
                "nspolicy: absent.test.: not captured: the parent test. gives no delegation for it: NXDOMAIN from a.nic.test. (" + lab.AddressOf(LabHost.TldNsd) + "), b.nic.test. (" + lab.AddressOf(LabHost.TldKnot) + ")",
                "nspolicy: www.good.test.: not captured: the parent good.test. gives no delegation for it: an authoritative answer without NS records (the name is not delegated) from ns1.good.test. ("
                    + lab.AddressOf(LabHost.ChildBind) + "), ns2.good.test. (" + lab.AddressOf(LabHost.ChildNsd) + "), ns3.good.test. (" + lab.AddressOf(LabHost.ChildKnot) + ")",
                "nspolicy: single-ns.test.: only one nameserver is delegated; RFC 1034 asks for at least two",
            ],
            result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var path = Path.Combine(dir.Path, "nspolicy.yaml");
        var text = File.ReadAllText(path);
        Assert.Contains("  # absent.test: not captured: the parent test. gives no delegation for it: NXDOMAIN from", text, StringComparison.Ordinal);
        Assert.Contains("  # CHECK: only one nameserver is delegated; RFC 1034 asks for at least two\n  - zone: single-ns.test\n", text, StringComparison.Ordinal);
        // The lab's root hints, which init names in the policy, are outside the test's folder.
        var report = await new PolicyValidator(TimeProvider.System) { AllowOutside = true }.ValidateFileAsync(path, CancellationToken.None);
        Assert.Equal(["POLICY_TOO_FEW_NAMESERVERS"], report.Findings.Select(f => f.Code));
        Assert.Equal(["good.test.", "provider.test.", "single-ns.test."], report.Policy!.Zones.Select(z => z.Zone.ToString()));
        foreach (var zone in report.Policy.Zones)
        {
            AssertStates(lab.Zones[zone.Zone.ToString()], zone);
        }
    }

    [Fact]
    public async Task A_zone_file_of_a_signed_lab_zone_gives_the_policy_its_parent_gives()
    {
        var lab = fixture.Lab;
        var zone = lab.Zones["good.test."];
        using var dir = new TempDirectory();

        var fromParent = await CliRunner.RunAsync(dir.Path, "init", "good.test", "--root-hints", lab.RootHintsPath, "--allow-include-outside", "-o", "parent.yaml");
        var fromFile = await CliRunner.RunAsync(dir.Path, "init", "--zone-file", zone.SignedZoneFilePath!, "--allow-include-outside", "--origin", "good.test", "-o", "file.yaml");

        Assert.Equal((0, string.Empty), (fromParent.ExitCode, fromParent.Stderr));
        Assert.Equal((0, string.Empty), (fromFile.ExitCode, fromFile.Stderr));
        var parent = Assert.Single((await ValidateCleanlyAsync(Path.Combine(dir.Path, "parent.yaml"))).Zones);
        var file = Assert.Single((await ValidateCleanlyAsync(Path.Combine(dir.Path, "file.yaml"))).Zones);
        AssertStates(zone, file);
        Assert.Equal(Facts(parent), Facts(file));
    }

    [Fact]
    public async Task Only_the_parents_ipv4_addresses_are_asked_so_an_unused_ipv6_address_is_no_problem()
    {
        var lab = fixture.Lab;
        using var dir = new TempDirectory();
        var hints = Path.Combine(dir.Path, "root.hints");
        File.WriteAllText(hints, File.ReadAllText(lab.RootHintsPath) + "a.root-servers.test. 3600000 AAAA ::1\n");

        var result = await CliRunner.RunAsync(dir.Path, "init", "test", "--root-hints", "root.hints", "-o", "nspolicy.yaml");

        Assert.Equal((0, string.Empty), (result.ExitCode, result.Stderr));
        var text = File.ReadAllText(Path.Combine(dir.Path, "nspolicy.yaml"));
        Assert.Contains("  # test: as the root delegates it (1 of 1 server addresses gave a referral)\n", text, StringComparison.Ordinal);
        Assert.Contains("    nameservers: [a.nic.test, b.nic.test]\n", text, StringComparison.Ordinal);
        Assert.Contains("  root-hints: root.hints", text, StringComparison.Ordinal);
        var zone = Assert.Single((await ValidateCleanlyAsync(Path.Combine(dir.Path, "nspolicy.yaml"))).Zones);
        Assert.Equal(2, zone.Glue.Count);
        Assert.Equal(DnssecExpectation.Signed, zone.Dnssec.Value);
    }

    [Fact]
    public async Task A_parent_that_does_not_answer_is_reported_and_nothing_is_written()
    {
        var lab = fixture.Lab;
        using var dir = new TempDirectory();
        var hints = Path.Combine(dir.Path, "closed.hints");
        File.WriteAllText(hints, $".                    3600000 NS a.root-servers.test.\na.root-servers.test. 3600000 A  {lab.AddressOf(LabHost.Closed)}\n");

        var result = await CliRunner.RunAsync(dir.Path, "init", "good.test", "--root-hints", hints, "--timeout", "200ms", "-o", "nspolicy.yaml");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("nspolicy: good.test.: not captured: the zone above could not be found", result.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("nspolicy: no zone could be captured; nothing was written\n", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(["closed.hints"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    /// <summary>The policy entry states the lab zone's delegation: NS set, glue, DS, and the count as minimum.</summary>
    private static void AssertStates(LabZone lab, ZonePolicy policy)
    {
        Assert.Equal(lab.DelegatedNameservers.Order(StringComparer.Ordinal), policy.Nameservers.Select(n => n.Name.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(
            lab.Glue.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {string.Join(" ", g.Value.Select(a => a.ToString()).Order(StringComparer.Ordinal))}"),
            policy.Glue.OrderBy(g => g.Nameserver.ToString(), StringComparer.Ordinal).Select(g => $"{g.Nameserver} {string.Join(" ", g.Addresses.Select(a => a.Value.ToString()).Order(StringComparer.Ordinal))}"));
        Assert.Equal(lab.ParentDsRecords.Select(DsText).Order(StringComparer.Ordinal), policy.Ds.Select(d => $"{d.KeyTag} {d.Algorithm} {d.DigestType} {d.DigestHex}").Order(StringComparer.Ordinal));
        Assert.Equal(lab.DelegatedNameservers.Count, policy.MinNameservers.Value);
        Assert.Equal(lab.ParentDsRecords.Count > 0 ? DnssecExpectation.Signed : DnssecExpectation.Any, policy.Dnssec.Value);
    }

    private static string Facts(ZonePolicy zone) => string.Join(
        " | ",
        string.Join(" ", zone.Nameservers.Select(n => n.Name)),
        string.Join(" ", zone.Glue.Select(g => $"{g.Nameserver}={string.Join(",", g.Addresses.Select(a => a.Value))}")),
        string.Join(" ", zone.Ds.Select(d => $"{d.KeyTag}/{d.Algorithm}/{d.DigestType}/{d.DigestHex}")),
        zone.MinNameservers.Value,
        zone.Dnssec.Value);

    /// <summary>"good.test. 86400 IN DS 1 13 2 AB CD" as "1 13 2 ABCD".</summary>
    private static string DsText(string line)
    {
        var f = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var at = Array.FindIndex(f, t => t == "DS");
        return $"{f[at + 1]} {f[at + 2]} {f[at + 3]} {string.Concat(f[(at + 4)..]).ToUpperInvariant()}";
    }

    private static async Task<PolicyDocument> ValidateCleanlyAsync(string path)
    {
        // The lab's root hints, which init names in the policy, are outside the test's folder.
        var report = await new PolicyValidator(TimeProvider.System) { AllowOutside = true }.ValidateFileAsync(path, CancellationToken.None);
        Assert.Empty(report.Findings.Select(f => $"{f.Code}: {f.Finding.Message}"));
        return report.Policy!;
    }
}
