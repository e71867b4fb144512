using System.Net;
using NsPolicy.Dns.Records;
using NsPolicy.Dns.Transport;

namespace NsPolicy.Dns.Tests.Transport;

public sealed class TransferTests
{
    private static readonly IPEndPoint Server = new(IPAddress.Parse("127.0.0.53"), 53);
    private static readonly DnsName Zone = DnsName.Parse("example.test.");
    private static readonly ResourceRecord Soa = new(Zone, 3600, new SoaRData(DnsName.Parse("ns1.example.test."), DnsName.Parse("hostmaster.example.test."), 7, 3600, 600, 86400, 300));
    private static readonly ResourceRecord Ns = new(Zone, 3600, new NsRData(DnsName.Parse("ns1.example.test.")));
    private static readonly ResourceRecord A = new(DnsName.Parse("ns1.example.test."), 3600, new ARData(IPAddress.Parse("127.0.0.1")));

    private static DnsTransport Transport(FakeDnsNetwork network) => new(network, NetworkGuard.Loopback, TimeProvider.System);

    [Fact]
    public async Task Completes_a_transfer_spread_over_several_messages_at_the_second_soa()
    {
        var network = new FakeDnsNetwork
        {
            Tcp = q =>
            [
                FakeDnsNetwork.Reply(q, Soa, Ns).ToWire(),
                (FakeDnsNetwork.Reply(q, A, Soa) with { Questions = [] }).ToWire(),
            ],
        };

        var outcome = await Transport(network).TransferAsync(Server, Zone, QueryOptions.Default, CancellationToken.None);

        Assert.Equal(TransferStatus.Completed, outcome.Status);
        Assert.Equal(Text(Soa, Ns, A, Soa), Text(outcome.Records));
        Assert.Equal(4, outcome.RecordCount);
        Assert.Equal(2, outcome.MessageCount);
        Assert.Equal(RecordType.AXFR, network.TcpQueries.Single().Question!.Type);
    }

    [Fact]
    public async Task Reports_a_refused_transfer_with_its_rcode()
    {
        var network = new FakeDnsNetwork
        {
            Tcp = q => [(FakeDnsNetwork.Reply(q) with { Header = new DnsHeader { Id = q.Header.Id, IsResponse = true, HeaderRcode = (byte)DnsResponseCode.Refused } }).ToWire()],
        };

        var outcome = await Transport(network).TransferAsync(Server, Zone, QueryOptions.Default, CancellationToken.None);

        Assert.Equal(TransferStatus.Refused, outcome.Status);
        Assert.Equal(DnsResponseCode.Refused, outcome.ResponseCode);
        Assert.Empty(outcome.Records);
    }

    [Fact]
    public async Task Reports_a_transfer_cut_off_before_the_closing_soa_as_incomplete()
    {
        var network = new FakeDnsNetwork { Tcp = q => [FakeDnsNetwork.Reply(q, Soa, Ns).ToWire()] };

        var outcome = await Transport(network).TransferAsync(Server, Zone, QueryOptions.Default, CancellationToken.None);

        Assert.Equal(TransferStatus.Incomplete, outcome.Status);
        Assert.Equal(Text(Soa, Ns), Text(outcome.Records));
    }

    [Fact]
    public async Task Reports_a_transfer_that_does_not_start_with_the_soa_as_malformed()
    {
        var network = new FakeDnsNetwork { Tcp = q => [FakeDnsNetwork.Reply(q, Ns, Soa).ToWire()] };

        var outcome = await Transport(network).TransferAsync(Server, Zone, QueryOptions.Default, CancellationToken.None);

        Assert.Equal(TransferStatus.Malformed, outcome.Status);
    }

    private static string[] Text(params IEnumerable<ResourceRecord> records) => [.. records.Select(r => r.ToString())];
}
