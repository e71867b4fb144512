using System.Net;
using DnsClient;
using NsPolicy.Dns.Tests.Lab;
using NsPolicy.Dns.Transport;

namespace NsPolicy.Dns.Tests.LabTests;

/// <summary>
/// DnsClient 1.8.0's zone transfer against a real server (the other DnsClient findings are in
/// <c>Evaluation/DnsClientEvaluationTests</c>): BIND in the lab serves axfr-open.test. to anyone,
/// in several messages (its TXT records are more than BIND puts in one). The reported weakness
/// "ends AXFR early" is put to the test against the whole transfer nspolicy's own transport reads
/// from the same server.
/// </summary>
[Collection(DnsLabCollection.Name)]
public sealed class DnsClientTransferLabTests(DnsLabFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Refuted_it_reads_a_transfer_of_several_messages_from_bind_to_the_closing_SOA()
    {
        var server = new IPEndPoint(fixture.Lab.AddressOf(LabHost.ChildBind), 53);
        var whole = await new DnsTransport(NetworkGuard.Loopback).TransferAsync(server, DnsName.Parse("axfr-open.test."), new QueryOptions { Timeout = Timeout }, CancellationToken.None);
        var client = new LookupClient(new LookupClientOptions(server) { UseCache = false, UseTcpOnly = true, Timeout = Timeout, Retries = 0 });

        var response = await client.QueryAsync("axfr-open.test.", QueryType.AXFR);

        Assert.Equal(TransferStatus.Completed, whole.Status);
        Assert.True(whole.MessageCount > 1, $"the transfer came in {whole.MessageCount} message(s); the test needs several");
        Assert.Equal(LabCatalogue.TransferRecords + 6, whole.RecordCount);
        Assert.False(response.HasError, response.ErrorMessage);
        Assert.Equal(
            whole.Records.Select(r => (r.Owner.ToString(), (int)r.Type.Value)),
            response.Answers.Select(r => (r.DomainName.Value, (int)r.RecordType)));
    }
}
