namespace NsPolicy.Dns.Tests;

public sealed class DnsNameTests
{
    [Theory]
    [InlineData(".", ".")]
    [InlineData("com", "com.")]
    [InlineData("com.", "com.")]
    [InlineData("WWW.Example.COM", "www.example.com.")]
    [InlineData("www.example.com.", "www.example.com.")]
    [InlineData("a\\.b.example", "a\\.b.example.")]
    [InlineData("a\\046b.example", "a\\.b.example.")]
    [InlineData("\\065bc.example", "abc.example.")]
    [InlineData("sp\\032ace.example", "sp\\032ace.example.")]
    [InlineData("sp\\ ace.example", "sp\\032ace.example.")]
    [InlineData("nul\\000.example", "nul\\000.example.")]
    [InlineData("hi\\255.example", "hi\\255.example.")]
    [InlineData("back\\\\slash.example", "back\\\\slash.example.")]
    [InlineData("q\\\"uote.example", "q\\\"uote.example.")]
    [InlineData("\\@.example", "\\@.example.")]
    [InlineData("_dmarc._tcp.example", "_dmarc._tcp.example.")]
    [InlineData("*.example", "*.example.")]
    [InlineData("bücher.example", "xn--bcher-kva.example.")]
    [InlineData("Bücher.example", "xn--bcher-kva.example.")]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example.")]
    [InlineData("例え。テスト", "xn--r8jz45g.xn--zckzah.")]
    [InlineData("münchen.de", "xn--mnchen-3ya.de.")]
    public void Parses_presentation_text_to_canonical_form(string text, string expected)
    {
        Assert.Equal(expected, DnsName.Parse(text).ToString());
    }

    [Theory]
    [InlineData("", "name is empty")]
    [InlineData("..", "empty label at position 1")]
    [InlineData(".example", "empty label at position 1")]
    [InlineData("a..example", "empty label at position 3")]
    [InlineData("example..", "empty label at position 9")]
    [InlineData("abc\\", "ends with a lone backslash")]
    [InlineData("a\\1", "needs three decimal digits")]
    [InlineData("a\\12x.b", "needs three decimal digits")]
    [InlineData("a\\256.b", "is above 255")]
    [InlineData("\\0ü.b", "needs three decimal digits")]
    [InlineData("x\\.ü.b", "mixes backslash escapes with non-ASCII characters")]
    [InlineData("-ü.example", "not a valid internationalised domain name label: it starts or ends with a hyphen")]
    [InlineData("üü--x.example", "hyphens in the third and fourth positions")]
    [InlineData("\u0301ü.example", "it starts with a combining mark")]
    [InlineData("ü\u0001.example", "it contains a control character")]
    [InlineData("ü\u3000x.example", "it contains white space")]
    [InlineData("\u0627ü.example", "Left to right characters may not be mixed with right to left characters")]
    public void Rejects_malformed_text_with_a_plain_reason(string text, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => DnsName.Parse(text));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.False(DnsName.TryParse(text, out var name, out var error));
        Assert.Null(name);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_label_longer_than_63_octets_and_names_it()
    {
        var label = new string('x', 64);
        var ex = Assert.Throws<FormatException>(() => DnsName.Parse(label + ".example"));
        Assert.Equal("label 'xxxxxxxxxxxxxxxxxxxx…' is longer than 63 octets (64)", ex.Message);
    }

    [Fact]
    public void Accepts_a_label_of_exactly_63_octets()
    {
        var label = new string('x', 63);
        Assert.Equal(label + ".example.", DnsName.Parse(label + ".example").ToString());
    }

    [Fact]
    public void Counts_escaped_octets_once_towards_the_label_limit()
    {
        var label = string.Concat(Enumerable.Repeat("\\046", 63));
        Assert.Equal(1 + 63 + 1 + 7 + 1, DnsName.Parse(label + ".example").WireLength);
        Assert.Throws<FormatException>(() => DnsName.Parse(label + "x.example"));
    }

    [Fact]
    public void Accepts_a_name_of_exactly_255_octets_and_rejects_256()
    {
        // Three 63-octet labels (192) + one 61-octet label (62) + root (1) = 255.
        var l63 = new string('a', 63);
        var ok = $"{l63}.{l63}.{l63}.{new string('b', 61)}";
        Assert.Equal(255, DnsName.Parse(ok).WireLength);

        var tooLong = $"{l63}.{l63}.{l63}.{new string('b', 62)}";
        var ex = Assert.Throws<FormatException>(() => DnsName.Parse(tooLong));
        Assert.Equal("name is 256 octets long in wire form; the limit is 255", ex.Message);
    }

