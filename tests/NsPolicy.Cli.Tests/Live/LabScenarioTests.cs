using System.Text.Json;
using NsPolicy.Core.Evidence;
using NsPolicy.Dns;
using NsPolicy.Dns.Tests.Lab;

namespace NsPolicy.Cli.Tests.Live;

/// <summary>
/// End to end: `nspolicy check` with the lab's root hints and a policy stating each lab zone's
/// intended delegation. Every zone must report exactly the codes of the fault it carries, each as
/// many times as it is found (a multiset), and the healthy zones nothing; findings of no zone are
/// a case of their own, and the run exits with 1 (it has errors). One run checks all zones; each
/// zone is its own test case.
/// </summary>
[Collection(DnsLabCollection.Name)]
public sealed class LabScenarioTests(DnsLabFixture fixture)
{
    private static readonly SemaphoreSlim Gate = new(1);
    /// <summary>The key of the findings that belong to no zone.</summary>
    private const string NoZone = "(no zone)";

    private static (DnsLab Lab, Dictionary<string, List<(string Code, string Message)>> Codes, CliResult Result, string Evidence)? run;

    /// <summary>Per zone: every code it reports, as often as it reports it, and the exit code of `check --zone` on it alone (its evidence replayed).</summary>
    public static TheoryData<string, string[], int?> Expected() => new()
    {
        { NoZone, [], null },
        { "good.test.", [], 0 },
        { "alg8.test.", [], 0 },
        { "provider.test.", [], 0 },
        { "types.test.", [], 0 },
        { "cohosted.test.", [], 0 },
        { "no-ds.test.", ["DNSSEC_DS_MISSING"], 1 },
        { "ds-mismatch.test.", ["DNSSEC_DS_NO_MATCHING_KEY", "RESOLVER_VALIDATION_FAILED"], 1 },
        { "unsigned-with-ds.test.", ["DNSSEC_DS_UNSIGNED_ZONE", "RESOLVER_VALIDATION_FAILED"], 1 },
        { "expired-sig.test.", ["DNSSEC_APEX_SIGNATURE_EXPIRED", "DNSSEC_APEX_SIGNATURE_EXPIRED", "DNSSEC_SIGNATURE_EXPIRED", "RESOLVER_VALIDATION_FAILED"], 1 }, // SOA and NS, DNSKEY
        { "expired-apex-sig.test.", ["DNSSEC_APEX_SIGNATURE_EXPIRED", "DNSSEC_APEX_SIGNATURE_EXPIRED", "RESOLVER_VALIDATION_FAILED"], 1 }, // SOA and NS
        { "nsec3-iterations.test.", ["DNSSEC_NSEC3_ITERATIONS"], 1 },
        { "soa-timers.test.", ["CHILD_SOA_TIMERS", "CHILD_SOA_TIMERS", "CHILD_SOA_TIMERS", "CHILD_SOA_TIMERS"], 0 }, // refresh, retry, expire, minimum
        { "open-recursion.test.", ["CHILD_OPEN_RECURSION"], 0 },
        // Held-out variants of the zone-content checks (LabContentVariants).
        { "soa-sig-expired.test.", ["DNSSEC_APEX_SIGNATURE_EXPIRED"], 1 },
        { "ns-sig-future.test.", ["DNSSEC_APEX_SIGNATURE_EXPIRED"], 1 }, // Unbound accepts it: its clock-skew allowance (val-sig-skew-max) is a day
        { "dnskey-sig-expired.test.", ["DNSSEC_SIGNATURE_EXPIRED", "RESOLVER_VALIDATION_FAILED"], 1 },
        { "ns-sig-expiring.test.", ["DNSSEC_APEX_SIGNATURE_EXPIRING"], 0 },
        { "sig-foreign-key.test.", ["DNSSEC_APEX_SIGNATURE_INVALID"], 1 },
        { "sig-tampered.test.", ["DNSSEC_APEX_SIGNATURE_INVALID"], 1 },
        { "sig-extra.test.", [], 0 },
        { "split-keys.test.", [], 0 },
        { "two-algorithms.test.", [], 0 },
        { "ns-ttl-above-sig.test.", [], 0 },
        { "ed25519.test.", [], 0 },
        { "ed448-apex-expired.test.", ["DNSSEC_APEX_SIGNATURE_EXPIRED", "DNSSEC_APEX_SIGNATURE_EXPIRED", "RESOLVER_VALIDATION_FAILED"], 1 }, // SOA and NS
        { "ldns-signed.test.", [], 0 },
        { "knot-signed.test.", [], 0 },
        { "nsec3-salt.test.", ["DNSSEC_NSEC3_SALT"], 0 },
        { "nsec3-optout.test.", [], 0 },
        { "nsec3-500.test.", ["DNSSEC_NSEC3_ITERATIONS"], 1 },
        { "soa-edge-low.test.", [], 0 },
        { "soa-edge-high.test.", [], 0 },
        { "soa-timers-differ.test.", ["CHILD_SOA_TIMERS", "CHILD_SOA_TIMERS", "CHILD_SOA_TIMERS", "CHILD_SOA_TIMERS", "CHILD_SOA_TIMERS"], 0 }, // refresh, retry, expire once; minimum 60 (BIND) and 30 (NSD)
        { "soa-disorder.test.", ["CHILD_SOA_TIMERS", "CHILD_SOA_TIMERS", "CHILD_SOA_TIMERS"], 0 }, // retry, expire, minimum
        { "edns-broken.test.", ["CHILD_EDNS_OPTION", "CHILD_EDNS_VERSION"], 0 },
        { "edns-echo.test.", ["CHILD_EDNS_OPTION_ECHOED"], 0 },
        { "edns-no-opt.test.", ["CHILD_EDNS_NO_OPT", "CHILD_EDNS_VERSION"], 0 }, // BADVERS without its OPT record reads as NOERROR
        { "edns-badvers.test.", ["CHILD_EDNS_BADVERS_RESPONSE"], 0 },
        { "edns-flags.test.", ["CHILD_EDNS_FLAGS"], 0 },
        { "edns-truncated.test.", ["CHILD_EDNS_TRUNCATED_NO_OPT"], 0 },
        { "edns-version-option.test.", ["CHILD_EDNS_VERSION_OPTION"], 0 },
        { "lame.test.", ["CHILD_LAME"], 1 },
        { "noaa.test.", ["CHILD_LAME"], 1 },
        { "glue-stale.test.", ["CHILD_ADDRESS_MISMATCH"], 1 },
        { "ns-mismatch.test.", ["CHILD_NS_MISMATCH_PARENT", "CHILD_NS_MISMATCH_POLICY", "NS_UNRESOLVABLE"], 1 },
        { "serial-skew.test.", ["CHILD_SOA_SERIAL_MISMATCH"], 0 },
        { "dangling.test.", ["NS_DOMAIN_MISSING", "NS_TOO_FEW_ADDRESSES"], 1 },
        { "cname-ns.test.", ["NS_CNAME"], 1 },
        { "axfr-open.test.", ["CHILD_AXFR_OPEN"], 0 },
        { "tcp-broken.test.", ["CHILD_TCP_UNREACHABLE"], 1 },
        { "timeout.test.", ["CHILD_UNREACHABLE"], 1 },
        { "port-closed.test.", ["CHILD_UNREACHABLE"], 1 },
        { "big-referral.test.", ["PARENT_REFERRAL_TOO_LARGE"], 0 },
        { "short-ns-ttl.test.", ["NS_TTL_OUT_OF_RANGE"], 0 },
        { "single-ns.test.", ["NS_TOO_FEW", "NS_TOO_FEW_ADDRESSES", "POLICY_TOO_FEW_NAMESERVERS"], 1 },
        { "many-ns.test.", ["NS_TOO_MANY", "PARENT_REFERRAL_TOO_LARGE"], 0 },
        { "oob-parent.test.", [], 0 },
        { "glue-poisoned.oob-parent.test.", ["PARENT_GLUE_OUT_OF_BAILIWICK"], 0 },
        // Held-out variants: the same faults on other servers and in other shapes.
        { "cohosted-knot.test.", [], 0 },
        { "cohosted-unsigned.test.", [], 0 },
        { "cohosted-all.test.", ["NS_SAME_PREFIX"], 0 }, // its two servers are the TLD's, 127.20.1.1 and .2
        { "cohosted-ns-mismatch.test.", ["CHILD_NS_MISMATCH_PARENT", "CHILD_NS_MISMATCH_POLICY", "NS_UNRESOLVABLE"], 1 }, // as ns-mismatch.test: no PARENT_SERVERS_DISAGREE, PARENT_NS_MISMATCH or PARENT_GLUE_MISSING from the co-hosting server's child view
        { "mid.test.", [], 0 },
        { "leaf.mid.test.", [], 0 },
        { "ns-at-bound.test.", ["PARENT_REFERRAL_TOO_LARGE"], 0 },
        { "ns-over-bound.test.", ["NS_TOO_MANY", "PARENT_REFERRAL_TOO_LARGE"], 0 },
        { "ns-nxname.test.", ["NS_UNRESOLVABLE"], 1 }, // not NS_DOMAIN_MISSING: provider.test exists
        { "mixed-case.test.", [], 0 },
        { "deep.ent.test.", [], 0 }, // its parent is test., two labels up
        { "xn--bcher-kva.test.", [], 0 },
        { "lame-parent.test.", ["CHILD_LAME"], 1 },
        { "kid.lame-parent.test.", ["PARENT_LAME"], 0 }, // one of its parent's two servers answers REFUSED
        { "poison-variants.oob-parent.test.", ["PARENT_GLUE_OUT_OF_BAILIWICK", "PARENT_GLUE_OUT_OF_BAILIWICK"], 0 }, // ns2.provider.test (AAAA only, mixed case) and ns1.elsewhere.; the upper-case copy of ns1's glue is glue
        { "cohosted-bind.oob-parent.test.", [], 0 }, // BIND serves its parent and the zone: every parent server answers for it itself
        { "cycle-a.test.", ["NS_UNRESOLVABLE", "NS_UNRESOLVABLE", "RESOLVER_VALIDATION_FAILED"], 1 }, // cyclic glueless delegation: no nameserver can be found, and Unbound answers SERVFAIL
        { "cycle-b.test.", ["NS_UNRESOLVABLE", "NS_UNRESOLVABLE", "RESOLVER_VALIDATION_FAILED"], 1 },
        { "cname-chain.test.", ["NS_CNAME"], 1 },
        { "cname-dangling.test.", ["NS_CNAME", "NS_DOMAIN_MISSING", "NS_TOO_FEW_ADDRESSES"], 1 }, // the alias's target is in a domain that does not exist
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public async Task Lab_zone_reports_exactly_the_codes_of_its_fault(string zone, string[] codes, int? exitCode)
    {
        var (lab, reported, result, saved) = await RunAsync();

        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}: {result.Stderr}");
        var found = reported.GetValueOrDefault(zone, []);
        Assert.True(
            codes.Order(StringComparer.Ordinal).SequenceEqual(found.Select(f => f.Code).Order(StringComparer.Ordinal)),
            $"expected [{string.Join(", ", codes)}], found:\n{string.Join("\n", found.Select(f => $"{f.Code}: {f.Message}"))}");
        if (exitCode is null)
        {
            return;
        }

        // The zone alone, judged again from its evidence of this run by the real command: its exit code.
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "nspolicy.yaml"), LabPolicy.Yaml(lab, [zone]));
        var all = EvidenceJson.Deserialize(saved, "evidence.json");
        File.WriteAllText(Path.Combine(dir.Path, "evidence.json"), EvidenceJson.Serialize(all with { Zones = [.. all.Zones.Where(z => z.Zone == DnsName.Parse(zone))] }));
        var alone = await CliRunner.RunAsync(dir.Path, "check", "--evidence", "evidence.json", "--zone", zone);
        Assert.True(exitCode == alone.ExitCode, $"exit {alone.ExitCode}, expected {exitCode}\n{alone.Stdout}{alone.Stderr}");
    }

    [Fact]
    public async Task A_poisoned_out_of_bailiwick_address_is_recorded_and_never_asked()
    {
        var (lab, _, _, saved) = await RunAsync();
        var evidence = EvidenceJson.Deserialize(saved, "evidence.json");
        var zone = evidence.Find(DnsName.Parse("glue-poisoned.oob-parent.test."))!;
        var poison = LabCatalogue.PoisonAddress(lab.Addresses);
        var poisoned = DnsName.Parse(LabCatalogue.PoisonedGlue);

        // The relay (oob-parent.test's ns1) handed it out; BIND (ns2) did not.
        Assert.Equal(
            [lab.AddressOf(LabHost.ChildBind).ToString(), lab.AddressOf(LabHost.RelayPoison).ToString()],
            zone.Parent.Servers.Select(s => s.Address.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal([poison], zone.Parent.OutOfBailiwickGlue[poisoned]);
        Assert.Contains(new GlueAddress(poisoned, poison), Assert.Single(zone.Parent.Servers, s => s.Address.Equals(lab.AddressOf(LabHost.RelayPoison))).AddressRecords);

        // Never asked: no query went to it, and the name was asked at its real address (Knot, from provider.test).
        var nameserver = Assert.Single(zone.Nameservers, n => n.Name == poisoned);
        Assert.Equal([lab.AddressOf(LabHost.ChildKnot)], nameserver.Servers.Select(s => s.Address));
        Assert.DoesNotContain(evidence.Zones.SelectMany(z => z.Nameservers).SelectMany(n => n.Servers), s => s.Address.Equals(poison));
        Assert.DoesNotContain(evidence.Zones.SelectMany(z => z.Parent.Servers), s => s.Address.Equals(poison));
    }

    [Fact]
    public async Task Poisoned_records_of_every_kind_are_recorded_and_never_asked_and_glue_in_upper_case_is_glue()
    {
        var (lab, _, _, saved) = await RunAsync();
        var evidence = EvidenceJson.Deserialize(saved, "evidence.json");
        var zone = evidence.Find(DnsName.Parse("poison-variants.oob-parent.test."))!;
        var poisoned = DnsName.Parse(LabCatalogue.PoisonedGlue);
        var foreign = DnsName.Parse(LabCatalogue.PoisonedForeign);
        var ns1 = DnsName.Parse("ns1.poison-variants.oob-parent.test.");

        Assert.Equal([LabCatalogue.PoisonAddress6(lab.Addresses)], zone.Parent.OutOfBailiwickGlue[poisoned]);
        Assert.Equal([lab.Addresses.Data(98)], zone.Parent.OutOfBailiwickGlue[foreign]);
        Assert.Equal([lab.AddressOf(LabHost.ChildNsd)], zone.Parent.UsableGlue[ns1]);
        Assert.Equal([lab.AddressOf(LabHost.ChildKnot)], Assert.Single(zone.Nameservers, n => n.Name == poisoned).Servers.Select(s => s.Address));
        Assert.DoesNotContain(zone.Nameservers, n => n.Name == foreign);
        Assert.DoesNotContain(evidence.Zones.SelectMany(z => z.Nameservers).SelectMany(n => n.Servers), s => s.Address.Equals(lab.Addresses.Data(98)));
    }

    [Fact]
    public async Task Sibling_glue_from_the_parent_is_glue_and_asked_not_out_of_bailiwick()
    {
        var (lab, _, _, saved) = await RunAsync();
        var zone = EvidenceJson.Deserialize(saved, "evidence.json").Find(DnsName.Parse("cname-ns.test."))!;
        var sibling = DnsName.Parse("ns2.provider.test.");

        // test. hands out provider.test's glue with the referral for cname-ns.test: inside its authority.
        Assert.Equal([lab.AddressOf(LabHost.ChildKnot)], zone.Parent.UsableGlue[sibling]);
        Assert.Empty(zone.Parent.OutOfBailiwickGlue);
        Assert.Contains(AddressSource.Glue, Assert.Single(Assert.Single(zone.Nameservers, n => n.Name == sibling).Servers).Sources);
    }

    [Fact]
    public async Task A_zone_one_name_over_the_bound_says_which_name_was_not_asked()
    {
        var (_, reported, _, _) = await RunAsync();

        Assert.Equal(
            "zone ns-over-bound.test. names 33 nameservers; 32 were asked and 1 was not: n33.provider.test.",
            Assert.Single(reported["ns-over-bound.test."], f => f.Code == "NS_TOO_MANY").Message);
    }

    [Fact]
    public async Task Every_zone_that_reported_a_finding_has_an_expectation()
    {
        var (_, reported, _, _) = await RunAsync();
        var expected = Expected().Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);

        Assert.All(reported.Keys, z => Assert.Contains(z, expected));
    }

    [Fact]
    public async Task Every_child_zone_of_the_lab_has_an_expectation()
    {
        var (lab, _, _, _) = await RunAsync();
        var expected = Expected().Select(row => (string)row[0]).Where(z => z != NoZone).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(ChildZones(lab).Order(StringComparer.Ordinal), expected.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("cohosted.test.", LabHost.TldNsd)]
    [InlineData("cohosted-knot.test.", LabHost.TldKnot)]
    [InlineData("cohosted-unsigned.test.", LabHost.TldNsd)]
    public async Task A_parent_server_that_serves_the_child_is_recorded_and_asked_for_the_DS(string name, LabHost cohost)
    {
        var (lab, _, _, saved) = await RunAsync();
        var evidence = EvidenceJson.Deserialize(saved, "evidence.json");
        var zone = evidence.Find(DnsName.Parse(name))!;

        var cohosting = Assert.Single(zone.Parent.Servers, s => s.ServesChild);
        var referring = Assert.Single(zone.Parent.Servers, s => !s.ServesChild);
        Assert.Equal(lab.AddressOf(cohost), cohosting.Address);
        Assert.NotNull(cohosting.DsQuery);
        Assert.Null(referring.DsQuery);
        Assert.Equal(lab.Zones[name].ParentDsRecords.Count, cohosting.Ds.Count);
        Assert.Equal(referring.Ds, cohosting.Ds);
    }

    [Fact]
    public async Task A_parent_server_that_serves_a_child_whose_apex_NS_differs_gives_the_childs_view_not_the_delegation()
    {
        var (_, _, _, saved) = await RunAsync();
        var evidence = EvidenceJson.Deserialize(saved, "evidence.json");
        var zone = evidence.Find(DnsName.Parse("cohosted-ns-mismatch.test."))!;

        var cohosting = Assert.Single(zone.Parent.Servers, s => s.ServesChild);
        Assert.Equal(["ns1.cohosted-ns-mismatch.test.", "ns3.cohosted-ns-mismatch.test."], cohosting.Nameservers.Select(n => n.ToString()));
        Assert.Equal(["ns1.cohosted-ns-mismatch.test.", "ns2.cohosted-ns-mismatch.test."], zone.Parent.Nameservers.Select(n => n.ToString()));
        Assert.False(zone.Parent.OnlyChildViews);
        Assert.True(evidence.Find(DnsName.Parse("cohosted-all.test."))!.Parent.OnlyChildViews);
    }

    [Fact]
    public async Task Ipv6_on_asks_IPv6_and_finds_no_nameserver_with_an_IPv6_address_while_settings_ipv6_off_silences_it()
    {
        var lab = fixture.Lab;
        using var dir = new TempDirectory();
        var policy = Path.Combine(dir.Path, "nspolicy.yaml");
        File.WriteAllText(policy, LabPolicy.Yaml(lab, ["good.test."]));

        var on = await CliRunner.RunAsync(dir.Path, "check", "--root-hints", lab.RootHintsPath, "--ipv6", "on");
        File.WriteAllText(policy, LabPolicy.Yaml(lab, ["good.test."]).Replace("  retries: 1\n", "  retries: 1\n  ipv6: off\n", StringComparison.Ordinal));
        var off = await CliRunner.RunAsync(dir.Path, "check", "--root-hints", lab.RootHintsPath);
        var wrong = await CliRunner.RunAsync(dir.Path, "check", "--root-hints", lab.RootHintsPath, "--ipv6", "sometimes");

        Assert.Equal(0, on.ExitCode);
        Assert.EndsWith("notice: no nameserver of zone good.test. has an IPv6 address [NS_NO_IPV6]\n0 errors, 0 warnings, 1 notice\n", on.Stdout, StringComparison.Ordinal);
        Assert.Equal((0, "0 errors, 0 warnings, 0 notices\n"), (off.ExitCode, off.Stdout));
        Assert.Equal(2, wrong.ExitCode);
    }

    [Fact]
    public async Task Pre_delegation_check_of_a_healthy_zone_through_the_policy_glue_reports_nothing()
    {
        var lab = fixture.Lab;
        using var dir = new TempDirectory();
        var policy = Path.Combine(dir.Path, "nspolicy.yaml");
        File.WriteAllText(policy, LabPolicy.Yaml(lab, ["good.test."]));

        var result = await CliRunner.RunAsync(dir.Path, "check", "--root-hints", lab.RootHintsPath, "--target", "policy");

        Assert.Equal(string.Empty, result.Stderr);
        Assert.Equal("0 errors, 0 warnings, 0 notices\n", result.Stdout);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Saved_lab_evidence_replays_to_the_same_report()
    {
        var (lab, _, result, saved) = await RunAsync();
        using var dir = new TempDirectory();
        var policy = Path.Combine(dir.Path, "nspolicy.yaml");
        File.WriteAllText(policy, LabPolicy.Yaml(lab, ChildZones(lab)));
        var evidence = Path.Combine(dir.Path, "evidence.json");
        File.WriteAllText(evidence, saved);

        var replay = await CliRunner.RunAsync(dir.Path, "check", "--evidence", evidence, "--format", "json");

        Assert.Equal(result.Stdout, replay.Stdout);
    }

    private static IEnumerable<string> ChildZones(DnsLab lab) =>
        lab.Zones.Keys.Where(z => z != "." && z != "test.");

    private async Task<(DnsLab Lab, Dictionary<string, List<(string Code, string Message)>> Codes, CliResult Result, string Evidence)> RunAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (run is { } done && ReferenceEquals(done.Lab, fixture.Lab))
            {
                return done;
            }

            var lab = fixture.Lab;
            using var dir = new TempDirectory();
            File.WriteAllText(Path.Combine(dir.Path, "nspolicy.yaml"), LabPolicy.Yaml(lab, ChildZones(lab)));
            var result = await CliRunner.RunAsync(dir.Path, "check", "--root-hints", lab.RootHintsPath, "--format", "json", "--save-evidence", "evidence.json");
            using var json = JsonDocument.Parse(result.Stdout);
            var codes = json.RootElement.GetProperty("findings").EnumerateArray()
                .GroupBy(f => f.TryGetProperty("zone", out var zone) && zone.GetString() is { } name ? name : NoZone)
                .ToDictionary(g => g.Key, g => g.Select(f => (f.GetProperty("code").GetString()!, f.GetProperty("message").GetString()!)).ToList(), StringComparer.Ordinal);
            run = (lab, codes, result, File.ReadAllText(Path.Combine(dir.Path, "evidence.json")));
            return run.Value;
        }
        finally
        {
            Gate.Release();
        }
    }
}
