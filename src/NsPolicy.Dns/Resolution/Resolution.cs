using System.Collections.Immutable;
using System.Net;
using NsPolicy.Dns.Transport;

namespace NsPolicy.Dns.Resolution;

public enum ResolutionStatus
{
    /// <summary>Records of the asked type (after any CNAMEs).</summary>
    Answer,

    /// <summary>The name does not exist (authoritative NXDOMAIN).</summary>
    NXDomain,

    /// <summary>The name exists but has no records of the type.</summary>
    NoData,

    /// <summary>No server of some zone on the way gave a usable response.</summary>
    Failed,

    /// <summary>A CNAME loop, or a referral that does not lead closer to the name.</summary>
    Loop,

    /// <summary>The query budget or the CNAME bound ran out.</summary>
    LimitReached,
}

/// <summary>One query the resolver made (or took from its cache), for --trace and evidence.</summary>
public sealed record ResolutionStep(DnsName Zone, IPEndPoint Server, DnsQuestion Question, QueryOutcome Outcome, int Depth);

/// <summary>The result of resolving one name and type from the root.</summary>
public sealed record Resolution
{
    public required DnsQuestion Question { get; init; }

    public required ResolutionStatus Status { get; init; }

    /// <summary>The CNAME chain followed, then the records of the asked type.</summary>
    public ImmutableArray<ResourceRecord> Answers { get; init; } = [];

    /// <summary>The last response used, when there is one.</summary>
    public DnsMessage? Response { get; init; }

    public ImmutableArray<ResolutionStep> Steps { get; init; } = [];

    public string? Error { get; init; }
}