    [Fact]
    public void Rejects_a_relative_name_that_grows_too_long_under_its_origin()
    {
        var l63 = new string('a', 63);
        var origin = DnsName.Parse($"{l63}.{l63}.{l63}");
        Assert.Throws<FormatException>(() => DnsName.Parse(new string('c', 62), origin));
        Assert.Equal(255, DnsName.Parse(new string('c', 61), origin).WireLength);
    }

    [Theory]
    [InlineData("www", "example.com.", "www.example.com.")]
    [InlineData("www.", "example.com.", "www.")]
    [InlineData("@", "example.com.", "example.com.")]
    [InlineData("a.b", "example.com.", "a.b.example.com.")]
    [InlineData(".", "example.com.", ".")]
    [InlineData("host", ".", "host.")]
    [InlineData("ns1\\.x", "example.", "ns1\\.x.example.")]
    public void Resolves_relative_names_against_an_origin(string text, string origin, string expected)
    {
        Assert.Equal(expected, DnsName.Parse(text, DnsName.Parse(origin)).ToString());
    }

    [Fact]
    public void A_trailing_escaped_dot_is_part_of_the_label_not_an_absolute_marker()
    {
        var name = DnsName.Parse("www\\.", DnsName.Parse("example"));
        Assert.Equal("www\\..example.", name.ToString());
    }

    [Theory]
    [InlineData("example.com", "EXAMPLE.COM.")]
    [InlineData("Www.Example.Com", "wWW.eXAMPLE.cOM")]
    [InlineData("a\\065.example", "aa.example")]
    [InlineData(".", ".")]
    public void Equality_and_hashing_ignore_ascii_case(string a, string b)
    {
        var x = DnsName.Parse(a);
        var y = DnsName.Parse(b);
        Assert.Equal(x, y);
        Assert.True(x == y);
        Assert.Equal(x.GetHashCode(), y.GetHashCode());
        Assert.Equal(0, x.CompareTo(y));
    }

    [Theory]
    [InlineData("example.com", "example.net")]
    [InlineData("a.example", "example")]
    [InlineData("a\\200.example", "a\\232.example")]
    public void Different_names_are_not_equal(string a, string b)
    {
        Assert.NotEqual(DnsName.Parse(a), DnsName.Parse(b));
        Assert.True(DnsName.Parse(a) != DnsName.Parse(b));
    }

    [Fact]
    public void Equality_does_not_fold_octets_outside_ascii_letters()
    {
        // 0xC0 and 0xE0 differ by 0x20 like 'A' and 'a', but RFC 4343 folds only ASCII letters.
        Assert.NotEqual(DnsName.Parse("\\192.example"), DnsName.Parse("\\224.example"));
    }

    [Fact]
    public void Orders_names_canonically_as_in_rfc_4034_section_6_1()
    {
        // The example list from RFC 4034 §6.1, already in canonical order.
        string[] ordered =
        [
            "example",
            "a.example",
            "yljkjljk.a.example",
            "Z.a.example",
            "zABC.a.EXAMPLE",
            "z.example",
            "\\001.z.example",
            "*.z.example",
            "\\200.z.example",
        ];
        var names = ordered.Select(DnsName.Parse).ToList();
        var shuffled = names.AsEnumerable().Reverse().ToList();
        shuffled.Sort();
        Assert.Equal(ordered.Select(t => DnsName.Parse(t).ToString()), shuffled.Select(n => n.ToString()));
        for (var i = 1; i < names.Count; i++)
        {
            Assert.True(names[i - 1] < names[i], $"{names[i - 1]} < {names[i]}");
        }
    }

    [Theory]
    [InlineData("www.example.com", "example.com", true, true)]
    [InlineData("example.com", "example.com", true, false)]
    [InlineData("EXAMPLE.com", "example.COM", true, false)]
    [InlineData("example.com", "www.example.com", false, false)]
    [InlineData("badexample.com", "example.com", false, false)]
    [InlineData("example.com", ".", true, true)]
    [InlineData(".", ".", true, false)]
    [InlineData("a.b.c.d", "c.d", true, true)]
    [InlineData("a.b.c.d", "b.d", false, false)]
    public void Knows_when_a_name_is_at_or_below_another(string name, string zone, bool sub, bool strict)
    {
        var n = DnsName.Parse(name);
        var z = DnsName.Parse(zone);
        Assert.Equal(sub, n.IsSubdomainOf(z));
        Assert.Equal(sub, n.IsInBailiwick(z));
        Assert.Equal(strict, n.IsStrictSubdomainOf(z));
    }

