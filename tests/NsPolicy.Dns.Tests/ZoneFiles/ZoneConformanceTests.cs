using NsPolicy.Dns.Tests.Support;
// The zone-file conformance cases in testdata/zone-conformance: one small zone per construct, each
// saying in its leading ";;" lines what it tests, whether it must load, and which records must
// come out of it (see the folder's README).
using NsPolicy.Dns.ZoneFiles;

namespace NsPolicy.Dns.Tests.ZoneFiles;

public sealed class ZoneConformanceTests
{
    private static string Folder => Repository.PathOf("tests", "NsPolicy.Dns.Tests", "testdata", "zone-conformance");

    public static TheoryData<string> Cases() => new(Files());

    private static List<string> Files() =>
        [.. Directory.GetFiles(Folder, "*.zone").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    [Fact]
    public void Every_conformance_case_says_what_it_tests_and_where_it_comes_from()
    {
        var cases = Files();

        Assert.Equal(101, cases.Count);
        Assert.All(cases, file =>
        {
            var c = ConformanceCase.Load(Path.Combine(Folder, file));
            Assert.False(string.IsNullOrWhiteSpace(c.What), $"{file}: no 'case:' line");
            Assert.False(string.IsNullOrWhiteSpace(c.After), $"{file}: no 'after:' line");
            Assert.True(c.Expect is Expectation.Loads or Expectation.LoadsWrongContent or Expectation.Rejected, file);
        });
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Loads_or_rejects_each_case_as_it_says(string file)
    {
        var c = ConformanceCase.Load(Path.Combine(Folder, file));
        var result = ZoneFileReading.Parse(Path.Combine(Folder, file), DnsName.Parse(c.Origin));
        var errors = string.Join("\n", result.Errors);

        if (c.Expect == Expectation.LoadsWrongContent)
        {
            // Well-formed but wrong for what the zone holds (one SOA, CNAME alone, DS placement,
            // CDS and DNSKEY, glue): the parser loads it and the offline zone checks judge it.
            Assert.True(result.IsValid, $"{file} is well-formed and must load for the zone checks; errors:\n{errors}");
            return;
        }

        if (c.Extension && !result.IsValid)
        {
            Assert.All(result.Errors, e => Assert.Contains("unsupported", e.Message, StringComparison.Ordinal));
            return;
        }

        if (!c.EitherVerdict)
        {
            Assert.True(result.IsValid == (c.Expect == Expectation.Loads),
                $"{file}: expected it to be {(c.Expect == Expectation.Loads ? "loaded" : "rejected")}, but it was {(result.IsValid ? "loaded" : "rejected")}; errors:\n{errors}");
        }

        if (result.IsValid)
        {
            foreach (var key in c.Key)
            {
                var expected = RecordLine.Parse(key);
                Assert.True(result.Records.Contains(expected),
                    $"{file}: record '{key}' did not load; loaded:\n{string.Join("\n", result.Records)}");
            }

            if (c.Records is { } count && !c.EitherVerdict)
            {
                Assert.Equal(count, result.Records.Distinct().Count());
            }
        }
    }

    private enum Expectation
    {
        Unknown,
        Loads,
        LoadsWrongContent,
        Rejected,
    }

    /// <summary>A case's leading ";; name: value" lines.</summary>
    private sealed record ConformanceCase(
        string What, string After, string Origin, Expectation Expect, int? Records, IReadOnlyList<string> Key, bool EitherVerdict, bool Extension)
    {
        public static ConformanceCase Load(string path)
        {
            var fields = new List<(string Name, string Value)>();
            foreach (var line in File.ReadLines(path).TakeWhile(l => l.StartsWith(";;", StringComparison.Ordinal)))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                Assert.True(colon > 2, $"{path}: '{line}' is not ';; name: value'");
                fields.Add((line[2..colon].Trim(), line[(colon + 1)..].Trim()));
            }

            string? One(string name) => fields.SingleOrDefault(f => f.Name == name).Value;
            var expect = One("expect") switch
            {
                "loads" => Expectation.Loads,
                "loads; wrong in content (the zone checks report it)" => Expectation.LoadsWrongContent,
                "rejected" => Expectation.Rejected,
                _ => Expectation.Unknown,
            };
            var records = One("records");
            return new ConformanceCase(
                One("case") ?? "",
                One("after") ?? "",
                One("origin") ?? throw new InvalidDataException($"{path}: no 'origin:' line"),
                expect,
                records is null ? null : int.Parse(records, System.Globalization.CultureInfo.InvariantCulture),
                [.. fields.Where(f => f.Name == "key").Select(f => f.Value)],
                One("either verdict") is not null,
                One("extension") is not null);
        }
    }
}
