using System.Text;
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Live;
using NsPolicy.Core.Policy;
using NsPolicy.Dns;
using NsPolicy.Dns.Records;
using NsPolicy.Dns.Resolution;
using NsPolicy.Dns.Transport;

namespace NsPolicy.Core.Tests.Live;

/// <summary>
/// What the collector tests at the network seam share: a policy from YAML, the collector's options
/// for a hand-written hierarchy, a collector over a fake network, and the answers' headers.
/// </summary>
internal static class NetworkSeam
{
    public static async Task<PolicyDocument> PolicyAsync(string yaml) =>
        (await PolicyLoader.LoadAsync("policy.yaml", Encoding.UTF8.GetBytes(yaml), CancellationToken.None)).Document!;

    /// <summary>Options that find the root through <paramref name="hints"/>, wait 5 s and never retry.</summary>
    public static LiveOptions Options(string hints) => new()
    {
        Hints = RootHints.Parse(hints, "hints"),
        Timeout = TimeSpan.FromSeconds(5),
        Retries = 0,
        Concurrency = 8,
    };

    public static Task<DelegationEvidence> CollectAsync(IDnsNetwork network, NetworkGuard guard, LiveOptions options, PolicyDocument policy) =>
        new LiveCollector(new DnsTransport(network, guard, TimeProvider.System), options, TimeProvider.System)
            .CollectAsync(policy.Zones, null, CancellationToken.None);

    public static DnsHeader Header(DnsMessage query, bool authoritative, DnsResponseCode rcode = DnsResponseCode.NoError) =>
        new() { Id = query.Header.Id, IsResponse = true, IsAuthoritative = authoritative, HeaderRcode = (byte)rcode };

    /// <summary>An answer as a server that speaks EDNS gives it: with an OPT record when the query had one (RFC 6891 §7).</summary>
    public static DnsMessage Response(DnsMessage query, bool authoritative, params ResourceRecord[] answers) => new()
    {
        Header = Header(query, authoritative),
        Questions = query.Questions,
        Answers = [.. answers],
        Additional = query.Edns is null ? [] : [new EdnsInfo().ToRecord()],
    };
}
