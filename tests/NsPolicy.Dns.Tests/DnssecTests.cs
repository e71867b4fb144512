using System.Collections.Immutable;
using NsPolicy.Dns.Dnssec;
using NsPolicy.Dns.Records;

namespace NsPolicy.Dns.Tests;

// Signed zones in testdata/dnssec were made by BIND's dnssec-signzone (see regenerate.sh), valid
// from 2024-01-01 to 2034-01-01; the RFC vectors come from RFC 4034, 5702 and 6605.
public sealed class DnssecTests
{
    private static readonly DateTimeOffset InWindow = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> SignedZones() =>
        ["RSASHA256", "RSASHA512", "ECDSAP256SHA256", "ECDSAP384SHA384", "ED25519", "ED448", "ECDSAP256SHA256-nsec3"];

    [Theory]
    [MemberData(nameof(SignedZones))]
    public void Verifies_every_signature_in_a_zone_signed_by_bind(string zone)
    {
        var checkedCount = 0;
        foreach (var (rrsig, rrset, key) in Signatures(zone))
        {
            var result = SignatureVerifier.Verify(rrsig, rrset, key, InWindow);
            Assert.True(result.IsValid, $"{rrset[0].Owner} {rrsig.TypeCovered}: {result.Reason}");
            checkedCount++;
        }

        // SOA, NS, MX, TXT, DNSKEY, NSEC(3)… at the apex and the other names: all of them were checked.
        Assert.True(checkedCount >= 15, $"only {checkedCount} signatures found");
    }

