using NsPolicy.Dns.Zones;

namespace NsPolicy.Dns.Tests.Zones;

public sealed class ZoneModelTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.com.");

    private static ZoneModel Load(string text) => ZoneModel.LoadText(text, "t.zone", Origin);

    private static string Names(IEnumerable<DnsName> names) => string.Join(" ", names.Select(n => n.ToString()));

    [Fact]
    public void Finds_the_apex_soa_nameservers_and_keys_with_their_places()
    {
        var model = Load(
            "$TTL 3600\n" +
            "@ SOA ns1 host 1 2 3 4 5\n" +
            "  7200 NS ns1\n" +
            "  NS ns.example.net.\n" +
            "@ DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==\n" +
            "ns1 A 192.0.2.1\n" +
            "ns1 AAAA 2001:db8::1\n");

        Assert.Empty(model.Errors);
        Assert.Equal(6, model.RecordCount);
        Assert.Equal("t.zone:2:1", Assert.Single(model.Soas).Position.ToString());
        Assert.Equal(["ns1.example.com. 7200 t.zone:3:3", "ns.example.net. 3600 t.zone:4:3"],
            model.ApexNameservers.Select(n => $"{n.Target} {n.Ttl} {n.Position}"));
        Assert.Equal("t.zone:5:1", Assert.Single(model.Dnskeys).Position.ToString());
        Assert.Equal(["192.0.2.1 t.zone:6:1", "2001:db8::1 t.zone:7:1"],
            model.AddressesOf(DnsName.Parse("NS1.example.com")).Select(a => $"{a.Address} {a.Position}"));
        Assert.Equal(0, model.DelegationCount);
        Assert.Empty(model.Occluded);
    }

    [Fact]
    public void A_delegation_keeps_its_nameservers_and_glue_whatever_the_record_order()
    {
        var model = Load(
            "$TTL 60\n" +
            "ns.sub A 192.0.2.9\n" +
            "sub NS ns.sub\n" +
            "sub NS ns.other.net.\n" +
            "sub NS ns.example.com.\n" +
            "ns A 192.0.2.10\n" +
            "sub DS 1 13 2 " + new string('A', 64) + "\n");

        var delegation = Assert.Single(model.Delegations);
        Assert.Equal("sub.example.com.", delegation.Cut.ToString());
        Assert.Equal("t.zone:3:1", delegation.Position.ToString());
        Assert.Equal("ns.sub.example.com. ns.other.net. ns.example.com.", Names(delegation.Nameservers.Select(n => n.Target)));
        Assert.Equal(["ns.sub.example.com. 192.0.2.9", "ns.example.com. 192.0.2.10"], delegation.Glue.Select(g => $"{g.Owner} {g.Address}"));
        Assert.Empty(model.Occluded);
    }

    [Fact]
    public void Data_below_a_cut_other_than_glue_is_occluded_at_its_first_such_record()
    {
        var model = Load(
            "$TTL 60\n" +
            "host.sub A 192.0.2.1\n" +
            "host.sub TXT \"hidden\"\n" +
            "sub NS ns.example.net.\n" +
            "sub MX 10 mail\n" +
            "deep.sub NS ns.example.net.\n" +
            "www A 192.0.2.2\n");

        Assert.Equal(["host.sub.example.com. TXT t.zone:3:1 sub.example.com.", "sub.example.com. MX t.zone:5:1 sub.example.com.", "deep.sub.example.com. NS t.zone:6:1 sub.example.com."],
            model.Occluded.Select(o => $"{o.Owner} {o.Type} {o.Position} {o.By}"));
        Assert.All(model.Occluded, o => Assert.Equal(OcclusionKind.Delegation, o.Kind));
        Assert.Equal("sub.example.com.", Names(model.Delegations.Select(d => d.Cut)));
    }

    [Fact]
    public void Cuts_and_dnames_at_different_depths_enclose_only_the_names_below_them()
    {
        // The structure pass looks only at depths where some name holds NS or DNAME records.
        var model = Load(
            "$TTL 60\n" +
            "a.b.c NS ns.example.net.\n" +
            "x.a.b.c TXT \"below the deep cut\"\n" +
            "b.c TXT \"above it\"\n" +
            "z.y.b.c TXT \"beside it\"\n" +
            "top NS ns.example.net.\n" +
            "q.r.s.top A 192.0.2.1\n" +
            "d.e DNAME t.example.net.\n" +
            "f.d.e A 192.0.2.2\n" +
            "e A 192.0.2.3\n");

        Assert.Equal(
            ["x.a.b.c.example.com. TXT a.b.c.example.com. Delegation", "q.r.s.top.example.com. A top.example.com. NotGlue", "f.d.e.example.com. A d.e.example.com. Dname"],
            model.Occluded.Select(o => $"{o.Owner} {o.Type} {o.By} {o.Kind}"));
        Assert.Equal("a.b.c.example.com. top.example.com.", Names(model.Delegations.Select(d => d.Cut)));
    }

    [Fact]
    public void Everything_below_a_dname_is_occluded_even_addresses()
    {
        var model = Load(
            "$TTL 60\n" +
            "old DNAME new.example.net.\n" +
            "old A 192.0.2.1\n" +
            "a.old A 192.0.2.2\n");

        var occluded = Assert.Single(model.Occluded);
        Assert.Equal("a.old.example.com. A t.zone:4:1 old.example.com. Dname", $"{occluded.Owner} {occluded.Type} {occluded.Position} {occluded.By} {occluded.Kind}");
    }

    [Fact]
    public void Records_outside_the_origin_are_kept_apart()
    {
        var model = Load("$TTL 60\nwww A 192.0.2.1\nwww.example.org. A 192.0.2.2\n");

        var outside = Assert.Single(model.OutOfZone);
        Assert.Equal("www.example.org. A t.zone:3:1", $"{outside.Owner} {outside.Type} {outside.Position}");
        Assert.Empty(model.AddressesOf(DnsName.Parse("www.example.org")));
    }

    [Fact]
    public void Cname_owners_list_their_cnames_and_the_first_other_record_but_not_rrsig_or_nsec()
    {
        var model = Load(
            "$TTL 60\n" +
            "a CNAME b\n" +
            "a NSEC b A\n" +
            "c TXT \"x\"\n" +
            "c CNAME b\n" +
            "c CNAME d\n");

        Assert.Equal(["a.example.com. t.zone:2:1 -", "c.example.com. t.zone:5:1,t.zone:6:1 TXT t.zone:4:1"],
            model.Cnames.Select(c => $"{c.Owner} {string.Join(",", c.Cnames)} {(c.OtherType is { } t ? $"{t} {c.OtherPosition}" : "-")}"));
        Assert.Equal("t.zone:5:1", model.CnameAt(DnsName.Parse("c.example.com"))?.ToString());
        Assert.Null(model.CnameAt(DnsName.Parse("b.example.com")));
    }

    [Fact]
    public void Errors_are_kept_and_loading_goes_on()
    {
        var model = Load("$TTL 60\nwww A 300.1.1.1\nok A 192.0.2.1\n");

        Assert.Equal("t.zone:2:7", $"{Assert.Single(model.Errors).File}:{model.Errors[0].Line}:{model.Errors[0].Column}");
        Assert.Single(model.AddressesOf(DnsName.Parse("ok.example.com")));
    }

    [Fact]
    public void Handles_many_names_and_delegations()
    {
        var text = new System.Text.StringBuilder("$TTL 60\n@ SOA ns1 host 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n");
        for (var i = 0; i < 5000; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"d{i} NS ns.d{i}\nns.d{i} A 10.0.{i / 256}.{i % 256}\n");
        }

        var model = Load(text.ToString());

        Assert.Equal(5000, model.DelegationCount);
        Assert.All(model.Delegations, d => Assert.Single(d.Glue));
        Assert.Empty(model.Occluded);
        Assert.Equal("10.0.19.135", Assert.Single(model.AddressesOf(DnsName.Parse("ns.d4999.example.com"))).Address.ToString());
    }

    [Fact]
    public void Keeps_file_order_per_name_when_a_large_zone_gives_addresses_far_from_where_names_first_appear()
    {
        // More names than one storage block holds, every delegation first, then the glue in reverse
        // order, and one address of each host added at the end: the records must be regrouped by name.
        const int count = 70_000;
        var text = new System.Text.StringBuilder("$TTL 60\n");
        for (var i = 0; i < count; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"d{i} NS ns.d{i}\n");
        }

        for (var i = count - 1; i >= 0; i--)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"ns.d{i} AAAA 2001:db8:{(i >> 12) + 1:x}:{(i & 0xfff) + 1:x}::1\n");
        }

        for (var i = 0; i < count; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"ns.d{i} A 10.{i >> 16}.{(i >> 8) & 255}.{i & 255}\n");
        }

        var model = Load(text.ToString());

        Assert.Equal(count, model.DelegationCount);
        Assert.Empty(model.NameserversWithoutAddress);
        foreach (var i in new[] { 0, 1, 65_535, 65_536, count - 1 })
        {
            // Line 1 is $TTL, lines 2.. the NS records, then the AAAA records from the last host back, then the A records.
            var aaaaLine = (2 * count) + 1 - i;
            var aLine = (2 * count) + 2 + i;
            Assert.Equal([$"2001:db8:{(i >> 12) + 1:x}:{(i & 0xfff) + 1:x}::1 t.zone:{aaaaLine}:1", $"10.{i >> 16}.{(i >> 8) & 255}.{i & 255} t.zone:{aLine}:1"],
                model.AddressesOf(DnsName.Parse($"ns.d{i}.example.com")).Select(a => $"{a.Address} {a.Position}"));
        }
    }

    [Fact]
    public void Places_occluded_data_and_a_cname_neighbour_at_the_first_such_record_even_after_other_records()
    {
        var model = Load(
            "$TTL 60\n" +
            "sub NS ns.example.net.\n" +
            "host.sub A 192.0.2.1\n" +
            "host.sub AAAA 2001:db8::1\n" +
            "host.sub MX 10 mail\n" +
            "host.sub TXT \"x\"\n" +
            "www CNAME web\n" +
            "www RRSIG A 13 3 60 20300101000000 20200101000000 1 example.com. AAAA\n" +
            "www A 192.0.2.2\n" +
            "www TXT \"y\"\n");

        Assert.Equal(["host.sub.example.com. MX t.zone:5:1"], model.Occluded.Select(o => $"{o.Owner} {o.Type} {o.Position}"));
        var cname = Assert.Single(model.Cnames);
        Assert.Equal("www.example.com. A t.zone:9:1", $"{cname.Owner} {cname.OtherType} {cname.OtherPosition}");
    }

    [Fact]
    public void Lists_nameservers_inside_the_zone_without_addresses_and_those_naming_a_cname()
    {
        var model = Load(
            "$TTL 60\n" +
            "@ NS ns1\n" +
            "@ NS ns2\n" +
            "@ NS ns.example.net.\n" +
            "ns1 A 192.0.2.1\n" +
            "sub NS ns.sub\n" +
            "sub NS ns.sub\n" +
            "sub NS alias\n" +
            "alias CNAME ns1\n" +
            "hidden.sub NS ns.nowhere\n");

        Assert.Equal(["example.com. ns2.example.com. t.zone:3:1", "sub.example.com. ns.sub.example.com. t.zone:6:1", "sub.example.com. alias.example.com. t.zone:8:1"],
            model.NameserversWithoutAddress.Select(n => $"{n.Owner} {n.Target} {n.Position}"));
        Assert.Equal(["sub.example.com. alias.example.com. t.zone:8:1"],
            model.NameserversNamingCname.Select(n => $"{n.Owner} {n.Target} {n.Position}"));
    }
}
