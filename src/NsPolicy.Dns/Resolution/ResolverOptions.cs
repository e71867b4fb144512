using NsPolicy.Dns.Transport;

namespace NsPolicy.Dns.Resolution;

/// <summary>Limits and settings of the iterative resolver.</summary>
public sealed record ResolverOptions
{
    public static ResolverOptions Default { get; } = new();

    /// <summary>How each query is sent (RD is always cleared).</summary>
    public QueryOptions Query { get; init; } = QueryOptions.Default;

    /// <summary>Queries (cached or not) one resolution may make, name-server lookups included.</summary>
    public int MaxQueries { get; init; } = 100;

    /// <summary>CNAMEs followed before giving up.</summary>
    public int MaxCnameChain { get; init; } = 8;

    /// <summary>How deep name-server address lookups may nest.</summary>
    public int MaxNameserverDepth { get; init; } = 4;

    /// <summary>Queries in flight at once, across everything that uses the resolver.</summary>
    public int MaxConcurrency { get; init; } = 16;

    /// <summary>Queries in flight at once to one server address.</summary>
    public int MaxConcurrencyPerServer { get; init; } = 2;

    /// <summary>
    /// How often a query that got no response, at a server that has answered this resolver before,
    /// is asked again once every server of the zone has been tried and none gave a usable answer.
    /// </summary>
    public int ReaskRounds { get; init; } = 2;

    /// <summary>Also query IPv6 addresses of name servers.</summary>
    public bool UseIPv6 { get; init; }

    /// <summary>Longest time a positive response is kept, whatever its TTLs say (RFC 8767 §4 suggests at most 7 days).</summary>
    public TimeSpan MaxCacheTime { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Longest time a negative response (NXDOMAIN, NODATA) is kept (RFC 2308 §5: one to three hours).</summary>
    public TimeSpan MaxNegativeCacheTime { get; init; } = TimeSpan.FromHours(3);

    /// <summary>
    /// How long a failure (refused connection, SERVFAIL, REFUSED, malformed) is kept, so that many
    /// zones behind one broken server do not wait for it again and again (RFC 9520 §3.2: at least
    /// 1 s, at most 5 minutes). No response at all (a timeout) is not kept: it may be one lost datagram.
    /// </summary>
    public TimeSpan FailureCacheTime { get; init; } = TimeSpan.FromSeconds(30);
}
