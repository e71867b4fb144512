using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;
using NsPolicy.Dns;
using NsPolicy.Dns.Zones;

namespace NsPolicy.Core.Checks;

/// <summary>
/// What a zone-file check sees: the loaded zone, the file it came from (as the user named it), and,
/// when checked against a policy, the zone's policy entry and the policy file's name.
/// </summary>
public sealed record ZoneCheckContext(ZoneModel Zone, string File, ZonePolicy? Policy = null, string? PolicyFile = null)
{
    /// <summary>The zone file at a base revision and now, when a change is checked (<c>check --changed-since</c>); null otherwise.</summary>
    public Zone.ZoneSerialEvidence? Serial { get; init; }

    /// <summary>The zone's name as findings carry it.</summary>
    public DnsName ZoneName => Zone.Origin;

    public static SourceLocation At(ZonePosition position) => new(position.File, position.Line, position.Column);

    /// <summary>The start of the zone file, for facts that have no record to point at.</summary>
    public SourceLocation AtFileStart => new(File, 1, 1);

    /// <summary>A place in the policy file.</summary>
    public SourceLocation AtPolicy(SourcePosition position) => new(PolicyFile ?? string.Empty, position);
}

/// <summary>
/// A pure check of one zone file. Structural checks (<see cref="NeedsPolicy"/> false) run with or
/// without a policy; the others compare the file with the zone's policy entry and run only with one.
/// </summary>
public interface IZoneCheck
{
    IReadOnlyList<Rule> Rules { get; }

    bool NeedsPolicy { get; }

    IEnumerable<Finding> Run(ZoneCheckContext context);
}
