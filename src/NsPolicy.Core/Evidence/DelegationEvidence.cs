// Live evidence about delegations: what the parent, every nameserver and the configured resolvers
// answered, gathered before any check runs. Plain immutable data; EvidenceJson reads and writes it.
using System.Net;
using System.Text.Json.Serialization;
using NsPolicy.Dns;

namespace NsPolicy.Core.Evidence;

/// <summary>Where the delegation under test comes from.</summary>
public enum EvidenceTarget
{
    /// <summary>The live delegation: the parent's referral names the nameservers and glue.</summary>
    Parent,

    /// <summary>Pre-delegation readiness: the policy's nameservers and glue, the parent is not asked.</summary>
    Policy,
}

/// <summary>Whether a live run asked IPv6 addresses.</summary>
public enum IPv6Use
{
    /// <summary>Not asked: --ipv6 off (or the hints have no IPv6 root server to try).</summary>
    Off,

    /// <summary>Asked: --ipv6 on, or auto and this host has an IPv6 route.</summary>
    Asked,

    /// <summary>Not asked: --ipv6 auto and this host has no route to IPv6 (or may not send there).</summary>
    Unavailable,
}

/// <summary>Everything a live run gathered, for every zone it looked at.</summary>
public sealed record DelegationEvidence
{
    /// <summary>The version of this file format; readers reject versions they do not know.</summary>
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    public required EvidenceTarget Target { get; init; }

    /// <summary>When gathering started; checks judge signature lifetimes against this instant.</summary>
    public required DateTimeOffset CollectedAt { get; init; }

    /// <summary>Whether IPv6 addresses were asked. Left out of the file when off (as before IPv6 was asked at all).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    [JsonPropertyName("ipv6")]
    public IPv6Use IPv6 { get; init; }

    /// <summary>Zones, sorted by name.</summary>
    public required IReadOnlyList<ZoneEvidence> Zones { get; init; }

    public ZoneEvidence? Find(DnsName zone) => Zones.FirstOrDefault(z => z.Zone == zone);
}

/// <summary>What was gathered about one zone.</summary>
public sealed partial record ZoneEvidence
{
    public required DnsName Zone { get; init; }

    /// <summary>The parent and what each of its servers refers to; empty servers when the target is the policy.</summary>
    public required ParentEvidence Parent { get; init; }

    /// <summary>Every nameserver named by the parent, the child or the policy, sorted by name.</summary>
    public required IReadOnlyList<NameserverEvidence> Nameservers { get; init; }

    /// <summary>The configured recursive resolvers' answers, sorted by address.</summary>
    public IReadOnlyList<ResolverEvidence> Resolvers { get; init; } = [];

    /// <summary>The zone's deadline passed before everything was asked; queries not made are marked <see cref="QueryResult.NotAsked"/>.</summary>
    public bool DeadlineExceeded { get; init; }

    /// <summary>Nameserver names beyond the per-zone limit: recorded, not resolved and not asked. Sorted; null (left out of the file) when none.</summary>
    public IReadOnlyList<DnsName>? NameserversNotAsked { get; init; }

    /// <summary>The zone's (or the run's) query budget was spent; queries not made are marked <see cref="QueryResult.NotAsked"/>. Left out of the file when false.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool QueryBudgetExceeded { get; init; }
}

/// <summary>The zone's parent and the referral each of the parent's server addresses gave.</summary>
public sealed partial record ParentEvidence
{
    /// <summary>The zone that delegates the child, when it could be found.</summary>
    public DnsName? Zone { get; init; }

    /// <summary>Why the parent or its servers could not be found.</summary>
    public string? Error { get; init; }

    /// <summary>One entry per parent server name and address, sorted.</summary>
    public IReadOnlyList<ParentServerEvidence> Servers { get; init; } = [];
}

/// <summary>A non-recursive NS query for the child, with DO, sent to one address of one parent server.</summary>
public sealed partial record ParentServerEvidence
{
    public required DnsName Name { get; init; }

    public required IPAddress Address { get; init; }

    public required QueryEvidence Referral { get; init; }

    /// <summary>
    /// An explicit DS query for the child (with DO), asked only when the server answered the NS
    /// query authoritatively: it serves the child too, and its DS lives in the parent's side of it
    /// (RFC 4035 §3.1.4.1). Null when not asked.
    /// </summary>
    public QueryEvidence? DsQuery { get; init; }
}

/// <summary>Where the name of a nameserver was seen.</summary>
public enum NameSource
{
    Parent,
    Child,
    Policy,
}

/// <summary>Where an address of a nameserver came from.</summary>
public enum AddressSource
{
    /// <summary>Glue in the parent's referral.</summary>
    Glue,

    /// <summary>Glue written in the policy (target policy).</summary>
    PolicyGlue,

    /// <summary>Resolving the name (A and AAAA).</summary>
    Resolution,
}

/// <summary>One nameserver name: how it resolves and what each of its addresses serves.</summary>
public sealed record NameserverEvidence
{
    public required DnsName Name { get; init; }

    public required IReadOnlyList<NameSource> Sources { get; init; }

    public required NameResolutionEvidence Resolution { get; init; }

    /// <summary>One entry per address (glue and resolved together), sorted by address.</summary>
    public required IReadOnlyList<ServerEvidence> Servers { get; init; }
}