    [Fact]
    public void Reports_an_algorithm_it_cannot_verify_as_unsupported_inside_the_window_and_expired_outside_it()
    {
        var (rrsig, rrset, key) = Signatures("ED25519").First(s => s.Rrsig.TypeCovered == RecordType.SOA);
        var unknown = (DnssecAlgorithm)253;
        var privateKey = new DnskeyRData(key.Flags, key.Protocol, unknown, key.PublicKey);
        var signature = Resign(rrsig, unknown, privateKey.KeyTag, rrsig.Signature);

        var inside = SignatureVerifier.Verify(signature, rrset, privateKey, InWindow);
        var after = SignatureVerifier.Verify(signature, rrset, privateKey, new DateTimeOffset(2035, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var before = SignatureVerifier.Verify(signature, rrset, privateKey, new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal((SignatureStatus.Unsupported, "algorithm 253 (PRIVATEDNS) cannot be verified here"), (inside.Status, inside.Reason));
        Assert.Equal(SignatureStatus.Expired, after.Status);
        Assert.EndsWith("(algorithm 253 cannot be verified here, but no validator accepts it outside that window)", after.Reason, StringComparison.Ordinal);
        Assert.Equal(SignatureStatus.NotYetValid, before.Status);
    }

    [Theory]
    [InlineData("ED25519")]
    [InlineData("ED448")]
    public void An_edwards_signature_fails_with_a_changed_signature_or_another_key(string zone)
    {
        var signatures = Signatures(zone).ToList();
        var (rrsig, rrset, key) = signatures.First(s => s.Rrsig.TypeCovered == RecordType.SOA);
        var bytes = rrsig.Signature.ToArray();
        bytes[^1] ^= 0x01; // S changes
        var changed = SignatureVerifier.Verify(Resign(rrsig, rrsig.Algorithm, rrsig.KeyTag, [.. bytes]), rrset, key, InWindow);
        var otherKey = (DnskeyRData)RData.Parse(RecordType.DNSKEY, File.ReadAllText(TestData.PathOf("dnssec", zone == "ED448" ? "ED25519.dnskey" : "ED448.dnskey")).Split(" DNSKEY ")[1].Trim(), DnsName.Root);

        Assert.Equal(SignatureStatus.Valid, SignatureVerifier.Verify(rrsig, rrset, key, InWindow).Status);
        Assert.Equal((SignatureStatus.Invalid, "the signature does not match the data and key"), (changed.Status, changed.Reason));
        Assert.Equal(SignatureStatus.Invalid, SignatureVerifier.Verify(Resign(rrsig, otherKey.Algorithm, otherKey.KeyTag, rrsig.Signature), rrset, otherKey, InWindow).Status);
    }

    // RFC 8032 §7.1, TEST 1 (empty message) and TEST 2 (one octet, 0x72): the raw Ed25519 primitive.
    [Theory]
    [InlineData("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")]
    [InlineData("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")]
    public void Verifies_the_rfc_8032_ed25519_vectors_and_rejects_them_for_another_message(string key, string message, string signature)
    {
        var k = Convert.FromHexString(key);
        var m = Convert.FromHexString(message);
        var sig = Convert.FromHexString(signature);

        Assert.True(EdwardsCurve.Ed25519.Verify(k, m, sig));
        Assert.False(EdwardsCurve.Ed25519.Verify(k, [.. m, 0x00], sig));
    }

    private static RrsigRData Resign(RrsigRData s, DnssecAlgorithm algorithm, ushort keyTag, System.Collections.Immutable.ImmutableArray<byte> signature) =>
        new(s.TypeCovered, algorithm, s.Labels, s.OriginalTtl, s.Expiration, s.Inception, keyTag, s.SignerName, signature);

    [Theory]
    [MemberData(nameof(SignedZones))]
    public void Rejects_a_signature_over_changed_data(string zone)
    {
        var (rrsig, rrset, key) = Signatures(zone).First(s => s.Rrsig.TypeCovered == RecordType.A && s.RRset.Count == 3);
        var changed = rrset.ToList();
        changed[0] = changed[0] with { Data = new ARData(System.Net.IPAddress.Parse("198.51.100.1")) };
        var result = SignatureVerifier.Verify(rrsig, changed, key, InWindow);
        Assert.Equal(SignatureStatus.Invalid, result.Status);
        Assert.Equal("the signature does not match the data and key", result.Reason);
    }

    [Fact]
    public void Verifies_regardless_of_record_order_name_case_and_remaining_ttl()
    {
        var (rrsig, rrset, key) = Signatures("ECDSAP256SHA256").First(s => s.Rrsig.TypeCovered == RecordType.A && s.RRset.Count == 3);
        var shuffled = rrset
            .Select(r => r with { Owner = DnsName.Parse(r.Owner.ToString().ToUpperInvariant()), Ttl = 17 })
            .Reverse()
            .Append(rrset[0])
            .ToList();
        Assert.Equal(SignatureStatus.Valid, SignatureVerifier.Verify(rrsig, shuffled, key, InWindow).Status);
    }

    [Fact]
    public void Verifies_a_wildcard_expansion_using_the_labels_field()
    {
        var (rrsig, rrset, key) = Signatures("RSASHA256").First(s => s.RRset[0].Owner.IsWildcard);
        var expanded = rrset.Select(r => r with { Owner = DnsName.Parse("a.b.wild.example.test") }).ToList();
        Assert.Equal(SignatureStatus.Valid, SignatureVerifier.Verify(rrsig, expanded, key, InWindow).Status);
    }

    [Theory]
    [InlineData(2023, SignatureStatus.NotYetValid, "the signature is valid only from 20240101000000 (inception)")]
    [InlineData(2035, SignatureStatus.Expired, "the signature expired at 20340101000000")]
    public void Reports_the_validity_window_against_the_time_given(int year, SignatureStatus status, string reason)
    {
        var (rrsig, rrset, key) = Signatures("ECDSAP384SHA384").First();
        var result = SignatureVerifier.Verify(rrsig, rrset, key, new DateTimeOffset(year, 6, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(status, result.Status);
        Assert.Equal(reason, result.Reason);
    }

    [Fact]
    public void Compares_validity_times_in_serial_arithmetic_across_2106()
    {
        // Inception just before the 32-bit wrap, expiration just after it.
        var sig = new RrsigRData(RecordType.A, DnssecAlgorithm.EcdsaP256Sha256, 1, 60, 100, uint.MaxValue - 100, 1, DnsName.Root, [1]);
        var wrapped = DateTimeOffset.FromUnixTimeSeconds(1L << 32);
        Assert.Equal(SignatureStatus.Valid, SignatureVerifier.CheckTime(sig, wrapped).Status);
        Assert.Equal(SignatureStatus.Expired, SignatureVerifier.CheckTime(sig, wrapped.AddSeconds(200)).Status);
    }

    [Fact]
    public void Refuses_a_key_that_does_not_fit_the_signature()
    {
        var (rrsig, rrset, key) = Signatures("ECDSAP256SHA256").First();
        var other = new DnskeyRData(256, 3, key.Algorithm, key.PublicKey);
        var result = SignatureVerifier.Verify(rrsig, rrset, other, InWindow);
        Assert.Equal(SignatureStatus.Invalid, result.Status);
        Assert.StartsWith("the DNSKEY has key tag", result.Reason, StringComparison.Ordinal);

        var notZoneKey = new DnskeyRData(1, 3, key.Algorithm, key.PublicKey);
        Assert.Equal("the DNSKEY does not have the zone key flag", SignatureVerifier.Verify(rrsig, rrset, notZoneKey, InWindow).Reason);
    }

    [Fact]
    public void Refuses_records_that_are_not_the_covered_rrset()
    {
        var (rrsig, rrset, key) = Signatures("ECDSAP256SHA256").First(s => s.Rrsig.TypeCovered == RecordType.SOA);
        var mixed = rrset.Append(new ResourceRecord(rrset[0].Owner, 3600, new ARData(System.Net.IPAddress.Loopback))).ToList();
        Assert.StartsWith("the records do not form one RRset", SignatureVerifier.Verify(rrsig, mixed, key, InWindow).Reason, StringComparison.Ordinal);
        Assert.Equal("the RRset is empty", SignatureVerifier.Verify(rrsig, [], key, InWindow).Reason);
        var outside = rrset.Select(r => r with { Owner = DnsName.Parse("example.org") }).ToList();
        Assert.Equal("the signer example.test. is not at or above the owner example.org.", SignatureVerifier.Verify(rrsig, outside, key, InWindow).Reason);
    }

    public static TheoryData<string, string, string, string, string, string> RfcSignatures()
    {
        var data = new TheoryData<string, string, string, string, string, string>();
        foreach (var line in File.ReadAllLines(TestData.PathOf("dnssec", "rfc-signatures.tsv")))
        {
            var f = line.Split('\t');
            data.Add(f[0], f[1], f[2], f[3], f[4], f[5]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RfcSignatures))]
    public void Verifies_the_rfc_example_signatures(string vector, string keyOwner, string dnskey, string record, string rrsig, string time)
    {
        var origin = DnsName.Parse(keyOwner);
        var key = (DnskeyRData)RData.Parse(RecordType.DNSKEY, dnskey, origin);
        var sig = (RrsigRData)RData.Parse(RecordType.RRSIG, rrsig, origin);
        var now = DateTimeOffset.ParseExact(time, "yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
        var result = SignatureVerifier.Verify(sig, [RecordLine.Parse(record)], key, now);
        Assert.True(result.IsValid, $"{vector}: {result.Reason}");
    }

    public static TheoryData<string, string, string, string> RfcDs()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var line in File.ReadAllLines(TestData.PathOf("dnssec", "rfc-ds.tsv")))
        {
            var f = line.Split('\t');
            data.Add(f[0], f[1], f[2], f[3]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RfcDs))]
    public void Computes_key_tags_and_ds_digests_of_the_rfc_examples(string vector, string owner, string dnskey, string ds)
    {
        var name = DnsName.Parse(owner);
        var key = (DnskeyRData)RData.Parse(RecordType.DNSKEY, dnskey, name);
        var expected = (DsRData)RData.Parse(RecordType.DS, ds, name);
        Assert.True(expected.KeyTag == key.KeyTag, vector);
        Assert.Equal(expected, DsDigest.CreateDs(name, key, expected.DigestType));
        Assert.True(DsDigest.Matches(expected, name, key));
    }

    public static TheoryData<string> DsGolden() => [.. File.ReadAllLines(TestData.PathOf("dnssec", "ds.golden"))];

    [Theory]
    [MemberData(nameof(DsGolden))]
    public void Computes_the_same_ds_as_dnssec_dsfromkey(string line)
    {
        var expected = RecordLine.Parse(line);
        var ds = (DsRData)expected.Data;
        var algorithm = ds.Algorithm.Mnemonic();
        var key = (DnskeyRData)RecordLine.ReadFile("dnssec", algorithm + ".dnskey").Single().Data;
        Assert.Equal(ds.ToString(), DsDigest.CreateDs(expected.Owner, key, ds.DigestType).ToString());
        Assert.True(DsDigest.Matches(ds, DnsName.Parse("EXAMPLE.test"), key));
        Assert.False(DsDigest.Matches(ds, DnsName.Parse("other.test"), key));
    }

    [Fact]
    public void Knows_digest_lengths_and_refuses_unsupported_digest_types()
    {
        Assert.Equal(20, DsDigest.ExpectedLength(DsDigestType.Sha1));
        Assert.Equal(32, DsDigest.ExpectedLength(DsDigestType.Sha256));
        Assert.Equal(48, DsDigest.ExpectedLength(DsDigestType.Sha384));
        Assert.Null(DsDigest.ExpectedLength((DsDigestType)9));
        var key = (DnskeyRData)RecordLine.ReadFile("dnssec", "ECDSAP256SHA256.dnskey").Single().Data;
        var ex = Assert.Throws<NotSupportedException>(() => DsDigest.Compute(DnsName.Parse("example.test"), key, DsDigestType.GostR341194));
        Assert.Equal("DS digest type 3 is not supported (only 1, 2 and 4)", ex.Message);
        Assert.False(DsDigest.Matches(new DsRData(key.KeyTag, key.Algorithm, DsDigestType.GostR341194, new byte[32].ToImmutableArray()), DnsName.Parse("example.test"), key));
    }

    [Fact]
    public void Computes_the_rsa_md5_key_tag_from_the_end_of_the_modulus()
    {
        // RFC 4034 Appendix B.1: for algorithm 1 the tag is the second- and third-last octets of the key.
        var key = new DnskeyRData(256, 3, DnssecAlgorithm.RsaMd5, [0x01, 0x03, 0xAA, 0xBB, 0x12, 0x34, 0x56]);
        Assert.Equal(0x1234, key.KeyTag);
    }

    [Fact]
    public void Orders_an_rrset_canonically_and_drops_duplicates()
    {
        var owner = DnsName.Parse("example.test");
        ResourceRecord Ns(string target) => new(owner, 60, new NsRData(DnsName.Parse(target)));
        var ordered = CanonicalForm.OrderRRset([Ns("b.example"), Ns("A.example"), Ns("a.example"), Ns("aa.example")]);
        // Canonical RDATA compares as octets: \001a < \001b < \002aa.
        Assert.Equal(["a.example.", "b.example.", "aa.example."], ordered.Select(r => ((NsRData)r.Data).Target.ToString()));
    }

    [Fact]
    public void Signed_owner_of_a_wildcard_expansion_is_the_wildcard()
    {
        Assert.Equal("*.wild.example.test.", CanonicalForm.SignedOwner(DnsName.Parse("a.b.wild.example.test"), 3).ToString());
        Assert.Equal("www.example.test.", CanonicalForm.SignedOwner(DnsName.Parse("www.example.test"), 3).ToString());
        Assert.Equal("*.wild.example.test.", CanonicalForm.SignedOwner(DnsName.Parse("*.wild.example.test"), 3).ToString());
    }

    private static IEnumerable<(RrsigRData Rrsig, List<ResourceRecord> RRset, DnskeyRData Key)> Signatures(string zone)
    {
        var records = RecordLine.ReadFile("dnssec", zone + ".signed");
        var keys = records.Select(r => r.Data).OfType<DnskeyRData>().ToList();
        foreach (var record in records)
        {
            if (record.Data is not RrsigRData rrsig)
            {
                continue;
            }

            var rrset = records.Where(r => r.Owner == record.Owner && r.Type == rrsig.TypeCovered).ToList();
            var key = keys.Single(k => k.KeyTag == rrsig.KeyTag);
            yield return (rrsig, rrset, key);
        }
    }
}
