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

    [Theory]
    [InlineData("fd00:20:0:3::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fc00::1")]
    public void Refuses_unique_local_addresses_unless_a_prefix_allows_them(string address)
    {
        Assert.True(NetworkGuard.TryFromSettings("1", null, out var guard, out var error));
        Assert.Null(error);
        Assert.False(guard.Allows(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("fd00::/8", "fd00:20:0:3::1", true)]
    [InlineData("fd00:20::/32", "fd00:20:0:3::1", true)]
    [InlineData("fd00:20::/32", "fd00:21::1", false)]
    [InlineData("fd00:20::/32, fd00:21::/32", "fd00:21::1", true)]
    [InlineData("fd00::/8", "2001:db8::1", false)]
    [InlineData("fd00::/8", "192.0.2.1", false)]
    [InlineData("fd00::/8", "127.20.0.1", true)]
    public void Allowed_prefixes_widen_the_loopback_guard_by_exactly_those_prefixes(string prefixes, string address, bool allowed)
    {
        Assert.True(NetworkGuard.TryFromSettings("1", prefixes, out var guard, out var error), error);
        Assert.Equal(allowed, guard.Allows(IPAddress.Parse(address)));
    }

    [Fact]
    public async Task A_query_outside_the_allowed_prefixes_is_blocked_and_says_what_is_allowed()
    {
        Assert.True(NetworkGuard.TryFromSettings("1", "fd00:20::/32", out var guard, out _));
        var network = new FakeDnsNetwork { Udp = (q, s) => [FakeDnsNetwork.From(s, FakeDnsNetwork.Reply(q))] };
        var transport = new DnsTransport(network, guard, TimeProvider.System);

        var blocked = await transport.QueryAsync(new IPEndPoint(IPAddress.Parse("fd00:99::1"), 53), Name, RecordType.SOA, QueryOptions.Default, CancellationToken.None);
        var allowed = await transport.QueryAsync(new IPEndPoint(IPAddress.Parse("fd00:20::1"), 53), Name, RecordType.SOA, QueryOptions.Default, CancellationToken.None);

        Assert.Equal(QueryStatus.Blocked, blocked.Status);
        Assert.Equal("fd00:99::1 is not a loopback address and only loopback and fd00:20::/32 are allowed (NSPOLICY_LOOPBACK_ONLY=1, NSPOLICY_ALLOW_PREFIXES); nothing was sent", blocked.Error);
        Assert.Equal(QueryStatus.Answer, allowed.Status);
        Assert.Equal(1, network.TotalSent);
    }

    [Fact]
    public void Allowed_prefixes_do_not_make_a_guard_when_loopback_only_is_not_set()
    {
        Assert.True(NetworkGuard.TryFromSettings(null, "fd00::/8", out var guard, out _));
        Assert.False(guard.LoopbackOnly);
        Assert.True(guard.Allows(IPAddress.Parse("192.0.2.1")));
    }

    [Theory]
    [InlineData("::/0", "::/0 is not inside fd00::/8")]
    [InlineData("fc00::/7", "fc00::/7 is not inside fd00::/8")]
    [InlineData("2001:db8::/32", "2001:db8::/32 is not inside fd00::/8")]
    [InlineData("10.0.0.0/8", "10.0.0.0/8 is not inside fd00::/8")]
    [InlineData("fd00::1", "`fd00::1` is not a prefix")]
    [InlineData("fd00::/8,nonsense", "`nonsense` is not a prefix")]
    public void Refuses_prefixes_that_are_not_unique_local(string prefixes, string expected)
    {
        Assert.False(NetworkGuard.TryFromSettings("1", prefixes, out var guard, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.StartsWith("NSPOLICY_ALLOW_PREFIXES: ", error, StringComparison.Ordinal);
        Assert.Empty(guard.AllowedPrefixes);
    }
}
