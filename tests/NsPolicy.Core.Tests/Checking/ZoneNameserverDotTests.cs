using NsPolicy.Core.Checks.Zone;
using NsPolicy.Dns;
using NsPolicy.Dns.Zones;

namespace NsPolicy.Core.Tests.Checking;

/// <summary>Which in-zone NS targets without an address are taken as a lost final dot, and which as meant.</summary>
public sealed class ZoneNameserverDotTests
{
    private const string Head = "$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ NS ns1\nns1 A 192.0.2.1\n";

    [Theory]
    // The origin's own top-level domain: ns1.example.shop written in zone example.shop.
    [InlineData("example.shop.", "@ NS ns1.example.shop\n", "ns1.example.shop.example.shop.", "ns1.example.shop.")]
    // A two-letter and an original generic top-level domain, as before.
    [InlineData("example.shop.", "@ NS ns.provider.de\n", "ns.provider.de.example.shop.", "ns.provider.de.")]
    [InlineData("example.shop.", "@ NS ns.provider.net\n", "ns.provider.net.example.shop.", "ns.provider.net.")]
    // A top-level domain that another NS record of the zone names outside it (at a cut here).
    [InlineData("example.shop.", "sub NS ns1.host.cloud.\nsub NS ns2.host.cloud\n", "ns2.host.cloud.example.shop.", "ns2.host.cloud.")]
    public void Lost_dot_is_recognised(string origin, string records, string target, string meant)
    {
        var zone = ZoneModel.LoadText(Head + records, "t.zone", DnsName.Parse(origin));

        Assert.Equal(DnsName.Parse(meant), ZoneNameserverDotCheck.MeantName(DnsName.Parse(target), zone));
    }

    [Theory]
    // One label before the origin: a host of the zone.
    [InlineData("example.shop.", "@ NS ns2\n", "ns2.example.shop.")]
    // A last label that no NS record of the zone uses as a top-level domain, and that is not the origin's.
    [InlineData("example.shop.", "sub NS ns1.host.cloud.\n@ NS ns.dc.office\n", "ns.dc.office.example.shop.")]
    // The label below the origin is a name of the zone (a delegation 'cloud' makes ns.x.cloud its own).
    [InlineData("example.shop.", "sub NS ns1.host.cloud.\ncloud NS ns1.host.cloud.\n@ NS ns.x.cloud\n", "ns.x.cloud.example.shop.")]
    public void Meant_in_zone_names_are_left_alone(string origin, string records, string target)
    {
        var zone = ZoneModel.LoadText(Head + records, "t.zone", DnsName.Parse(origin));

        Assert.Null(ZoneNameserverDotCheck.MeantName(DnsName.Parse(target), zone));
    }
}
