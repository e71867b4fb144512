// Agreement with the shared zone-file conformance corpus (../shared/zone-corpus beside the
// repository root): every non-disputed verdict must match, and the key records of valid cases must
// load exactly. The corpus is required: a missing folder fails loudly.
using NsPolicy.Dns.ZoneFiles;
using YamlDotNet.RepresentationModel;

namespace NsPolicy.Dns.Tests.ZoneFiles;

public sealed class ZoneCorpusTests
{
    // Cases the corpus calls invalid for what the zone holds, not how it is written: exactly one
    // SOA, CNAME exclusivity, DS placement, CDS consistency, glue. They load; the offline zone
    // checks (NsPolicy.Core) judge them. Here they must load without a syntax error.
    private static readonly HashSet<string> ZoneContentCases = new(StringComparer.Ordinal)
    {
        "i-missing-soa.zone",
        "i-cname-and-other.zone",
        "i-cname-at-apex.zone",
        "i-ds-at-apex.zone",
        "i-ds-without-delegation.zone",
        "i-cds-mismatch-dnskey.zone",
        "i-missing-glue.zone",
    };

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in LoadCorpus())
        {
            data.Add(c.File);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Loads_or_rejects_each_corpus_case_as_the_corpus_expects(string file)
    {
        var c = LoadCorpus().Single(x => x.File == file);
        var result = ZoneFileParser.Parse(Path.Combine(CorpusDirectory(), file), DnsName.Parse(c.Origin));
        var errors = string.Join("\n", result.Errors);
        if (ZoneContentCases.Contains(file))
        {
            Assert.True(result.IsValid, $"{file} is a zone-content case and must load for the zone checks; errors:\n{errors}");
            return;
        }

        if (c.Extension && !result.IsValid)
        {
            Assert.All(result.Errors, e => Assert.Contains("unsupported", e.Message, StringComparison.Ordinal));
            return;
        }

        if (c.Disputed is null)
        {
            Assert.True(result.IsValid == (c.Expect == "valid"),
                $"{file}: expected {c.Expect}, got {(result.IsValid ? "valid" : "invalid")}; errors:\n{errors}");
        }

        if (result.IsValid)
        {
            foreach (var key in c.Key)
            {
                var expected = RecordLine.Parse(key);
                Assert.True(result.Records.Contains(expected),
                    $"{file}: key record '{key}' did not load; loaded:\n{string.Join("\n", result.Records)}");
            }

            if (c.Records is { } count && c.Disputed is null)
            {
                Assert.Equal(count, result.Records.Distinct().Count());
            }
        }
    }

    private sealed record CorpusCase(string File, string Origin, string Expect, string? Disputed, bool Extension, int? Records, IReadOnlyList<string> Key);

    private static string CorpusDirectory()
    {
        var corpus = Path.GetFullPath(Repository.PathOf("..", "shared", "zone-corpus"));
        Assert.True(File.Exists(Path.Combine(corpus, "corpus.yaml")), $"zone corpus missing: {corpus}/corpus.yaml must exist beside the repository");
        return corpus;
    }

    private static List<CorpusCase> LoadCorpus()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(CorpusDirectory(), "corpus.yaml")))
        {
            stream.Load(reader);
        }

        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var cases = new List<CorpusCase>();
        foreach (YamlMappingNode node in ((YamlSequenceNode)root.Children[new YamlScalarNode("cases")]).Children.Cast<YamlMappingNode>())
        {
            string? Scalar(string name) =>
                node.Children.TryGetValue(new YamlScalarNode(name), out var v) && v is YamlScalarNode s ? s.Value : null;
            var key = node.Children.TryGetValue(new YamlScalarNode("key"), out var k) && k is YamlSequenceNode seq
                ? seq.Children.Cast<YamlScalarNode>().Select(s => s.Value!).ToList()
                : [];
            var records = Scalar("records");
            cases.Add(new CorpusCase(
                Scalar("file")!,
                Scalar("origin")!,
                Scalar("expect")!,
                Scalar("disputed"),
                Scalar("extension") == "true",
                records is null ? null : int.Parse(records, System.Globalization.CultureInfo.InvariantCulture),
                key));
        }

        return cases;
    }
}
