// Reading and writing the two messages a delegation check meets most: a TLD referral (4 NS, glue
// A and AAAA, DS and its RRSIG, OPT) and a DNSKEY answer with its RRSIG.
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using NsPolicy.Dns;
using NsPolicy.Dns.ZoneFiles;

namespace NsPolicy.Benchmarks;

[MemoryDiagnoser]
public class WireBenchmarks
{
    private DnsMessage _referral = null!;
    private DnsMessage _dnskeyAnswer = null!;
    private byte[] _referralWire = [];
    private byte[] _dnskeyWire = [];

    [GlobalSetup]
    public void Setup()
    {
        _referral = SampleMessages.Referral();
        _dnskeyAnswer = SampleMessages.DnskeyAnswer();
        _referralWire = _referral.ToWire();
        _dnskeyWire = _dnskeyAnswer.ToWire();
    }

    [Benchmark]
    public DnsMessage ReadReferral() => DnsMessage.FromWire(_referralWire);

    [Benchmark]
    public byte[] WriteReferral() => _referral.ToWire();

    [Benchmark]
    public DnsMessage ReadDnskeyAnswer() => DnsMessage.FromWire(_dnskeyWire);

    [Benchmark]
    public byte[] WriteDnskeyAnswer() => _dnskeyAnswer.ToWire();
}

/// <summary>Realistic messages built from presentation text, with key and signature material of the real sizes.</summary>
public static class SampleMessages
{
    /// <summary>What a TLD server answers for example.bench-tld./A: a signed referral with in-bailiwick glue.</summary>
    public static DnsMessage Referral()
    {
        var zone = new StringBuilder();
        for (var n = 1; n <= 4; n++)
        {
            zone.Append(CultureInfo.InvariantCulture, $"example.bench-tld. 172800 IN NS ns{n}.example.bench-tld.\n");
        }

        zone.Append(CultureInfo.InvariantCulture, $"example.bench-tld. 86400 IN DS 2371 13 2 {Hex(32, 7)}\n");
        zone.Append(CultureInfo.InvariantCulture,
            $"example.bench-tld. 86400 IN RRSIG DS 13 2 86400 20300101000000 20240101000000 40123 bench-tld. {Base64(64, 11)}\n");
        for (var n = 1; n <= 4; n++)
        {
            zone.Append(CultureInfo.InvariantCulture, $"ns{n}.example.bench-tld. 172800 IN A 192.0.2.{n}\n");
            zone.Append(CultureInfo.InvariantCulture, $"ns{n}.example.bench-tld. 172800 IN AAAA 2001:db8::{n}\n");
        }

        var records = Load(zone.ToString());
        var query = DnsMessage.CreateQuery(0x4a1f, DnsName.Parse("www.example.bench-tld."), RecordType.A, recursionDesired: false, dnssecOk: true);
        return query with
        {
            Header = query.Header with { IsResponse = true },
            Authority = [.. records.Where(r => r.Type != RecordType.A && r.Type != RecordType.AAAA)],
            Additional = [.. records.Where(r => r.Type == RecordType.A || r.Type == RecordType.AAAA), .. query.Additional],
        };
    }

    /// <summary>What a signed zone's server answers for its DNSKEY RRset with DO: a KSK, a ZSK (both P-256) and one RRSIG.</summary>
    public static DnsMessage DnskeyAnswer()
    {
        var text =
            $"example.bench-tld. 3600 IN DNSKEY 257 3 13 {Base64(64, 3)}\n" +
            $"example.bench-tld. 3600 IN DNSKEY 256 3 13 {Base64(64, 5)}\n" +
            $"example.bench-tld. 3600 IN RRSIG DNSKEY 13 2 3600 20300101000000 20240101000000 2371 example.bench-tld. {Base64(64, 13)}\n";
        var query = DnsMessage.CreateQuery(0x7c02, DnsName.Parse("example.bench-tld."), RecordType.DNSKEY, recursionDesired: false, dnssecOk: true);
        return query with
        {
            Header = query.Header with { IsResponse = true, IsAuthoritative = true },
            Answers = [.. Load(text)],
        };
    }

    private static IReadOnlyList<ResourceRecord> Load(string text)
    {
        var records = new List<ResourceRecord>();
        using var reader = new StringReader(text);
        using var parser = ZoneFileParser.ForText(reader, "sample", DnsName.Root);
        while (parser.Next(out var entry))
        {
            records.Add(entry.Error is { } error ? throw new InvalidOperationException(error.ToString()) : entry.Record.Record);
        }

        return records;
    }

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        for (var k = 0; k < length; k++)
        {
            bytes[k] = (byte)((k * 31) + (seed * 17) + 1);
        }

        return bytes;
    }

    private static string Hex(int length, int seed) => Convert.ToHexString(Bytes(length, seed));

    private static string Base64(int length, int seed) => Convert.ToBase64String(Bytes(length, seed));
}
