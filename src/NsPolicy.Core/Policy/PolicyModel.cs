using System.Net;
using NsPolicy.Core.Findings;
using NsPolicy.Dns;

namespace NsPolicy.Core.Policy;

/// <summary>A value from the policy file together with where it was written.</summary>
public sealed record Located<T>(T Value, SourcePosition Position);

public enum DnssecExpectation
{
    Any,
    Signed,
    Unsigned,
}

public readonly record struct TtlRange(uint Min, uint Max)
{
    public static TtlRange Default { get; } = new(3600, 172800);

    public bool Contains(uint ttl) => ttl >= Min && ttl <= Max;
}

/// <summary>A loaded, schema-valid policy. Names are canonical; entries that failed to parse are left out.</summary>
public sealed record PolicyDocument(
    string File,
    int Version,
    PolicySettings Settings,
    IReadOnlyList<NameserverSet> NameserverSets,
    IReadOnlyList<ZonePolicy> Zones);

public sealed record PolicySettings(
    IReadOnlyList<Located<IPAddress>> Resolvers,
    Located<string>? RootHints,
    TimeSpan Timeout,
    int Retries,
    IReadOnlyList<SeverityOverride> Severity)
{
    /// <summary>settings.ipv6: auto, on or off; null when not written (auto).</summary>
    public Located<string>? IPv6 { get; init; }

    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(2);

    public const int DefaultRetries = 2;
}

public sealed record SeverityOverride(string Code, Severity Severity, SourcePosition Position);

public sealed record NameserverSet(string Name, SourcePosition Position, IReadOnlyList<Located<DnsName>> Nameservers);

/// <summary>One nameserver of a zone; <see cref="ViaSet"/> names the set it came from, if any.</summary>
public sealed record NameserverEntry(DnsName Name, SourcePosition Position, string? ViaSet);

/// <summary>A <c>$name</c> reference in a zone's nameserver list.</summary>
public sealed record SetReference(string Name, SourcePosition Position);

public sealed record GlueEntry(DnsName Nameserver, SourcePosition Position, IReadOnlyList<Located<IPAddress>> Addresses);

public sealed record DsSpec(ushort KeyTag, byte Algorithm, byte DigestType, string Digest, SourcePosition Position)
{
    /// <summary>The digest as upper-case hexadecimal, as DNS tools print it.</summary>
    public string DigestHex => Digest.ToUpperInvariant();
}

public sealed record Acknowledgement(string Code, string Reason, DateOnly Until, SourcePosition Position);

public sealed record ZonePolicy(
    DnsName Zone,
    string Spelling,
    SourcePosition Position,
    IReadOnlyList<NameserverEntry> Nameservers,
    IReadOnlyList<SetReference> SetReferences,
    IReadOnlyList<GlueEntry> Glue,
    IReadOnlyList<DsSpec> Ds,
    Located<int> MinNameservers,
    Located<TtlRange> NsTtl,
    Located<DnssecExpectation> Dnssec,
    Located<string>? ZoneFile,
    IReadOnlyList<Acknowledgement> Acknowledgements)
{
    /// <summary>The highest min-nameservers the schema accepts (its <c>maximum</c>, in defaults and per zone).</summary>
    public const int MaxMinNameservers = 13;
}
