using NsPolicy.Core.Evidence;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;
using NsPolicy.Dns;

namespace NsPolicy.Core.Checks;

/// <summary>Settings of the live checks that are not part of the policy.</summary>
public sealed record LiveCheckSettings
{
    public static LiveCheckSettings Default { get; } = new();

    /// <summary>A DNSKEY signature that expires sooner than this after the evidence was gathered is reported as expiring.</summary>
    public TimeSpan SignatureWindow { get; init; } = TimeSpan.FromDays(7);
}

/// <summary>What a live check sees: the policy, the gathered evidence, and its settings. No I/O happens inside a check.</summary>
public sealed record LiveCheckContext(PolicyDocument Policy, DelegationEvidence Evidence, LiveCheckSettings Settings)
{
    /// <summary>The instant signatures are judged at: when the evidence was gathered.</summary>
    public DateTimeOffset Now => Evidence.CollectedAt;

    public bool TargetIsParent => Evidence.Target == EvidenceTarget.Parent;

    private IReadOnlyList<LiveZone>? zones;

    /// <summary>
    /// Every zone of the policy that has evidence, once, in policy order, with its derived facts:
    /// worked out on first use and shared by every check.
    /// </summary>
    public IReadOnlyList<LiveZone> Zones => zones ??= DeriveZones();

    /// <summary>The zones the parent refers to (at least one referral); none when the evidence targets the policy.</summary>
    public IEnumerable<LiveZone> ReferredZones => TargetIsParent ? Zones.Where(z => z.Referrals.Count > 0) : [];

    public SourceLocation At(SourcePosition position) => new(Policy.File, position);

    private List<LiveZone> DeriveZones()
    {
        // The first evidence of a zone counts, as DelegationEvidence.Find has it.
        var evidence = new Dictionary<DnsName, ZoneEvidence>();
        foreach (var zone in Evidence.Zones)
        {
            evidence.TryAdd(zone.Zone, zone);
        }

        return [.. Policy.Zones
            .DistinctBy(z => z.Zone)
            .Select(z => evidence.TryGetValue(z.Zone, out var e) ? new LiveZone(this, z, e) : null)
            .OfType<LiveZone>()];
    }
}

/// <summary>A pure check of live evidence against the policy. Declares every code it can emit.</summary>
public interface ILiveCheck
{
    IReadOnlyList<Rule> Rules { get; }

    IEnumerable<Finding> Run(LiveCheckContext context);
}