    [Fact]
    public void Parent_walks_up_to_the_root_and_the_root_has_none()
    {
        var name = DnsName.Parse("a.b.example");
        Assert.Equal("b.example.", name.Parent.ToString());
        Assert.Equal("example.", name.Parent.Parent.ToString());
        Assert.Equal(DnsName.Root, name.Parent.Parent.Parent);
        var ex = Assert.Throws<InvalidOperationException>(() => DnsName.Root.Parent);
        Assert.Equal("the root name has no parent", ex.Message);
    }

    [Fact]
    public void Exposes_labels_left_to_right_in_presentation_form()
    {
        var name = DnsName.Parse("WWW.a\\.b.Example");
        Assert.Equal(3, name.LabelCount);
        Assert.Equal(["www", "a\\.b", "example"], name.Labels);
        Assert.Empty(DnsName.Root.Labels);
        Assert.Equal(0, DnsName.Root.LabelCount);
    }

    [Fact]
    public void Prepend_and_append_build_new_names()
    {
        var zone = DnsName.Parse("example.com");
        Assert.Equal("www.example.com.", zone.Prepend("www").ToString());
        Assert.Equal("a\\.b.example.com.", zone.Prepend("a\\.b").ToString());
        Assert.Equal("_tcp.example.com.", DnsName.Parse("_tcp").Append(zone).ToString());
        Assert.Equal("example.com.", DnsName.Root.Append(zone).ToString());
        Assert.Throws<FormatException>(() => zone.Prepend("a.b"));
        Assert.Throws<FormatException>(() => zone.Prepend(new string('x', 64)));
    }

    [Fact]
    public void Prepend_refuses_to_exceed_255_octets()
    {
        var l63 = new string('a', 63);
        var name = DnsName.Parse($"{l63}.{l63}.{l63}.{new string('b', 61)}");
        var ex = Assert.Throws<FormatException>(() => name.Prepend("x"));
        Assert.Contains("the limit is 255", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Suffix_keeps_the_rightmost_labels()
    {
        var name = DnsName.Parse("a.b.example");
        Assert.Equal("b.example.", name.Suffix(2).ToString());
        Assert.Equal(".", name.Suffix(0).ToString());
        Assert.Same(name, name.Suffix(3));
    }

    [Theory]
    [InlineData(".", 1)]
    [InlineData("com", 5)]
    [InlineData("www.example.com", 17)]
    public void Reports_wire_length(string text, int expected)
    {
        Assert.Equal(expected, DnsName.Parse(text).WireLength);
    }

    [Fact]
    public void Keeps_original_case_for_the_wire_and_folds_it_for_canonical_form()
    {
        var name = DnsName.Parse("Ab.CD");
        Assert.Equal("Ab.CD.", name.ToOriginalCaseString());
        Assert.Equal(new byte[] { 2, (byte)'A', (byte)'b', 2, (byte)'C', (byte)'D', 0 }, name.ToWire());
        Assert.Equal(new byte[] { 2, (byte)'a', (byte)'b', 2, (byte)'c', (byte)'d', 0 }, name.ToWire(canonical: true));
    }

    [Fact]
    public void Shows_a_labels_as_unicode_for_people()
    {
        Assert.Equal("bücher.example.", DnsName.Parse("xn--bcher-kva.example").ToDisplayString());
        Assert.Equal("plain.example.", DnsName.Parse("plain.example").ToDisplayString());
    }

    [Theory]
    [InlineData("*.example", true)]
    [InlineData("a.*.example", false)]
    [InlineData("\\*.example", true)]
    [InlineData("example", false)]
    public void Recognises_wildcard_names(string text, bool expected)
    {
        Assert.Equal(expected, DnsName.Parse(text).IsWildcard);
    }

    [Fact]
    public void Try_parse_with_null_reports_a_missing_name()
    {
        Assert.False(DnsName.TryParse(null, out _, out var error));
        Assert.Equal("name is missing", error);
    }

    [Fact]
    public void Printing_then_parsing_gives_the_same_name_for_every_octet()
    {
        for (var b = 0; b < 256; b++)
        {
            var name = DnsName.FromLabels([[(byte)'x', (byte)b], [(byte)'e']]);
            var again = DnsName.Parse(name.ToOriginalCaseString());
            Assert.Equal(name.ToWire(), again.ToWire());
        }
    }
}