/// <summary>How a resolution of a nameserver name ended.</summary>
public enum ResolutionResult
{
    /// <summary>At least one address.</summary>
    Addresses,

    /// <summary>The name exists but has no A or AAAA record.</summary>
    NoAddresses,

    /// <summary>The name (or a CNAME target) does not exist.</summary>
    NXDomain,

    /// <summary>No server on the way gave a usable answer, a loop, or a limit.</summary>
    Failed,

    NotAsked,
}

/// <summary>The A and AAAA lookups of a nameserver name from the root.</summary>
public sealed record NameResolutionEvidence
{
    public required ResolutionResult Result { get; init; }

    /// <summary>CNAMEs followed from the name, in order (empty when the name is not an alias).</summary>
    public IReadOnlyList<DnsName> CnameChain { get; init; } = [];

    /// <summary>Addresses found, sorted.</summary>
    public IReadOnlyList<IPAddress> Addresses { get; init; } = [];

    /// <summary>For NXDOMAIN: the zone whose server said the name does not exist (the owner of the SOA in the authority section).</summary>
    public DnsName? NXDomainZone { get; init; }

    public string? Error { get; init; }
}

/// <summary>What one address of a nameserver answered for the zone's apex.</summary>
public sealed partial record ServerEvidence
{
    public required IPAddress Address { get; init; }

    public required IReadOnlyList<AddressSource> Sources { get; init; }

    /// <summary>SOA over UDP, with DO (RRSIGs kept).</summary>
    public required QueryEvidence SoaUdp { get; init; }

    public required QueryEvidence SoaTcp { get; init; }

    /// <summary>NS over UDP, with DO (RRSIGs kept).</summary>
    public required QueryEvidence NsUdp { get; init; }

    public required QueryEvidence NsTcp { get; init; }

    /// <summary>DNSKEY with DO over UDP (TCP when truncated); RRSIGs are kept.</summary>
    public required QueryEvidence Dnskey { get; init; }

    public required QueryEvidence Cds { get; init; }

    public required QueryEvidence Cdnskey { get; init; }

    public required TransferEvidence Axfr { get; init; }

    /// <summary>NSEC3PARAM at the apex, with DO (RFC 5155 §4, RFC 9276). Null in evidence gathered before it was asked.</summary>
    public QueryEvidence? Nsec3Param { get; init; }

    /// <summary>
    /// A recursive query (RD set) for the root's NS set, a name the server is not meant to answer
    /// for: an authoritative-only server refuses it or refers; an open resolver answers it.
    /// Null in evidence gathered before it was asked.
    /// </summary>
    public QueryEvidence? Recursion { get; init; }

    /// <summary>SOA over UDP with EDNS version 1: a compliant server answers BADVERS (RFC 6891 §6.1.3). Null when not asked.</summary>
    public QueryEvidence? EdnsVersion { get; init; }

    /// <summary>SOA over UDP with an empty EDNS option of an unassigned code (137): a compliant server ignores it (RFC 6891 §6.1.2). Null when not asked.</summary>
    public QueryEvidence? EdnsOption { get; init; }

    /// <summary>SOA over UDP with an undefined EDNS flag bit set: a compliant server ignores it and answers with all such bits clear (RFC 6891 §6.1.4). Null when not asked.</summary>
    public QueryEvidence? EdnsFlag { get; init; }

    /// <summary>
    /// DNSKEY over UDP with DO and a payload size of 512, not repeated over TCP: a signed zone's
    /// answer is likely truncated, and a truncated answer must still carry an OPT record (RFC 6891 §7). Null when not asked.
    /// </summary>
    public QueryEvidence? EdnsTruncated { get; init; }

    /// <summary>SOA over UDP with EDNS version 1 and the unknown option together: BADVERS, the option not echoed (RFC 6891 §6.1.2–6.1.3). Null when not asked.</summary>
    public QueryEvidence? EdnsVersionOption { get; init; }

    /// <summary>The option code <see cref="EdnsOption"/> carries: unassigned in the IANA "DNS EDNS0 Option Codes" registry (as Zonemaster uses).</summary>
    public const ushort UnknownEdnsOptionCode = 137;

    /// <summary>The EDNS flag bit <see cref="EdnsFlag"/> sets: the last of the 16, unassigned in the IANA "EDNS Header Flags" registry.</summary>
    public const ushort UnknownEdnsFlag = 0x0001;
}

/// <summary>How the single AXFR attempt to a server ended.</summary>
public enum TransferResult
{
    Completed,
    Refused,
    Timeout,
    NetworkError,
    Malformed,
    Incomplete,
    Blocked,
    NotAsked,
}

public sealed record TransferEvidence
{
    public required TransferResult Result { get; init; }

    public DnsResponseCode? Rcode { get; init; }

    public int Records { get; init; }

    public string? Error { get; init; }

    /// <summary>The first attempt was cut short (timeout, network error, closed early) at a server that answered other queries, and the transfer was tried once more; this is the second attempt. Left out of the file when false.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Retried { get; init; }
}

/// <summary>A configured recursive resolver's answers for the zone's NS and DS (RD and DO set).</summary>
public sealed record ResolverEvidence
{
    public required IPAddress Address { get; init; }

    public required QueryEvidence Ns { get; init; }

    public required QueryEvidence Ds { get; init; }
}
