// Zone-file parsing throughput on generated zones held in memory (no disk in the measurement).
// Each operation is one record, so the Mean column reads as time per record.
using BenchmarkDotNet.Attributes;
using NsPolicy.Dns;
using NsPolicy.Dns.ZoneFiles;

namespace NsPolicy.Benchmarks;

[MemoryDiagnoser]
public class ZoneFileBenchmarks
{
    private const int Records = 10_000;

    private string _text = string.Empty;
    private DnsName _origin = DnsName.Root;

    [Params(ZoneKind.Tld, ZoneKind.Corporate)]
    public ZoneKind Kind { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _text = ZoneGenerator.Generate(Kind, Records);
        _origin = DnsName.Parse(ZoneGenerator.OriginOf(Kind));
        var loaded = Parse();
        if (loaded != Records)
        {
            throw new InvalidOperationException($"the generated {Kind} zone loaded {loaded} records instead of {Records}");
        }
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public int Parse()
    {
        var count = 0;
        var errors = 0;
        using var reader = new StringReader(_text);
        using var parser = ZoneFileParser.ForText(reader, "bench.zone", _origin);
        while (parser.Next(out var entry))
        {
            if (entry.IsError)
            {
                errors++;
            }
            else
            {
                count++;
            }
        }

        return errors == 0 ? count : -errors;
    }
}
