// What `nspolicy init` captured about one zone's delegation, from the parent's referrals or from a
// zone file, before it is written out as policy YAML.
using System.Net;
using NsPolicy.Dns;
using NsPolicy.Dns.Records;

namespace NsPolicy.Core.Init;

/// <summary>Glue addresses of one in-bailiwick nameserver, sorted.</summary>
public sealed record BaselineGlue(DnsName Nameserver, IReadOnlyList<IPAddress> Addresses);

/// <summary>
/// The delegation of one zone as found today. When <see cref="Nameservers"/> is empty nothing could
/// be captured and <see cref="Problems"/> says why; the zone is then written as a comment only.
/// </summary>
public sealed record ZoneBaseline
{
    public required DnsName Zone { get; init; }

    /// <summary>Where the delegation was read, for a comment above the zone: "the parent test. (2 server addresses)".</summary>
    public required string Source { get; init; }

    /// <summary>The nameservers, sorted; empty when the delegation could not be captured.</summary>
    public IReadOnlyList<DnsName> Nameservers { get; init; } = [];

    /// <summary>Glue for the in-bailiwick nameservers, sorted by name.</summary>
    public IReadOnlyList<BaselineGlue> Glue { get; init; } = [];

    /// <summary>DS records, sorted by key tag, algorithm, digest type and digest.</summary>
    public IReadOnlyList<DsRData> Ds { get; init; } = [];

    /// <summary>The zone file, as the policy should name it (relative to the policy file), or null.</summary>
    public string? ZoneFile { get; init; }

    /// <summary>
    /// What the user must look at before committing: the sources disagree, some did not answer,
    /// something the policy needs is missing. One sentence each; written as comments and to stderr.
    /// </summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    public bool Captured => Nameservers.Count > 0;

    /// <summary>A zone not captured because the policy cannot spell its name or one of its nameservers; null when it can.</summary>
    internal static ZoneBaseline? Unwritable(DnsName zone, string source, IEnumerable<DnsName> nameservers)
    {
        var bad = nameservers.Prepend(zone).Where(n => !PolicyWriter.CanWrite(n)).Distinct().ToList();
        return bad.Count == 0 ? null : new ZoneBaseline
        {
            Zone = zone,
            Source = source,
            Problems = [$"not captured: a policy cannot name {string.Join(", ", bad)} (host names there allow no escapes, spaces, '/', '@' or '$')"],
        };
    }
}
