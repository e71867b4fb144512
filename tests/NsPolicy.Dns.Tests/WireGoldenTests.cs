using NsPolicy.Dns.Dnssec;
using NsPolicy.Dns.Records;

namespace NsPolicy.Dns.Tests;

// testdata/wire/*.bin are responses captured from BIND 9.18 serving testdata/dnssec/
// ECDSAP256SHA256.signed on 127.0.0.1 (queries with EDNS and DO). Beside each, a .golden file
// holds this library's rendering; rewrite them with NSPOLICY_UPDATE_GOLDEN=1 (never under CI=true).
public sealed class WireGoldenTests
{
    private static readonly DateTimeOffset InWindow = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Captures() =>
        [.. Directory.GetFiles(TestData.PathOf("wire"), "*.bin").Select(f => Path.GetFileNameWithoutExtension(f)!).Order()];

    [Theory]
    [MemberData(nameof(Captures))]
    public void Reads_bind_responses_as_the_golden_rendering(string capture)
    {
        var message = DnsMessage.FromWire(File.ReadAllBytes(TestData.PathOf("wire", capture + ".bin")));
        Golden.Assert(Repository.PathOf("tests", "NsPolicy.Dns.Tests", "testdata", "wire", capture + ".golden"), message.ToString());
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void Writes_bind_responses_back_as_compactly_as_bind(string capture)
    {
        // Compression may point at a different earlier copy of a name than BIND chose, so compare
        // meaning and size rather than octets.
        var wire = File.ReadAllBytes(TestData.PathOf("wire", capture + ".bin"));
        var message = DnsMessage.FromWire(wire);
        var rewritten = message.ToWire();
        Assert.Equal(wire.Length, rewritten.Length);
        Assert.Equal(message, DnsMessage.FromWire(rewritten));
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void Verifies_every_signature_in_bind_responses(string capture)
    {
        var keys = DnsMessage.FromWire(File.ReadAllBytes(TestData.PathOf("wire", "example.test-dnskey.bin")))
            .Answers.Select(r => r.Data).OfType<DnskeyRData>().ToList();
        var message = DnsMessage.FromWire(File.ReadAllBytes(TestData.PathOf("wire", capture + ".bin")));
        foreach (var section in new[] { message.Answers, message.Authority })
        {
            foreach (var record in section.Where(r => r.Data is RrsigRData))
            {
                var rrsig = (RrsigRData)record.Data;
                var rrset = section.Where(r => r.Owner == record.Owner && r.Type == rrsig.TypeCovered).ToList();
                var result = SignatureVerifier.Verify(rrsig, rrset, keys.Single(k => k.KeyTag == rrsig.KeyTag), InWindow);
                Assert.True(result.IsValid, $"{record.Owner} {rrsig.TypeCovered}: {result.Reason}");
            }
        }
    }
}
