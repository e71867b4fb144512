using NsPolicy.Core.Evidence;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;

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

    /// <summary>Every zone of the policy that has evidence, once, in policy order, with its derived facts.</summary>
    public IEnumerable<LiveZone> Zones =>
        Policy.Zones
            .DistinctBy(z => z.Zone)
            .Select(z => Evidence.Find(z.Zone) is { } e ? new LiveZone(this, z, e) : null)
            .OfType<LiveZone>();

    public SourceLocation At(SourcePosition position) => new(Policy.File, position);
}

/// <summary>A pure check of live evidence against the policy. Declares every code it can emit.</summary>
public interface ILiveCheck
{
    IReadOnlyList<Rule> Rules { get; }

    IEnumerable<Finding> Run(LiveCheckContext context);
}
