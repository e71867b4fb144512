using NsPolicy.Core.Live;
using NsPolicy.Dns;
using NsPolicy.Dns.Resolution;
using NsPolicy.Dns.Transport;
using NsPolicy.Dns.ZoneFiles;
using NsPolicy.Dns.Zones;

namespace NsPolicy.Core.Init;

/// <summary>
/// What <c>nspolicy init</c> captured: a baseline per zone (today's delegation, and what needs a
/// decision) and how the policy that holds them is written.
/// </summary>
public sealed record PolicyCapture(IReadOnlyList<ZoneBaseline> Zones, PolicyWriterOptions Options)
{
    /// <summary>At least one zone was captured, so there is a policy to write.</summary>
    public bool AnyCaptured => Zones.Any(z => z.Captured);

    /// <summary>Something needs a decision (said in the policy's comments).</summary>
    public bool NeedsDecision => Zones.Any(z => z.Problems.Count > 0);

    /// <summary>Each zone's problems, zones in order.</summary>
    public IEnumerable<(DnsName Zone, string Problem)> Problems =>
        Zones.OrderBy(z => z.Zone).SelectMany(z => z.Problems.Select(p => (z.Zone, p)));

    /// <summary>The policy text.</summary>
    public string Write() => PolicyWriter.Write(Zones, Options);

    /// <summary>The delegations of <paramref name="zones"/> as their parents publish them, found from <paramref name="hints"/>.</summary>
    /// <param name="hintsForPolicy">The root hints file as the policy's settings.root-hints names it; null for the built-in hints.</param>
    public static async Task<PolicyCapture> FromParentsAsync(
        IReadOnlyList<DnsName> zones, RootHints hints, string? hintsForPolicy, TimeSpan timeout, NetworkGuard guard, TimeProvider time, CancellationToken cancellationToken)
    {
        var collector = new LiveCollector(new DnsTransport(guard), new LiveOptions { Hints = hints, Timeout = timeout }, time);
        var evidence = await collector.CollectReferralsAsync(zones, cancellationToken).ConfigureAwait(false);
        return new PolicyCapture([.. evidence.Zones.Select(ReferralBaseline.Capture)], PolicyWriterOptions.FromParents(hintsForPolicy));
    }

    /// <summary>Loads a zone file (no $INCLUDE outside its folder); the caller reports <see cref="ZoneModel.Errors"/> and captures it with <see cref="FromZoneFile"/> when there are none.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public static Task<ZoneModel> LoadZoneFileAsync(string path, string displayPath, DnsName apex, CancellationToken cancellationToken) =>
        Task.Run(() => ZoneModel.Load(path, displayPath, apex, ZoneFileOptions.Default), cancellationToken);

    /// <summary>The delegation a loaded zone file describes.</summary>
    /// <param name="pathFromPolicy">The zone file's path relative to the policy's folder, for its zone-file key.</param>
    public static PolicyCapture FromZoneFile(ZoneModel zone, string displayPath, string pathFromPolicy) =>
        new([ZoneFileBaseline.Capture(zone, displayPath, pathFromPolicy)], PolicyWriterOptions.FromZoneFile(displayPath));
}
