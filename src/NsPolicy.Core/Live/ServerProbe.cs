// What one address of a nameserver is asked about the zone's apex: SOA and NS over UDP (with DO,
// for their signatures) and over TCP (both on one connection), DNSKEY and NSEC3PARAM with DO, CDS and CDNSKEY (RFC 7344), one
// recursive query for a name outside the zone (open recursion), two EDNS compliance probes (version
// 1, an unknown option: RFC 6891), and one AXFR attempt.
using System.Net;
using NsPolicy.Core.Evidence;
using NsPolicy.Dns;

namespace NsPolicy.Core.Live;

internal static class ServerProbe
{
    public static async Task<ServerEvidence> ProbeAsync(ZoneRun zone, IPAddress address, IReadOnlyList<AddressSource> sources)
    {
        var apex = zone.Zone;
        var soaUdp = zone.QueryAsync(address, apex, RecordType.SOA, tcp: false, dnssec: true, recursion: false);
        var overTcp = zone.QueryTcpTogether(address, apex, [RecordType.SOA, RecordType.NS], dnssec: false);
        var (soaTcp, nsTcp) = (overTcp[0], overTcp[1]);
        var nsUdp = zone.QueryAsync(address, apex, RecordType.NS, tcp: false, dnssec: true, recursion: false);
        var dnskey = zone.QueryAsync(address, apex, RecordType.DNSKEY, tcp: false, dnssec: true, recursion: false);
        var cds = zone.QueryAsync(address, apex, RecordType.CDS, tcp: false, dnssec: false, recursion: false);
        var cdnskey = zone.QueryAsync(address, apex, RecordType.CDNSKEY, tcp: false, dnssec: false, recursion: false);
        var nsec3Param = zone.QueryAsync(address, apex, RecordType.NSEC3PARAM, tcp: false, dnssec: true, recursion: false);
        var recursion = zone.QueryAsync(address, DnsName.Root, RecordType.NS, tcp: false, dnssec: false, recursion: true);
        var ednsVersion = zone.QueryAsync(address, apex, RecordType.SOA, tcp: false, dnssec: false, recursion: false, EdnsProbe.Version1);
        var ednsOption = zone.QueryAsync(address, apex, RecordType.SOA, tcp: false, dnssec: false, recursion: false, EdnsProbe.UnknownOption);
        var axfr = zone.TransferAsync(address);
        await Task.WhenAll(soaUdp, soaTcp, nsUdp, nsTcp, dnskey, cds, cdnskey, nsec3Param, recursion, ednsVersion, ednsOption, axfr).ConfigureAwait(false);
        return new ServerEvidence
        {
            Address = address,
            Sources = sources,
            SoaUdp = await soaUdp.ConfigureAwait(false),
            SoaTcp = await soaTcp.ConfigureAwait(false),
            NsUdp = await nsUdp.ConfigureAwait(false),
            NsTcp = await nsTcp.ConfigureAwait(false),
            Dnskey = await dnskey.ConfigureAwait(false),
            Cds = await cds.ConfigureAwait(false),
            Cdnskey = await cdnskey.ConfigureAwait(false),
            Axfr = await axfr.ConfigureAwait(false),
            Nsec3Param = await nsec3Param.ConfigureAwait(false),
            Recursion = await recursion.ConfigureAwait(false),
            EdnsVersion = await ednsVersion.ConfigureAwait(false),
            EdnsOption = await ednsOption.ConfigureAwait(false),
        };
    }
}
