using System.Net;
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Live;
using NsPolicy.Dns;
using NsPolicy.Dns.Records;
using NsPolicy.Dns.Transport;

namespace NsPolicy.Core.Tests.Live;

/// <summary>Every status the transport can report has its own word in the evidence: a new one fails here instead of passing as a network error.</summary>
public sealed class EvidenceMappingTests
{
    [Fact]
    public void Every_query_status_maps_to_the_evidence_result_of_the_same_meaning()
    {
        var mapped = Enum.GetValues<QueryStatus>().ToDictionary(s => s, EvidenceMapping.ResultOf);

        Assert.All(mapped, m => Assert.Equal(m.Key == QueryStatus.TruncatedOverTcp ? "Truncated" : m.Key.ToString(), m.Value.ToString()));
        Assert.Equal(mapped.Count, mapped.Values.Distinct().Count());
    }

    [Fact]
    public void Every_transfer_status_maps_to_the_evidence_result_of_the_same_name()
    {
        var mapped = Enum.GetValues<TransferStatus>().ToDictionary(s => s, EvidenceMapping.ResultOf);

        Assert.All(mapped, m => Assert.Equal(m.Key.ToString(), m.Value.ToString()));
    }

    [Fact]
    public void A_status_without_a_word_is_a_bug_not_a_network_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EvidenceMapping.ResultOf((QueryStatus)999));
        Assert.Throws<ArgumentOutOfRangeException>(() => EvidenceMapping.ResultOf((TransferStatus)999));
    }

    [Fact]
    public void The_codes_of_the_options_in_an_answers_OPT_record_are_recorded_and_none_is_left_out()
    {
        var key = Key(dnssec: false, EdnsProbe.UnknownOption);

        var echoed = Map(key, new EdnsInfo { Options = [new EdnsOption(10, [1, 2]), new EdnsOption(137, [])] });
        var plain = Map(key, new EdnsInfo());
        var none = Map(key, null);

        Assert.True(echoed.Edns);
        Assert.Equal([10, 137], echoed.EdnsOptions!.Select(c => (int)c));
        Assert.Equal((true, null), (plain.Edns, plain.EdnsOptions));
        Assert.Equal((false, null), (none.Edns, none.EdnsOptions));
    }

    [Fact]
    public void Records_the_answers_opt_version_and_its_flags_other_than_do()
    {
        var key = Key(dnssec: true, EdnsProbe.UnknownFlag);

        var odd = Map(key, new EdnsInfo { Version = 1, Flags = 0x8001 });
        var plain = Map(key, new EdnsInfo { Flags = 0x8000 });
        var none = Map(key, null);

        Assert.Equal((1, 0x0001), (odd.OptVersion, odd.OptZ));
        Assert.Equal((0, 0), (plain.OptVersion, plain.OptZ));
        Assert.Equal((0, 0), (none.OptVersion, none.OptZ));
    }

    private static QueryKey Key(bool dnssec, EdnsProbe probe) =>
        new(IPAddress.Loopback, DnsName.Parse("example.test."), RecordType.SOA, Tcp: false, dnssec, Recursion: false, probe);

    /// <summary>The evidence of an answer to <paramref name="key"/> that carries <paramref name="edns"/> as its OPT record (none when null).</summary>
    private static QueryEvidence Map(QueryKey key, EdnsInfo? edns) => EvidenceMapping.ToEvidence(new QueryOutcome
    {
        Server = new IPEndPoint(key.Server, 53),
        Question = new DnsQuestion(key.Name, key.Type),
        Status = QueryStatus.Answer,
        Response = new DnsMessage
        {
            Header = new DnsHeader { IsResponse = true },
            Questions = [new DnsQuestion(key.Name, key.Type)],
            Additional = edns is null ? [] : [edns.ToRecord()],
        },
    }, key);
}
