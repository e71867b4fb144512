using NsPolicy.Dns;

namespace NsPolicy.Core.Checking;

/// <summary>
/// What <c>nspolicy check</c> is asked to do.
/// </summary>
/// <param name="PolicyPath">The policy file to read; zone files are resolved against its folder.</param>
/// <param name="DisplayPath">The name findings in the policy carry, as the user wrote it.</param>
public sealed record CheckRequest(string PolicyPath, string DisplayPath)
{
    /// <summary>Skip the live stage: only the policy and the zone files are checked.</summary>
    public bool Offline { get; init; }

    /// <summary>The zones to check; empty means every zone in the policy.</summary>
    public IReadOnlyList<DnsName> Zones { get; init; } = [];

    /// <summary>
    /// A git revision: only zones whose policy entry or zone file (or a file it includes) changed
    /// since then are checked. Null checks every selected zone.
    /// </summary>
    public string? ChangedSince { get; init; }

    /// <summary>Only this shard of the (selected) zones; null: all of them. See <see cref="ZoneShard"/>.</summary>
    public ZoneShard? Shard { get; init; }

    /// <summary>Lets $INCLUDE in zone files name files outside the policy's folder (the repository root).</summary>
    public bool AllowIncludeOutsideRoot { get; init; }
}
