// RFC 9276 §3.1: NSEC3 iterations MUST be 0 and operators SHOULD NOT use a salt. Judged from the
// NSEC3PARAM record each server serves at the apex.
using System.Globalization;
using NsPolicy.Core.Findings;
using NsPolicy.Dns.Records;

namespace NsPolicy.Core.Checks.Live;

/// <summary>The zone's NSEC3 parameters follow RFC 9276: no extra iterations, no salt.</summary>
public sealed class Nsec3ParameterCheck : ILiveCheck
{
    public static readonly Rule Iterations = new(
        "DNSSEC_NSEC3_ITERATIONS",
        Severity.Error,
        "The zone's NSEC3 uses extra hash iterations",
        "Extra NSEC3 iterations cost every validating resolver work and add no protection. RFC 9276 §3.1 says the iterations count MUST be 0; resolvers treat zones above their limit (often 150, lower in newer versions) as insecure or answer SERVFAIL. Re-sign the zone with 0 iterations.");

    public static readonly Rule Salt = new(
        "DNSSEC_NSEC3_SALT",
        Severity.Notice,
        "The zone's NSEC3 uses a salt",
        "A salt does not stop zone walking and makes every re-salting a full re-sign; RFC 9276 §3.1 says operators SHOULD NOT use one. Re-sign the zone with an empty salt ('-') when convenient.");

    public IReadOnlyList<Rule> Rules { get; } = [Iterations, Salt];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones)
        {
            var served = zone.Servers
                .Select(x => x.Server.Nsec3Param)
                .Where(q => q is { IsAuthoritativeAnswer: true })
                .SelectMany(q => q!.Answer.Where(r => r.Owner == zone.Policy.Zone).Select(r => r.Data).OfType<Nsec3ParamRData>())
                .ToList();
            var iterations = served.Select(p => p.Iterations).Where(i => i > 0).Distinct().Order().ToList();
            if (iterations.Count > 0)
            {
                var found = string.Join(", ", iterations.Select(i => i.ToString(CultureInfo.InvariantCulture)));
                yield return zone.Finding(Iterations, zone.DsLocation,
                    $"the NSEC3PARAM of zone {zone.Name} asks for {found} {(iterations is [1] ? "iteration" : "iterations")}; RFC 9276 requires 0") with
                {
                    Expected = "0 iterations",
                    Found = found,
                    Subject = "NSEC3PARAM iterations",
                };
            }

            var salts = served.Where(p => p.Salt.Length > 0).Select(p => Convert.ToHexString(p.Salt.AsSpan())).Distinct().Order(StringComparer.Ordinal).ToList();
            if (salts.Count > 0)
            {
                var found = string.Join(", ", salts);
                yield return zone.Finding(Salt, zone.DsLocation,
                    $"the NSEC3PARAM of zone {zone.Name} has salt {found}; RFC 9276 advises none") with
                {
                    Expected = "no salt",
                    Found = found,
                    Subject = "NSEC3PARAM salt",
                };
            }
        }
    }
}
