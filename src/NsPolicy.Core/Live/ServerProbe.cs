// What one address of a nameserver is asked about the zone's apex: SOA and NS over UDP (with DO,
// for their signatures) and over TCP (both on one connection), DNSKEY and NSEC3PARAM with DO, CDS and CDNSKEY (RFC 7344), one
// recursive query for a name outside the zone (open recursion), five EDNS compliance probes (RFC
// 6891: version 1; an unknown option; an unknown flag; DNSKEY with DO at 512 octets, kept if
// truncated; version 1 with the unknown option), and one AXFR attempt. A query that went unanswered at an address
// that answers others is asked again before the silence stands (ZoneRun.ReaskSilentAsync): one lost
// datagram, or a query and its retry lost, must not become a finding.
using System.Net;
using NsPolicy.Core.Evidence;
using NsPolicy.Dns;

namespace NsPolicy.Core.Live;

internal static class ServerProbe
{
    public static async Task<ServerEvidence> ProbeAsync(ZoneRun zone, IPAddress address, IReadOnlyList<AddressSource> sources)
    {
        var apex = zone.Zone;
        QueryKey[] keys =
        [
            new(address, apex, RecordType.SOA, Tcp: false, Dnssec: true, Recursion: false),
            new(address, apex, RecordType.SOA, Tcp: true, Dnssec: false, Recursion: false),
            new(address, apex, RecordType.NS, Tcp: false, Dnssec: true, Recursion: false),
            new(address, apex, RecordType.NS, Tcp: true, Dnssec: false, Recursion: false),
            new(address, apex, RecordType.DNSKEY, Tcp: false, Dnssec: true, Recursion: false),
            new(address, apex, RecordType.CDS, Tcp: false, Dnssec: false, Recursion: false),
            new(address, apex, RecordType.CDNSKEY, Tcp: false, Dnssec: false, Recursion: false),
            new(address, apex, RecordType.NSEC3PARAM, Tcp: false, Dnssec: true, Recursion: false),
            new(address, DnsName.Root, RecordType.NS, Tcp: false, Dnssec: false, Recursion: true),
            new(address, apex, RecordType.SOA, Tcp: false, Dnssec: false, Recursion: false, EdnsProbe.Version1),
            new(address, apex, RecordType.SOA, Tcp: false, Dnssec: false, Recursion: false, EdnsProbe.UnknownOption),
            new(address, apex, RecordType.SOA, Tcp: false, Dnssec: false, Recursion: false, EdnsProbe.UnknownFlag),
            new(address, apex, RecordType.DNSKEY, Tcp: false, Dnssec: true, Recursion: false, EdnsProbe.Small),
            new(address, apex, RecordType.SOA, Tcp: false, Dnssec: false, Recursion: false, EdnsProbe.Version1WithOption),
        ];

        // The SOA and NS over TCP (keys 1 and 3) share one connection; a re-ask goes alone.
        var overTcp = zone.QueryTcpTogether(address, apex, [RecordType.SOA, RecordType.NS], dnssec: false);
        var axfr = zone.TransferAsync(address);
        var answers = await Task.WhenAll(keys.Select((key, i) => i switch
        {
            1 => overTcp[0],
            3 => overTcp[1],
            _ => zone.QueryAsync(key),
        })).ConfigureAwait(false);

        // Silence from an address that answers other queries is loss until asked again.
        await zone.ReaskSilentAsync(keys, answers).ConfigureAwait(false);
        return new ServerEvidence
        {
            Address = address,
            Sources = sources,
            SoaUdp = answers[0],
            SoaTcp = answers[1],
            NsUdp = answers[2],
            NsTcp = answers[3],
            Dnskey = answers[4],
            Cds = answers[5],
            Cdnskey = answers[6],
            Nsec3Param = answers[7],
            Recursion = answers[8],
            EdnsVersion = answers[9],
            EdnsOption = answers[10],
            EdnsFlag = answers[11],
            EdnsTruncated = answers[12],
            EdnsVersionOption = answers[13],
            Axfr = await axfr.ConfigureAwait(false),
        };
    }
}
