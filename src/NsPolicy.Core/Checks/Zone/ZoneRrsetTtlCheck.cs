using System.Globalization;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Zone;

/// <summary>The records of one RRset share one TTL (RFC 2181 §5.2).</summary>
public sealed class ZoneRrsetTtlCheck : IZoneCheck
{
    public static readonly Rule Mismatch = new(
        "ZONE_RRSET_TTL_MISMATCH",
        Severity.Warning,
        "Records of one RRset have different TTLs",
        "All records with the same name, class and type form one RRset and must carry one TTL (RFC 2181 §5.2). Name servers quietly set them all to one value (BIND takes the first), so the TTL written on the other lines is not the one served. Give the records one TTL.");

    public IReadOnlyList<Rule> Rules { get; } = [Mismatch];

    public bool NeedsPolicy => false;

    public IEnumerable<Finding> Run(ZoneCheckContext context)
    {
        foreach (var m in context.Zone.TtlMismatches)
        {
            yield return new Finding(Mismatch.Code, ZoneCheckContext.At(m.Position),
                string.Create(CultureInfo.InvariantCulture, $"{m.Owner} {m.Type} has TTL {m.Ttl} here but {m.FirstTtl} at {m.FirstPosition}; the records of one RRset share one TTL"),
                context.ZoneName)
            {
                Expected = string.Create(CultureInfo.InvariantCulture, $"TTL {m.FirstTtl}"),
                Found = string.Create(CultureInfo.InvariantCulture, $"TTL {m.Ttl}"),
                Subject = $"{m.Owner} {m.Type}",
            };
        }
    }
}
