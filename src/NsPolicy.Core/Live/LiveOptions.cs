using System.Net;
using NsPolicy.Core.Evidence;
using NsPolicy.Dns.Resolution;

namespace NsPolicy.Core.Live;

/// <summary>How live evidence is gathered: where resolution starts, whom to ask, how long to wait.</summary>
public sealed record LiveOptions
{
    public RootHints Hints { get; init; } = RootHints.Iana;

    /// <summary>Recursive resolvers asked for the zones' NS and DS (RD and DO set).</summary>
    public IReadOnlyList<IPAddress> Resolvers { get; init; } = [];

    /// <summary>Time for the first attempt of a query; each retry doubles it.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    public int Retries { get; init; } = 2;

    /// <summary>Queries in flight at once, across all zones; also the number of zones gathered at once.</summary>
    public int Concurrency { get; init; } = 64;

    /// <summary>Queries in flight at once to one server address.</summary>
    public int PerServerConcurrency { get; init; } = 8;

    /// <summary>Time allowed for one zone; null: eight times the worst case of one query with its retries, at least 10 s.</summary>
    public TimeSpan? ZoneDeadline { get; init; }

    public EvidenceTarget Target { get; init; } = EvidenceTarget.Parent;

    /// <summary>
    /// Also query parent servers (when some have IPv4 addresses too) and nameservers at their IPv6
    /// addresses; off, a runner without IPv6 (GitHub's hosted runners) sees no false unreachability.
    /// The addresses are recorded either way.
    /// </summary>
    public bool UseIPv6 { get; init; }

    /// <summary>
    /// Nameserver names asked per zone; names beyond it (policy names first, then the parent's, then
    /// the child's, each sorted) are recorded as not asked, so a hostile delegation cannot use the
    /// checker as an amplifier.
    /// </summary>
    public int MaxNameserversPerZone { get; init; } = 32;

    /// <summary>Queries and transfers one zone may ask of nameservers, parent servers and resolvers (shared answers count too).</summary>
    public int MaxQueriesPerZone { get; init; } = 600;

    /// <summary>Queries and transfers the whole run may send through the collector.</summary>
    public int MaxQueriesPerRun { get; init; } = 1_000_000;

    /// <summary>The worst-case time of one query: every attempt timing out, each twice as long as the one before.</summary>
    public TimeSpan WorstQueryTime => Saturate(Timeout.Ticks * (double)((1 << (Math.Clamp(Retries, 0, 6) + 1)) - 1));

    /// <summary>
    /// The zone's deadline, never above <see cref="MaxZoneDeadline"/> (a timer cannot wait longer
    /// than about 24 days), computed without overflow whatever the timeout.
    /// </summary>
    public TimeSpan EffectiveZoneDeadline => ZoneDeadline is { } set
        ? Saturate(set.Ticks)
        : Saturate(Math.Max(TimeSpan.FromSeconds(10).Ticks, WorstQueryTime.Ticks * 8.0));

    /// <summary>The longest zone deadline: a week.</summary>
    public static readonly TimeSpan MaxZoneDeadline = TimeSpan.FromDays(7);

    private static TimeSpan Saturate(double ticks) =>
        TimeSpan.FromTicks((long)Math.Clamp(ticks, 1, MaxZoneDeadline.Ticks));
}

/// <summary>How far a live run has got.</summary>
public readonly record struct LiveProgress(int ZonesDone, int ZonesTotal);
