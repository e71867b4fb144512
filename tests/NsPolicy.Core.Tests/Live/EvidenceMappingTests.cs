using NsPolicy.Core.Evidence;
using NsPolicy.Core.Live;
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
}
