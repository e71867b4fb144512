// What a zone file says, reduced to what a secondary would notice: the SOA serial at the apex and a
// digest of every record (SOA with its serial left out) that does not depend on the order of the
// records or on how they are written. Two revisions of a zone file with the same digest hold the
// same data; a different digest with the same serial is a change secondaries never pick up
// (RFC 1034 §4.3.5, RFC 1982).
using NsPolicy.Dns.Records;
using NsPolicy.Dns.ZoneFiles;

namespace NsPolicy.Dns.Zones;

/// <summary>
/// The apex SOA serial and where it was written (null when the file has no SOA at its apex), and an
/// order-independent digest of the records with their TTLs.
/// </summary>
public sealed record ZoneContent(uint? Serial, ZonePosition? SerialPosition, ulong Digest, long RecordCount)
{
    /// <summary>Reads a zone file (and what it includes) as <see cref="ZoneModel.Load(string, string, DnsName, ZoneFileOptions?)"/> does, through the same file-access policy; errors are skipped over.</summary>
    /// <exception cref="IOException">The file cannot be opened or is refused.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static ZoneContent Load(string path, string displayName, DnsName origin, ZoneFileOptions? options = null)
    {
        using var parser = ZoneFileParser.Open(path, displayName, origin, options);
        return Of(Records(parser), origin);

        static IEnumerable<ZoneRecord> Records(ZoneFileParser parser)
        {
            while (parser.Next(out var entry))
            {
                if (!entry.IsError)
                {
                    yield return entry.Record;
                }
            }
        }
    }

    /// <summary>The content of records as the parser gives them.</summary>
    public static ZoneContent Of(IEnumerable<ZoneRecord> records, DnsName origin)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(origin);
        uint? serial = null;
        ZonePosition? position = null;
        ulong digest = 0;
        long count = 0;
        var seen = new HashSet<ulong>();
        foreach (var r in records)
        {
            var rr = r.Record;
            if (rr.Data is SoaRData soa && rr.Owner == origin && serial is null)
            {
                serial = soa.Serial;
                position = new ZonePosition(r.File, r.Line, r.Column);
                rr = rr with { Data = new SoaRData(soa.PrimaryServer, soa.ResponsibleMailbox, 0, soa.Refresh, soa.Retry, soa.Expire, soa.Minimum) };
            }

            // A record written twice is one record (RFC 2181 §5): it counts once.
            var hash = Hash(rr);
            if (seen.Add(hash))
            {
                digest += hash;
                count++;
            }
        }

        return new ZoneContent(serial, position, digest, count);
    }

    // FNV-1a over the record's presentation (owner in lower case), then mixed
    // (SplitMix64's finaliser) so that the sum of many hashes stays well spread.
    private static ulong Hash(ResourceRecord rr)
    {
        var text = $"{rr.Owner}\t{rr.Ttl}\t{rr.Class}\t{rr.Type}\t{rr.Data}";
        var h = 14695981039346656037UL;
        foreach (var c in text)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        h ^= h >> 30;
        h *= 0xbf58476d1ce4e5b9UL;
        h ^= h >> 27;
        h *= 0x94d049bb133111ebUL;
        return h ^ (h >> 31);
    }
}
