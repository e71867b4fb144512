using System.Globalization;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Zone;

/// <summary>NSEC3 uses no extra iterations (RFC 9276 §3.1).</summary>
public sealed class ZoneNsec3ParamCheck : IZoneCheck
{
    public static readonly Rule Iterations = new(
        "ZONE_NSEC3_ITERATIONS",
        Severity.Error,
        "NSEC3PARAM asks for extra hash iterations",
        "Extra NSEC3 iterations cost every validating resolver work and add no protection; RFC 9276 §3.1 says the iterations count MUST be 0, and resolvers treat zones above their limit as insecure or fail them. Re-sign the zone with 0 iterations (and no salt).");

    public IReadOnlyList<Rule> Rules { get; } = [Iterations];

    public bool NeedsPolicy => false;

    public IEnumerable<Finding> Run(ZoneCheckContext context)
    {
        foreach (var p in context.Zone.Nsec3Params.Where(p => p.Data.Iterations > 0))
        {
            yield return new Finding(Iterations.Code, ZoneCheckContext.At(p.Position),
                string.Create(CultureInfo.InvariantCulture, $"NSEC3PARAM of zone {context.ZoneName} has {p.Data.Iterations} iterations; RFC 9276 requires 0"),
                context.ZoneName)
            {
                Expected = "0 iterations",
                Found = p.Data.Iterations.ToString(CultureInfo.InvariantCulture),
                Subject = "NSEC3PARAM iterations",
            };
        }
    }
}
