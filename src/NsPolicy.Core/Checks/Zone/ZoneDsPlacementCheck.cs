using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Zone;

/// <summary>
/// A DS record belongs to the parent side of a zone cut (RFC 4035 §2.4, RFC 4034 §5): never at the
/// zone's own apex, and only at a name that the zone delegates.
/// </summary>
public sealed class ZoneDsPlacementCheck : IZoneCheck
{
    public static readonly Rule AtApex = new(
        "ZONE_DS_AT_APEX",
        Severity.Error,
        "A DS record is at the zone's apex",
        "The DS record of a zone is published by its parent, not by the zone itself (RFC 4035 §2.4); BIND refuses to load a zone with a DS at its top. Send the DS to the parent (registrar) and delete it from this file.");

    public static readonly Rule NotAtDelegation = new(
        "ZONE_DS_NOT_AT_DELEGATION",
        Severity.Error,
        "A DS record is at a name that is not a delegation point",
        "A DS record may only stand beside the NS records of a delegation (RFC 4035 §2.4): it vouches for the child zone's keys. At any other name it is meaningless and BIND 9.19 refuses it. Add the delegation's NS records or delete the DS.");

    public IReadOnlyList<Rule> Rules { get; } = [AtApex, NotAtDelegation];

    public bool NeedsPolicy => false;

    public IEnumerable<Finding> Run(ZoneCheckContext context)
    {
        foreach (var ds in context.Zone.MisplacedDs)
        {
            var apex = ds.Owner == context.Zone.Origin;
            yield return new Finding(apex ? AtApex.Code : NotAtDelegation.Code, ZoneCheckContext.At(ds.Position),
                apex
                    ? $"DS record at the apex of zone {context.ZoneName}; a zone's DS belongs in its parent"
                    : $"DS record at {ds.Owner}, which has no NS records: DS belongs only at a delegation point",
                context.ZoneName)
            {
                Expected = apex ? "no DS at the apex" : $"NS records at {ds.Owner}",
                Found = $"DS at {ds.Owner}",
                Subject = $"{ds.Owner} DS",
            };
        }
    }
}
