// The facts the zone model offers about a zone loaded from master files (RFC 1034 §4.2: the apex,
// zone cuts, glue and data below cuts; RFC 6672 §2.4: data below a DNAME), each placed at the
// file, line and column of the record that stated it.
using System.Globalization;
using System.Net;
using NsPolicy.Dns.Records;

namespace NsPolicy.Dns.Zones;

/// <summary>Where a record was written: the file as the user named it (or its $INCLUDE path), line and column from 1.</summary>
public readonly record struct ZonePosition(string File, int Line, int Column)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}");
}

/// <summary>A record's data with its TTL and place (used for SOA and DNSKEY at the apex).</summary>
public sealed record ZoneItem<T>(T Data, uint Ttl, ZonePosition Position);

/// <summary>A record's owner, data and place.</summary>
public sealed record ZoneOwned<T>(DnsName Owner, T Data, ZonePosition Position);

/// <summary>An NS record: the owner (the apex or a delegation point), the nameserver it names, TTL and place.</summary>
public sealed record ZoneNameserver(DnsName Owner, DnsName Target, uint Ttl, ZonePosition Position);

/// <summary>An A or AAAA record.</summary>
public sealed record ZoneAddress(DnsName Owner, IPAddress Address, uint Ttl, ZonePosition Position);

/// <summary>
/// A zone cut below the apex (RFC 1034 §4.2.1): its NS records, and the address records in the
/// file for those of its nameservers that lie inside the zone (glue when below the cut).
/// </summary>
public sealed record Delegation(DnsName Cut, ZonePosition Position, IReadOnlyList<ZoneNameserver> Nameservers, IReadOnlyList<ZoneAddress> Glue);

/// <summary>Why data is occluded: it sits below (or, other than NS, DS and glue, at) a delegation point, or below a DNAME.</summary>
public enum OcclusionKind
{
    /// <summary>At or below a zone cut, and not glue: the parent is not authoritative for it (RFC 1034 §4.2.1).</summary>
    Delegation,

    /// <summary>Below a DNAME owner: never served (RFC 6672 §2.4).</summary>
    Dname,

    /// <summary>Address records below a zone cut for a name no NS record points at: not glue (RFC 9471 §2), never served.</summary>
    NotGlue,
}

/// <summary>
/// A name whose data the zone will not serve: <paramref name="Type"/> and <paramref name="Position"/>
/// are those of its first occluded record; <paramref name="By"/> is the cut or DNAME owner.
/// </summary>
public sealed record OccludedData(DnsName Owner, RecordType Type, ZonePosition Position, DnsName By, OcclusionKind Kind);

/// <summary>A record whose owner is not at or below the zone's origin.</summary>
public sealed record OutOfZoneRecord(DnsName Owner, RecordType Type, ZonePosition Position);

/// <summary>
/// A name that holds a CNAME: where each CNAME was written, and whether the name also holds data
/// other than CNAME, RRSIG and NSEC (RFC 1034 §3.6.2, RFC 2181 §10.1, RFC 4035 §2.5), with the type
/// and place of the first such record.
/// </summary>
public sealed record CnameOwner(DnsName Owner, IReadOnlyList<ZonePosition> Cnames, RecordType? OtherType, ZonePosition? OtherPosition);

/// <summary>A record's owner, type and place (a DS or SOA where it does not belong).</summary>
public sealed record ZoneRecordPlace(DnsName Owner, RecordType Type, ZonePosition Position);

/// <summary>An MX or SRV record and the host it names.</summary>
public sealed record ZoneTarget(DnsName Owner, RecordType Type, DnsName Target, ZonePosition Position);

/// <summary>
/// A record whose TTL differs from that of the first record of its RRset (same owner and type):
/// <paramref name="Ttl"/> and <paramref name="Position"/> are the differing record's.
/// </summary>
public sealed record ZoneTtlMismatch(DnsName Owner, RecordType Type, uint Ttl, ZonePosition Position, uint FirstTtl, ZonePosition FirstPosition);
