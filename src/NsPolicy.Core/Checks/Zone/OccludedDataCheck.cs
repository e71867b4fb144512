using NsPolicy.Core.Findings;
using NsPolicy.Dns.Zones;

namespace NsPolicy.Core.Checks.Zone;

/// <summary>
/// Data at or below a zone cut, other than NS, DS and glue, and anything below a DNAME, is never
/// served (RFC 1034 §4.2.1, RFC 6672 §2.4).
/// </summary>
public sealed class OccludedDataCheck : IZoneCheck
{
    public static readonly Rule Occluded = new(
        "ZONE_OCCLUDED_DATA",
        Severity.Warning,
        "Data is hidden below a delegation or a DNAME",
        "Below a delegation point only glue addresses belong, and at it only NS, DS and DNSSEC records: the rest belongs to the child zone and this zone will not serve it. Nothing below a DNAME is ever served. Often a delegation was added over names that still hold records; move the records to the child zone or delete them.");

    public IReadOnlyList<Rule> Rules { get; } = [Occluded];

    public bool NeedsPolicy => false;

    public IEnumerable<Finding> Run(ZoneCheckContext context)
    {
        foreach (var o in context.Zone.Occluded)
        {
            var why = o.Kind switch
            {
                OcclusionKind.Dname => $"is below the DNAME at {o.By}",
                OcclusionKind.NotGlue => $"is below the delegation point {o.By} and no NS record names {o.Owner}, so it is not glue",
                _ when o.Owner == o.By => $"is at the delegation point {o.By}, where only NS, DS and glue are served",
                _ => $"is below the delegation point {o.By}, where only glue addresses are kept",
            };
            yield return new Finding(Occluded.Code, ZoneCheckContext.At(o.Position), $"{o.Owner} {o.Type} {why}; it will not be served", context.ZoneName)
            {
                Expected = "no data here",
                Found = $"{o.Owner} {o.Type}",
                Subject = $"{o.Owner} {o.Type}",
            };
        }
    }
}
