using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using NsPolicy.Dns.Tests.Lab;

namespace NsPolicy.Dns.Tests.LabTests;

/// <summary>
/// The lab is what Lab/README.md says it is: each test asks one lab server directly with dig
/// (+norec) or the lab's Unbound, and checks the healthy hierarchy or the fault of one zone.
/// Every dig call has its own time limit, so no test can hang.
/// </summary>
[Collection(DnsLabCollection.Name)]
public sealed partial class DnsLabTests(DnsLabFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private DnsLab Lab => fixture.Lab;

    private IPAddress TldNsd => Lab.AddressOf(LabHost.TldNsd);

    private IPAddress TldKnot => Lab.AddressOf(LabHost.TldKnot);

    [Fact]
    public async Task Root_refers_test_to_both_tld_servers_with_glue_and_ds()
    {
        var answer = await LabDig.QueryAsync(Lab.RootServerAddress, "good.test.", "SOA", ["+dnssec"], None);

        Assert.Equal("NOERROR", answer.Status);
        Assert.False(answer.HasFlag("aa"), answer.ToString());
        Assert.Equal(["a.nic.test.", "b.nic.test."], LabDigResult.Data(answer.Authority, "NS"));
        Assert.Equal([TldNsd.ToString(), TldKnot.ToString()], LabDigResult.Data(answer.Additional, "A"));
        Assert.Single(LabDigResult.OfType(answer.Authority, "DS"));
    }

    [Fact]
    public async Task Root_answers_its_own_soa_and_dnskey_with_signatures()
    {
        var answer = await LabDig.QueryAsync(Lab.RootServerAddress, ".", "DNSKEY", ["+dnssec"], None);

        Assert.Equal("NOERROR", answer.Status);
        Assert.True(answer.HasFlag("aa"), answer.ToString());
        Assert.Single(LabDigResult.OfType(answer.Answer, "DNSKEY"));
        Assert.Single(LabDigResult.OfType(answer.Answer, "RRSIG"));
    }

    [Fact]
    public async Task Both_tld_servers_serve_the_same_signed_test_zone()
    {
        var nsd = await LabDig.QueryAsync(TldNsd, "test.", "SOA", ["+dnssec"], None);
        var knot = await LabDig.QueryAsync(TldKnot, "test.", "SOA", ["+dnssec"], None);

        Assert.True(nsd.HasFlag("aa"), nsd.ToString());
        Assert.True(knot.HasFlag("aa"), knot.ToString());
        Assert.Equal(LabDigResult.OfType(nsd.Answer, "SOA"), LabDigResult.OfType(knot.Answer, "SOA"));
        Assert.Equal(LabDigResult.OfType(nsd.Answer, "RRSIG"), LabDigResult.OfType(knot.Answer, "RRSIG"));
        Assert.Single(LabDigResult.OfType(nsd.Answer, "RRSIG"));
    }

    [Theory]
    [InlineData(LabHost.TldNsd)]
    [InlineData(LabHost.TldKnot)]
    public async Task Tld_delegates_good_test_with_three_glued_nameservers_and_a_ds(LabHost tld)
    {
        var answer = await LabDig.QueryAsync(Lab.AddressOf(tld), "good.test.", "NS", ["+dnssec"], None);

        Assert.Equal("NOERROR", answer.Status);
        Assert.False(answer.HasFlag("aa"), answer.ToString());
        Assert.Equal(["ns1.good.test.", "ns2.good.test.", "ns3.good.test."], LabDigResult.Data(answer.Authority, "NS"));
        string[] glue = [.. new[] { LabHost.ChildBind, LabHost.ChildNsd, LabHost.ChildKnot }.Select(h => Lab.AddressOf(h).ToString()).Order(StringComparer.Ordinal)];
        Assert.Equal(glue, LabDigResult.Data(answer.Additional, "A"));
        Assert.Equal(Lab.Zones["good.test."].ParentDsRecords.Count, LabDigResult.OfType(answer.Authority, "DS").Count());
    }

    [Fact]
    public async Task Good_test_soa_is_answered_with_aa_by_all_its_servers()
    {
        var zone = Lab.Zones["good.test."];
        Assert.Equal(3, zone.ServerAddresses.Count);
        foreach (var server in zone.ServerAddresses)
        {
            var answer = await LabDig.QueryAsync(server, "good.test.", "SOA", None);
            Assert.Equal("NOERROR", answer.Status);
            Assert.True(answer.HasFlag("aa"), answer.ToString());
            Assert.Single(LabDigResult.OfType(answer.Answer, "SOA"));
        }
    }

    [Fact]
    public async Task Every_zone_is_answered_with_aa_by_every_server_that_loads_it()
    {
        foreach (var zone in Lab.Zones.Values)
        {
            foreach (var server in zone.ServerAddresses)
            {
                var answer = await LabDig.QueryAsync(server, zone.Name, "SOA", None);
                Assert.True(answer.Status == "NOERROR" && answer.HasFlag("aa"), zone.Name + ": " + answer);
            }
        }
    }

    [Fact]
    public async Task Lame_server_refuses_the_zone_it_is_delegated()
    {
        var lame = Lab.Zones["lame.test."].Glue["ns2.lame.test."].Single();
        var answer = await LabDig.QueryAsync(lame, "lame.test.", "SOA", None);

        Assert.Equal("REFUSED", answer.Status);
        Assert.Empty(answer.Answer);
    }

    [Theory]
    [InlineData("+notcp")]
    [InlineData("+tcp")]
    public async Task Noaa_relay_answers_without_the_aa_bit(string transport)
    {
        var relay = await LabDig.QueryAsync(Lab.AddressOf(LabHost.RelayNoAa), "noaa.test.", "SOA", [transport], None);
        var direct = await LabDig.QueryAsync(Lab.AddressOf(LabHost.ChildNsd), "noaa.test.", "SOA", [transport], None);

        Assert.Equal("NOERROR", relay.Status);
        Assert.False(relay.HasFlag("aa"), relay.ToString());
        Assert.True(direct.HasFlag("aa"), direct.ToString());
        Assert.Equal(direct.Answer, relay.Answer);
    }

    [Theory]
    [InlineData("+notcp")]
    [InlineData("+tcp")]
    public async Task Poisoning_relay_adds_an_address_outside_the_parents_authority_to_its_referral(string transport)
    {
        var relay = await LabDig.QueryAsync(Lab.AddressOf(LabHost.RelayPoison), "glue-poisoned.oob-parent.test.", "NS", [transport], None);
        var direct = await LabDig.QueryAsync(Lab.AddressOf(LabHost.ChildBind), "glue-poisoned.oob-parent.test.", "NS", [transport], None);
        var own = await LabDig.QueryAsync(Lab.AddressOf(LabHost.RelayPoison), "oob-parent.test.", "SOA", [transport], None);
        var glue = Lab.AddressOf(LabHost.ChildNsd).ToString();

        Assert.Equal(("NOERROR", false), (relay.Status, relay.HasFlag("aa")));
        Assert.Equal(["ns1.glue-poisoned.oob-parent.test.", LabCatalogue.PoisonedGlue], LabDigResult.Data(relay.Authority, "NS").Order(StringComparer.Ordinal));
        Assert.Equal(new[] { LabCatalogue.PoisonAddress(Lab.Addresses).ToString(), glue }.Order(StringComparer.Ordinal), LabDigResult.Data(relay.Additional, "A").Order(StringComparer.Ordinal));
        Assert.Equal([glue], LabDigResult.Data(direct.Additional, "A"));
        Assert.True(own.HasFlag("aa"), own.ToString());
        Assert.DoesNotContain(LabCatalogue.PoisonAddress(Lab.Addresses).ToString(), LabDigResult.Data(own.Additional, "A"));
    }

    [Fact]
    public async Task Poisoning_relay_adds_other_records_to_the_referral_of_poison_variants()
    {
        var relay = await LabDig.QueryAsync(Lab.AddressOf(LabHost.RelayPoison), "poison-variants.oob-parent.test.", "NS", ["+notcp"], None);
        var nsd = Lab.AddressOf(LabHost.ChildNsd).ToString();

        Assert.Equal(("NOERROR", false), (relay.Status, relay.HasFlag("aa")));
        Assert.Equal(new[] { Lab.Addresses.Data(98).ToString(), nsd, nsd }.Order(StringComparer.Ordinal), LabDigResult.Data(relay.Additional, "A").Order(StringComparer.Ordinal));
        Assert.Equal([LabCatalogue.PoisonAddress6(Lab.Addresses).ToString()], LabDigResult.Data(relay.Additional, "AAAA"));
    }

    [Theory]
    [InlineData("+notcp")]
    [InlineData("+tcp")]
    public async Task Echoing_relay_copies_an_unknown_edns_option_into_its_answer(string transport)
    {
        var relay = await LabDig.QueryAsync(Lab.AddressOf(LabHost.RelayEdnsEcho), "edns-echo.test.", "SOA", [transport, "+ednsopt=137"], None);
        var direct = await LabDig.QueryAsync(Lab.AddressOf(LabHost.ChildNsd), "edns-echo.test.", "SOA", [transport, "+ednsopt=137"], None);

        Assert.Equal(("NOERROR", true), (relay.Status, relay.HasFlag("aa")));
        Assert.Contains("OPT=137", relay.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("OPT=137", direct.ToString(), StringComparison.Ordinal);
        Assert.Equal(direct.Answer, relay.Answer);
    }

    [Theory]
    [InlineData("+notcp")]
    [InlineData("+tcp")]
    public async Task Opt_stripping_relay_answers_without_an_opt_record(string transport)
    {
        var relay = await LabDig.QueryAsync(Lab.AddressOf(LabHost.RelayNoOpt), "edns-no-opt.test.", "SOA", [transport, "+edns=0"], None);
        var direct = await LabDig.QueryAsync(Lab.AddressOf(LabHost.ChildNsd), "edns-no-opt.test.", "SOA", [transport, "+edns=0"], None);

        Assert.Equal(("NOERROR", true), (relay.Status, relay.HasFlag("aa")));
        Assert.Contains("OPT PSEUDOSECTION", direct.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("OPT PSEUDOSECTION", relay.ToString(), StringComparison.Ordinal);
        Assert.Equal(direct.Answer, relay.Answer);
    }

    [Theory]
    [InlineData("+notcp")]
    [InlineData("+tcp")]
    public async Task Badvers_relay_gives_the_querys_version_in_its_badvers_answer(string transport)
    {
        var relay = await LabDig.QueryAsync(Lab.AddressOf(LabHost.RelayBadvers), "edns-badvers.test.", "SOA", [transport, "+edns=1", "+noednsnegotiation"], None);
        var direct = await LabDig.QueryAsync(Lab.AddressOf(LabHost.ChildNsd), "edns-badvers.test.", "SOA", [transport, "+edns=1", "+noednsnegotiation"], None);
        var plain = await LabDig.QueryAsync(Lab.AddressOf(LabHost.RelayBadvers), "edns-badvers.test.", "SOA", [transport], None);

        Assert.Equal(("BADVERS", "BADVERS"), (relay.Status, direct.Status));
        Assert.Contains("EDNS: version: 1,", relay.ToString(), StringComparison.Ordinal);
        Assert.Contains("EDNS: version: 0,", direct.ToString(), StringComparison.Ordinal);
        Assert.Contains("EDNS: version: 0,", plain.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("+notcp")]
    [InlineData("+tcp")]
    public async Task Flag_echoing_relay_sets_the_querys_undefined_edns_flags_in_its_answer(string transport)
    {
        var relay = await LabDig.QueryAsync(Lab.AddressOf(LabHost.RelayEdnsFlags), "edns-flags.test.", "SOA", [transport, "+ednsflags=0x0001"], None);
        var direct = await LabDig.QueryAsync(Lab.AddressOf(LabHost.ChildNsd), "edns-flags.test.", "SOA", [transport, "+ednsflags=0x0001"], None);

        Assert.Equal(("NOERROR", true), (relay.Status, relay.HasFlag("aa")));
        Assert.Contains("MBZ: 0x0001", relay.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("MBZ", direct.ToString(), StringComparison.Ordinal);
        Assert.Equal(direct.Answer, relay.Answer);
    }

    [Theory]
    [InlineData(LabHost.ChildBind, "alg8.test.", "DNSKEY")]
    [InlineData(LabHost.ChildKnot, "alg8.test.", "DNSKEY")]
    [InlineData(LabHost.ChildNsd, "many-ns.test.", "NS")]
    public async Task Real_servers_keep_the_opt_record_in_an_answer_truncated_at_512_octets(LabHost host, string zone, string type)
    {
        // What CHILD_EDNS_TRUNCATED_NO_OPT expects of a healthy server (RFC 6891 §7).
        var answer = await LabDig.QueryAsync(Lab.AddressOf(host), zone, type, ["+dnssec", "+bufsize=512", "+ignore", "+nocookie"], None);

        Assert.True(answer.HasFlag("tc"), answer.ToString());
        Assert.Contains("OPT PSEUDOSECTION", answer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncating_relay_answers_a_512_octet_udp_query_truncated_without_opt_and_relays_the_rest()
    {
        var small = await LabDig.QueryAsync(Lab.AddressOf(LabHost.RelayTruncating), "edns-truncated.test.", "SOA", ["+bufsize=512", "+ignore"], None);
        var large = await LabDig.QueryAsync(Lab.AddressOf(LabHost.RelayTruncating), "edns-truncated.test.", "SOA", ["+bufsize=1232", "+ignore"], None);
        var tcp = await LabDig.QueryAsync(Lab.AddressOf(LabHost.RelayTruncating), "edns-truncated.test.", "SOA", ["+bufsize=512", "+tcp"], None);

        Assert.True(small.HasFlag("tc"), small.ToString());
        Assert.Empty(small.Answer);
        Assert.DoesNotContain("OPT PSEUDOSECTION", small.ToString(), StringComparison.Ordinal);
        Assert.False(large.HasFlag("tc"), large.ToString());
        Assert.Single(LabDigResult.OfType(large.Answer, "SOA"));
        Assert.Single(LabDigResult.OfType(tcp.Answer, "SOA"));
    }

    [Theory]
    [InlineData("+notcp", "NOERROR")]
    [InlineData("+tcp", "BADVERS")]
    public async Task Version_option_relay_passes_version_1_with_an_option_on_as_version_0_over_udp(string transport, string expected)
    {
        var both = await LabDig.QueryAsync(Lab.AddressOf(LabHost.RelayVersionOption), "edns-version-option.test.", "SOA", [transport, "+nocookie", "+edns=1", "+noednsnegotiation", "+ednsopt=137"], None);
        var version = await LabDig.QueryAsync(Lab.AddressOf(LabHost.RelayVersionOption), "edns-version-option.test.", "SOA", [transport, "+nocookie", "+edns=1", "+noednsnegotiation"], None);
        var option = await LabDig.QueryAsync(Lab.AddressOf(LabHost.RelayVersionOption), "edns-version-option.test.", "SOA", [transport, "+ednsopt=137"], None);

        Assert.Equal(expected, both.Status);
        Assert.Equal("BADVERS", version.Status);
        Assert.Equal(("NOERROR", true), (option.Status, option.HasFlag("aa")));
    }

    [Fact]
    public async Task Glue_of_glue_stale_differs_from_the_childs_own_address()
    {
        var referral = await LabDig.QueryAsync(TldNsd, "glue-stale.test.", "NS", None);
        var child = await LabDig.QueryAsync(Lab.AddressOf(LabHost.ChildBind), "ns2.glue-stale.test.", "A", None);

        Assert.Contains(referral.Additional, l => l.StartsWith("ns2.glue-stale.test.", StringComparison.Ordinal) && l.EndsWith(Lab.AddressOf(LabHost.ChildNsd).ToString(), StringComparison.Ordinal));
        Assert.Equal([Lab.AddressOf(LabHost.ChildKnot).ToString()], LabDigResult.Data(child.Answer, "A"));
        Assert.Equal([Lab.AddressOf(LabHost.ChildKnot)], Lab.ServersByName["ns2.glue-stale.test."]);
        Assert.Equal([Lab.AddressOf(LabHost.ChildNsd)], Lab.Zones["glue-stale.test."].Glue["ns2.glue-stale.test."]);
    }

    [Fact]
    public async Task Ns_mismatch_child_apex_differs_from_the_parent_delegation()
    {
        var referral = await LabDig.QueryAsync(TldKnot, "ns-mismatch.test.", "NS", None);
        var apex = await LabDig.QueryAsync(Lab.AddressOf(LabHost.ChildBind), "ns-mismatch.test.", "NS", None);

        Assert.Equal(["ns1.ns-mismatch.test.", "ns2.ns-mismatch.test."], LabDigResult.Data(referral.Authority, "NS"));
        Assert.Equal(["ns1.ns-mismatch.test.", "ns3.ns-mismatch.test."], LabDigResult.Data(apex.Answer, "NS"));
        Assert.True(apex.HasFlag("aa"), apex.ToString());
    }

    [Fact]
    public async Task Serial_skew_servers_disagree_on_the_soa_serial()
    {
        var bind = await LabDig.QueryAsync(Lab.AddressOf(LabHost.ChildBind), "serial-skew.test.", "SOA", None);
        var nsd = await LabDig.QueryAsync(Lab.AddressOf(LabHost.ChildNsd), "serial-skew.test.", "SOA", None);

        Assert.Equal("2025010101", Serial(bind));
        Assert.Equal("2025010105", Serial(nsd));
    }

    [Theory]
    [InlineData(LabHost.TldNsd)]
    [InlineData(LabHost.TldKnot)]
    public async Task Dangling_nameserver_domain_does_not_exist(LabHost tld)
    {
        var delegation = await LabDig.QueryAsync(Lab.AddressOf(tld), "dangling.test.", "NS", None);
        var target = await LabDig.QueryAsync(Lab.AddressOf(tld), "ns1.gone-provider.test.", "A", None);

        Assert.Contains("ns1.gone-provider.test.", LabDigResult.Data(delegation.Authority, "NS"));
        Assert.Equal("NXDOMAIN", target.Status);
        Assert.True(target.HasFlag("aa"), target.ToString());
    }

    [Fact]
    public async Task Cname_ns_target_is_a_cname()
    {
        var delegation = await LabDig.QueryAsync(TldNsd, "cname-ns.test.", "NS", None);
        var target = await LabDig.QueryAsync(Lab.AddressOf(LabHost.ChildKnot), "alias.provider.test.", "A", None);

        Assert.Equal(["alias.provider.test.", "ns2.provider.test."], LabDigResult.Data(delegation.Authority, "NS"));
        Assert.Equal(["ns1.provider.test."], LabDigResult.Data(target.Answer, "CNAME"));
        Assert.True(target.HasFlag("aa"), target.ToString());
    }

    [Fact]
    public async Task Ds_mismatch_parent_ds_names_a_key_the_zone_does_not_publish()
    {
        var ds = await LabDig.QueryAsync(TldNsd, "ds-mismatch.test.", "DS", None);
        var dnskey = await LabDig.QueryAsync(Lab.AddressOf(LabHost.ChildKnot), "ds-mismatch.test.", "DNSKEY", ["+multiline"], None);

        var dsTags = LabDigResult.OfType(ds.Answer, "DS").Select(l => l.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[4]).ToList();
        var keyTags = KeyIdPattern().Matches(dnskey.Command.StandardOutput).Select(m => m.Groups[1].Value).ToList();
        Assert.Single(dsTags);
        Assert.Single(keyTags);
        Assert.NotEqual(dsTags[0], keyTags[0]);
    }

    [Fact]
    public async Task Unsigned_with_ds_has_a_ds_at_the_parent_but_no_dnskey()
    {
        var ds = await LabDig.QueryAsync(TldKnot, "unsigned-with-ds.test.", "DS", None);
        var dnskey = await LabDig.QueryAsync(Lab.AddressOf(LabHost.ChildBind), "unsigned-with-ds.test.", "DNSKEY", None);

        Assert.Single(LabDigResult.OfType(ds.Answer, "DS"));
        Assert.Equal("NOERROR", dnskey.Status);
        Assert.True(dnskey.HasFlag("aa"), dnskey.ToString());
        Assert.Empty(dnskey.Answer);
    }

    [Theory]
    [InlineData(LabHost.ChildBind)]
    [InlineData(LabHost.ChildKnot)]
    public async Task Expired_sig_signatures_expired_in_2020(LabHost server)
    {
        var answer = await LabDig.QueryAsync(Lab.AddressOf(server), "expired-sig.test.", "SOA", ["+dnssec"], None);

        var signature = Assert.Single(LabDigResult.OfType(answer.Answer, "RRSIG"));
        Assert.Contains(" 20200201000000 ", signature, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Zone_transfer_of_axfr_open_is_allowed_by_bind_and_refused_by_nsd()
    {
        var open = await LabDig.QueryAsync(Lab.AddressOf(LabHost.ChildBind), "axfr-open.test.", "AXFR", None);
        var closed = await LabDig.QueryAsync(Lab.AddressOf(LabHost.ChildNsd), "axfr-open.test.", "AXFR", None);

        Assert.Equal(2, LabDigResult.OfType(open.Answer, "SOA").Count());
        Assert.Contains(open.Answer, l => l.StartsWith("ns1.axfr-open.test.", StringComparison.Ordinal));
        Assert.Empty(LabDigResult.OfType(closed.Answer, "SOA"));
        Assert.Contains("Transfer failed", closed.Command.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LabHost.ChildBind, "good.test.")]
    [InlineData(LabHost.ChildNsd, "good.test.")]
    [InlineData(LabHost.ChildKnot, "good.test.")]
    public async Task Zone_transfer_of_other_zones_is_refused(LabHost server, string zone)
    {
        var answer = await LabDig.QueryAsync(Lab.AddressOf(server), zone, "AXFR", None);

        Assert.Empty(LabDigResult.OfType(answer.Answer, "SOA"));
        Assert.Contains("Transfer failed", answer.Command.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tcp_broken_server_answers_over_udp_but_refuses_tcp()
    {
        var relay = Lab.AddressOf(LabHost.RelayUdpOnly);
        var udp = await LabDig.QueryAsync(relay, "tcp-broken.test.", "SOA", ["+notcp"], None);
        var tcp = await LabDig.QueryAsync(relay, "tcp-broken.test.", "SOA", ["+tcp"], None);

        Assert.Equal("NOERROR", udp.Status);
        Assert.True(udp.HasFlag("aa"), udp.ToString());
        Assert.Null(tcp.Status);
        Assert.Contains("connection refused", tcp.Command.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("+notcp")]
    [InlineData("+tcp")]
    public async Task Timeout_server_never_answers(string transport)
    {
        var answer = await LabDig.QueryAsync(Lab.AddressOf(LabHost.BlackHole), "timeout.test.", "SOA", [transport, "+time=1"], None);

        Assert.Null(answer.Status);
        Assert.Contains("timed out", answer.Command.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("+notcp")]
    [InlineData("+tcp")]
    public async Task Port_closed_address_refuses_connections(string transport)
    {
        var answer = await LabDig.QueryAsync(Lab.AddressOf(LabHost.Closed), "port-closed.test.", "SOA", [transport], None);

        Assert.Null(answer.Status);
        Assert.Contains("connection refused", answer.Command.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(LabHost.TldNsd)]
    [InlineData(LabHost.TldKnot)]
    public async Task Big_referral_does_not_fit_in_512_bytes(LabHost tld)
    {
        var withEdns = await LabDig.QueryAsync(Lab.AddressOf(tld), "big-referral.test.", "NS", ["+bufsize=4096", "+ignore"], None);
        var withoutEdns = await LabDig.QueryAsync(Lab.AddressOf(tld), "big-referral.test.", "NS", ["+noedns", "+ignore"], None);

        Assert.Equal(13, LabDigResult.OfType(withEdns.Authority, "NS").Count());
        Assert.Equal(13, LabDigResult.OfType(withEdns.Additional, "A").Count());
        Assert.True(withEdns.MessageSize > 512, withEdns.ToString());
        Assert.True(withoutEdns.MessageSize <= 512, withoutEdns.ToString());
        Assert.True(
            withoutEdns.HasFlag("tc") || LabDigResult.OfType(withoutEdns.Additional, "A").Count() < 13,
            "without EDNS the referral is neither truncated nor short of glue:\n" + withoutEdns);
    }

    [Theory]
    [InlineData("www.good.test.")]
    [InlineData("www.alg8.test.")]
    public async Task Resolver_validates_signed_zones(string name)
    {
        var answer = await LabDig.QueryAsync(Lab.ResolverAddress, name, "A", ["+rec", "+dnssec", "+time=5"], None);

        Assert.Equal("NOERROR", answer.Status);
        Assert.True(answer.HasFlag("ad"), answer.ToString());
        Assert.Single(LabDigResult.OfType(answer.Answer, "A"));
    }

    [Theory]
    [InlineData("no-ds.test.")]
    [InlineData("provider.test.")]
    public async Task Resolver_answers_insecure_zones_without_ad(string zone)
    {
        var answer = await LabDig.QueryAsync(Lab.ResolverAddress, zone, "SOA", ["+rec", "+dnssec", "+time=5"], None);

        Assert.Equal("NOERROR", answer.Status);
        Assert.False(answer.HasFlag("ad"), answer.ToString());
        Assert.Single(LabDigResult.OfType(answer.Answer, "SOA"));
    }

    [Theory]
    [InlineData("expired-sig.test.")]
    [InlineData("ds-mismatch.test.")]
    [InlineData("unsigned-with-ds.test.")]
    public async Task Resolver_fails_bogus_zones(string zone)
    {
        var answer = await LabDig.QueryAsync(Lab.ResolverAddress, zone, "SOA", ["+rec", "+time=5"], None);

        Assert.Equal("SERVFAIL", answer.Status);
    }

    [Fact]
    public async Task Root_hints_and_trust_anchor_describe_the_lab_root()
    {
        var hints = await File.ReadAllTextAsync(Lab.RootHintsPath, None);
        var anchor = (await File.ReadAllTextAsync(Lab.TrustAnchorPath, None)).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var served = await LabDig.QueryAsync(Lab.RootServerAddress, ".", "DNSKEY", ["+multiline"], None);

        Assert.Contains(Lab.RootServerAddress.ToString(), hints, StringComparison.Ordinal);
        Assert.Equal([".", "IN", "DS"], anchor[..3]);
        Assert.Equal("13", anchor[4]);
        Assert.Equal(anchor[3], KeyIdPattern().Match(served.Command.StandardOutput).Groups[1].Value);
    }

    [Fact]
    public void Topology_names_every_zone_of_the_readme_and_its_files()
    {
        string[] expected =
        [
            ".", "alg8.test.", "axfr-open.test.", "big-referral.test.", "cname-chain.test.", "cname-dangling.test.", "cname-ns.test.",
            "cohosted-all.test.", "cohosted-bind.oob-parent.test.", "cohosted-knot.test.", "cohosted-ns-mismatch.test.", "cohosted-unsigned.test.",
            "cohosted.test.", "cycle-a.test.", "cycle-b.test.", "dangling.test.", "deep.ent.test.", "ds-mismatch.test.", "edns-badvers.test.",
            "edns-broken.test.", "edns-echo.test.", "edns-flags.test.", "edns-no-opt.test.", "edns-truncated.test.", "edns-version-option.test.",
            "expired-apex-sig.test.", "expired-sig.test.", "glue-poisoned.oob-parent.test.", "glue-stale.test.", "good.test.",
            "kid.lame-parent.test.", "lame-parent.test.", "lame.test.", "leaf.mid.test.", "many-ns.test.", "mid.test.", "mixed-case.test.",
            "no-ds.test.", "noaa.test.", "ns-at-bound.test.", "ns-mismatch.test.", "ns-nxname.test.", "ns-over-bound.test.", "nsec3-iterations.test.",
            "oob-parent.test.", "open-recursion.test.", "poison-variants.oob-parent.test.", "port-closed.test.", "provider.test.",
            "serial-skew.test.", "short-ns-ttl.test.", "single-ns.test.", "soa-timers.test.", "tcp-broken.test.", "test.", "timeout.test.",
            "types.test.", "unsigned-with-ds.test.", "xn--bcher-kva.test.",
        ];
        string[] contentVariants =
        [
            "ed25519.test.", "ed448-apex-expired.test.", "knot-signed.test.", "ldns-signed.test.", "ns-sig-future.test.", "nsec3-500.test.",
            "nsec3-optout.test.", "nsec3-salt.test.", "sig-extra.test.", "sig-foreign-key.test.", "sig-tampered.test.", "soa-disorder.test.",
            "soa-edge-high.test.", "soa-edge-low.test.", "soa-sig-expired.test.", "soa-timers-differ.test.", "split-keys.test.", "two-algorithms.test.",
            "ns-ttl-above-sig.test.", "dnskey-sig-expired.test.", "ns-sig-expiring.test.",
        ];

        Assert.Equal(expected.Concat(contentVariants).Order(StringComparer.Ordinal), Lab.Zones.Keys.Order(StringComparer.Ordinal));
        Assert.All(Lab.Zones.Values, z => Assert.True(File.Exists(z.ZoneFilePath), z.ZoneFilePath));
        Assert.All(Lab.Zones.Values.Where(z => z.SignedZoneFilePath is not null), z => Assert.True(File.Exists(z.SignedZoneFilePath), z.SignedZoneFilePath));
        Assert.Equal(8, Lab.Zones["alg8.test."].DnssecAlgorithm);
        Assert.Equal(13, Lab.Zones["good.test."].DnssecAlgorithm);
        Assert.Equal(15, Lab.Zones["ed25519.test."].DnssecAlgorithm);
        Assert.Equal(16, Lab.Zones["ed448-apex-expired.test."].DnssecAlgorithm);
        Assert.DoesNotContain("ns1.gone-provider.test.", Lab.ServersByName.Keys);
    }

    [Fact]
    public void Readme_table_lists_every_zone_of_the_lab()
    {
        var readme = File.ReadAllText(Repository.PathOf("tests", "NsPolicy.Dns.Tests", "Lab", "README.md"));

        Assert.All(Lab.Zones.Keys, name => Assert.Contains("| `" + name + "` |", readme, StringComparison.Ordinal));
    }

    private static string Serial(LabDigResult answer) =>
        LabDigResult.OfType(answer.Answer, "SOA").Single().Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[6];

    [GeneratedRegex(@"key id = (\d+)")]
    private static partial Regex KeyIdPattern();
}
