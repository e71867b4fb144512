using System.Net;
using NsPolicy.Dns.Transport;

namespace NsPolicy.Dns.Tests.Transport;

public sealed class NetworkGuardTests
{
    private static readonly DnsName Name = DnsName.Parse("example.test.");

    [Theory]
    [InlineData("192.0.2.1")]
    [InlineData("198.41.0.4")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:192.0.2.1")]
    public async Task Blocks_a_query_to_a_non_loopback_address_without_sending_anything(string address)
    {
        var network = new FakeDnsNetwork { Udp = (q, s) => [FakeDnsNetwork.From(s, FakeDnsNetwork.Reply(q))] };
        var transport = new DnsTransport(network, NetworkGuard.Loopback, TimeProvider.System);
        var server = new IPEndPoint(IPAddress.Parse(address), 53);

        var udp = await transport.QueryAsync(server, Name, RecordType.SOA, QueryOptions.Default, CancellationToken.None);
        var tcp = await transport.QueryAsync(server, Name, RecordType.SOA, QueryOptions.Default with { TcpOnly = true }, CancellationToken.None);
        var axfr = await transport.TransferAsync(server, Name, QueryOptions.Default, CancellationToken.None);

        Assert.Equal(QueryStatus.Blocked, udp.Status);
        Assert.Equal(QueryStatus.Blocked, tcp.Status);
        Assert.Equal(TransferStatus.Blocked, axfr.Status);
        Assert.Contains(NetworkGuard.LoopbackOnlyVariable, udp.Error, StringComparison.Ordinal);
        Assert.Equal(0, network.TotalSent);
    }

    [Theory]
    [InlineData("127.20.0.1")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void Allows_loopback_addresses_when_only_loopback_is_allowed(string address) =>
        Assert.True(NetworkGuard.Loopback.Allows(IPAddress.Parse(address)));

    [Fact]
    public void Allows_any_address_when_unrestricted() =>
        Assert.True(NetworkGuard.Unrestricted.Allows(IPAddress.Parse("192.0.2.1")));

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData(" TRUE ", true)]
    [InlineData("0", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Reads_the_loopback_only_setting(string? value, bool loopbackOnly) =>
        Assert.Equal(loopbackOnly, NetworkGuard.FromSetting(value).LoopbackOnly);
}
