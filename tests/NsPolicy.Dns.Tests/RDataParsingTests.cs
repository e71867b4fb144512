using NsPolicy.Dns.Dnssec;
using NsPolicy.Dns.Records;

namespace NsPolicy.Dns.Tests;

public sealed class RDataParsingTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.");

    [Theory]
    [InlineData("A", "1", "A address '1' is not a dotted-quad IPv4 address")]
    [InlineData("A", "192.0.2.256", "A address '192.0.2.256' is not a dotted-quad IPv4 address")]
    [InlineData("A", "0x7f.0.0.1", "A address '0x7f.0.0.1' is not a dotted-quad IPv4 address")]
    [InlineData("A", "", "A record is missing its address")]
    [InlineData("A", "192.0.2.1 192.0.2.2", "A record has unexpected text after its fields: '192.0.2.2'")]
    [InlineData("AAAA", "192.0.2.1", "AAAA address '192.0.2.1' is not an IPv6 address")]
    [InlineData("AAAA", "fe80::1%eth0", "AAAA address 'fe80::1%eth0' is not an IPv6 address")]
    [InlineData("MX", "65536 mx", "MX preference '65536' is not a number from 0 to 65535")]
    [InlineData("MX", "-1 mx", "MX preference '-1' is not a number from 0 to 65535")]
    [InlineData("MX", "10", "MX record is missing its exchange")]
    [InlineData("NS", "a..b", "NS target 'a..b' is not a valid name: empty label at position 3 of 'a..b'")]
    [InlineData("SOA", "ns hm 1 2 3 4 5x", "SOA minimum '5x' is not a number of seconds")]
    [InlineData("DS", "1 13 2 XYZ", "DS digest 'XYZ' is not hexadecimal")]
    [InlineData("DS", "1 FOO 2 00", "DS algorithm 'FOO' is not a number from 0 to 255 or a known mnemonic")]
    [InlineData("DNSKEY", "257 3 13 !!!!", "DNSKEY public key '!!!!' is not base64")]
    [InlineData("RRSIG", "A 13 2 60 2024x 20240101000000 1 example. AA==", "RRSIG expiration '2024x' is neither YYYYMMDDHHmmSS nor a number of seconds")]
    [InlineData("RRSIG", "A 13 2 60 20241301000000 20240101000000 1 example. AA==", "RRSIG expiration '20241301000000' is not a valid YYYYMMDDHHmmSS time")]
    [InlineData("NSEC", "next.example. A BOGUS", "NSEC type in the bitmap 'BOGUS' is not a record type")]
    [InlineData("NSEC3", "1 0 0 - 2vptu5timamqttgl4luu9kg21e0aor3w", "NSEC3 next hashed owner name '2vptu5timamqttgl4luu9kg21e0aor3w' is not base32hex")]
    [InlineData("NSEC3PARAM", "1 0 0 abc", "NSEC3PARAM salt 'abc' is not '-' or hexadecimal of at most 255 octets")]
    [InlineData("CAA", "0 is-sue \"x\"", "CAA tag 'is-sue' must be 1–15 ASCII letters and digits")]
    [InlineData("TXT", "\"abc", "unterminated quoted string in '\"abc'")]
    [InlineData("TYPE65280", "01 02", "TYPE65280 has no presentation form here; use the generic form \\# length hex")]
    [InlineData("A", "\\# 3 C00002", "generic RDATA is not valid A data: A address needs 4 octets but only 3 remain")]
    [InlineData("A", "\\# 4 C00002", "generic RDATA says 4 octets but has 3")]
    [InlineData("A", "\\# x C0000201", "generic RDATA needs a decimal length after \\#")]
    [InlineData("A", "\\# 4 C00002GG", "generic RDATA 'C00002GG' is not hexadecimal")]
    public void Rejects_malformed_presentation_with_a_plain_reason(string type, string text, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => RData.Parse(RecordType.Parse(type), text, Origin));
        Assert.Equal(reason, ex.Message);
    }

    [Theory]
    [InlineData("abc\\", "TXT string abc\\ ends with a lone backslash")]
    [InlineData("ab\"c", "TXT string ab\"c has a stray double quote")]
    [InlineData("\"a\\25\"", "escape in TXT string \"a\\25\" needs three decimal digits")]
    [InlineData("a\\300", "escape in TXT string a\\300 is above 255")]
    public void Rejects_malformed_character_string_tokens(string token, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => RData.Parse(RecordType.TXT, [token], Origin));
        Assert.Equal(reason, ex.Message);
    }

    [Fact]
    public void Rejects_a_txt_string_longer_than_255_octets()
    {
        var ex = Assert.Throws<FormatException>(() => RData.Parse(RecordType.TXT, "\"" + new string('x', 256) + "\"", Origin));
        Assert.Equal("TXT string is 256 octets long; the limit is 255", ex.Message);
    }

    [Fact]
    public void Splits_long_text_into_strings_of_255_octets()
    {
        var txt = new TxtRData(new string('y', 600));
        Assert.Equal([255, 255, 90], txt.Strings.Select(s => s.Length));
        Assert.Equal(new string('y', 600), txt.JoinedText);
    }

    [Fact]
    public void Accepts_algorithm_mnemonics_and_base64_split_over_tokens()
    {
        var a = RData.Parse(RecordType.DNSKEY, "257 3 ECDSAP256SHA256 AAEC AwQ=", Origin);
        var b = RData.Parse(RecordType.DNSKEY, "257 3 13 AAECAwQ=", Origin);
        Assert.Equal(b, a);
        Assert.Equal(DnssecAlgorithm.EcdsaP256Sha256, ((DnskeyRData)a).Algorithm);
    }

    [Fact]
    public void Accepts_rrsig_times_as_seconds()
    {
        var sig = (RrsigRData)RData.Parse(RecordType.RRSIG, "A 13 2 60 1704067200 1704067199 1 example. AA==", Origin);
        Assert.Equal("A 13 2 60 20240101000000 20231231235959 1 example. AA==", sig.ToString());
    }

    [Theory]
    // Plain printable ASCII (read without the full decoder) gives the same octets as escapes or other spellings.
    [InlineData("\"abc def\"", "\"ab\\099 def\"")]
    [InlineData("abc", "\"abc\"")]
    [InlineData("\"\"", "\"\"")]
    [InlineData("\"tab\there\"", "\"tab\\009here\"")]
    public void Reads_plain_and_escaped_text_strings_alike(string plain, string spelled)
    {
        Assert.Equal(RData.Parse(RecordType.TXT, spelled, Origin), RData.Parse(RecordType.TXT, plain, Origin));
    }

    [Fact]
    public void Compares_names_in_rdata_without_case_but_text_with_case()
    {
        Assert.Equal(RData.Parse(RecordType.NS, "NS1.Example.", Origin), RData.Parse(RecordType.NS, "ns1.example.", Origin));
        Assert.NotEqual(RData.Parse(RecordType.TXT, "\"Hello\"", Origin), RData.Parse(RecordType.TXT, "\"hello\"", Origin));
        Assert.NotEqual<RData>(new NsRData(Origin), new CnameRData(Origin));
    }

    [Fact]
    public void Keeps_the_case_of_the_nsec_next_name_in_canonical_form()
    {
        // RFC 6840 §5.1 removed NSEC from the RFC 4034 §6.2 list of types whose names are lower-cased.
        var upper = RData.Parse(RecordType.NSEC, "Next.example. A", Origin);
        Assert.Equal((byte)'N', upper.CanonicalWire[1]);
        var rrsig = RData.Parse(RecordType.RRSIG, "A 13 2 60 20240101000000 20240101000000 1 Example. AA==", Origin);
        Assert.Equal((byte)'e', rrsig.CanonicalWire[19]);
    }

    [Theory]
    [InlineData("A", 1)]
    [InlineData("caa", 257)]
    [InlineData("TYPE65280", 65280)]
    [InlineData("type1", 1)]
    [InlineData("NSEC3PARAM", 51)]
    public void Parses_record_type_mnemonics_and_numbers(string text, int value)
    {
        Assert.Equal(value, RecordType.Parse(text).Value);
    }

    [Theory]
    [InlineData("TYPE")]
    [InlineData("TYPE65536")]
    [InlineData("TYPE+1")]
    [InlineData("AA")]
    public void Rejects_unknown_record_type_text(string text)
    {
        Assert.False(RecordType.TryParse(text, out _));
    }

    [Fact]
    public void Prints_types_and_classes_without_mnemonics_in_rfc_3597_form()
    {
        Assert.Equal("TYPE65280", new RecordType(65280).ToString());
        Assert.Equal("A", new RecordType(1).ToString());
        Assert.Equal("CLASS42", new RecordClass(42).ToString());
        Assert.Equal(new RecordClass(42), RecordClass.Parse("class42"));
        Assert.Equal(RecordClass.CH, RecordClass.Parse("ch"));
    }

    [Theory]
    [InlineData("0", 0u)]
    [InlineData("3600", 3600u)]
    [InlineData("1h", 3600u)]
    [InlineData("1H30m", 5400u)]
    [InlineData("2w1d", 1296000u)]
    [InlineData("4294967295", 4294967295u)]
    public void Reads_durations_in_seconds_or_bind_units(string text, uint seconds)
    {
        Assert.True(Presentation.TryParseDuration(text, out var value));
        Assert.Equal(seconds, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1x")]
    [InlineData("h")]
    [InlineData("1h5")]
    [InlineData("4294967296")]
    [InlineData("7102w")]
    public void Rejects_malformed_durations(string text)
    {
        Assert.False(Presentation.TryParseDuration(text, out _));
    }
}
