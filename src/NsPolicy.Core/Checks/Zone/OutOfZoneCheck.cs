using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Zone;

/// <summary>Records whose owner is outside the zone are ignored by name servers (RFC 1034 §4.2.1).</summary>
public sealed class OutOfZoneCheck : IZoneCheck
{
    public static readonly Rule OutOfZone = new(
        "ZONE_OUT_OF_ZONE",
        Severity.Error,
        "A record lies outside the zone",
        "The record's owner name is not at or below the zone's apex, so name servers drop it when loading (BIND: \"ignoring out-of-zone data\"). Usually a name that should have been relative was written absolute (or a trailing dot is missing or extra), or $ORIGIN was changed. Correct the name or move the record to the zone it belongs to.");

    public IReadOnlyList<Rule> Rules { get; } = [OutOfZone];

    public bool NeedsPolicy => false;

    public IEnumerable<Finding> Run(ZoneCheckContext context)
    {
        foreach (var record in context.Zone.OutOfZone)
        {
            yield return new Finding(OutOfZone.Code, ZoneCheckContext.At(record.Position),
                $"{record.Owner} {record.Type} is outside zone {context.ZoneName} and will not be served", context.ZoneName)
            {
                Expected = $"a name at or below {context.ZoneName}",
                Found = record.Owner.ToString(),
                Subject = $"{record.Owner} {record.Type}",
            };
        }
    }
}
