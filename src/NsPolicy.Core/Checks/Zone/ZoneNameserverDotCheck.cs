using NsPolicy.Core.Findings;
using NsPolicy.Dns;
using NsPolicy.Dns.Zones;

namespace NsPolicy.Core.Checks.Zone;

/// <summary>
/// An NS target written without its final dot is completed with the origin (RFC 1035 §5.1):
/// ns1.example.net in zone example.com becomes ns1.example.net.example.com., a name inside the zone
/// that has no address. Reported here instead of as a missing address, with the name that was meant.
/// </summary>
public sealed class ZoneNameserverDotCheck : IZoneCheck
{
    public static readonly Rule DotMissing = new(
        "ZONE_NS_TARGET_DOT_MISSING",
        Severity.Error,
        "An NS target lost its final dot and became a name inside the zone",
        "A name without a final dot is relative: the origin is appended (RFC 1035 §5.1), so 'ns1.example.net' in zone example.com means ns1.example.net.example.com., which has no address, and the nameserver cannot be reached. Write the nameserver's full name with a final dot.");

    private static readonly HashSet<string> GenericTlds = new(StringComparer.Ordinal)
    {
        "com", "net", "org", "info", "biz", "edu", "gov", "mil", "int", "arpa", "name", "pro",
    };

    public IReadOnlyList<Rule> Rules { get; } = [DotMissing];

    public bool NeedsPolicy => false;

    /// <summary>
    /// The name <paramref name="target"/> was probably meant to be: when the part before the origin
    /// has two labels or more and ends in a top-level domain that is not itself a name of the zone
    /// (a delegation 'shop' makes ns.shop its own). A top-level domain is recognised as two letters,
    /// one of the original generic ones, the origin's own (ns1.example.shop written in zone
    /// example.shop), or the top-level domain of a nameserver outside the zone that the zone's NS
    /// records name elsewhere (ns2.dns-host.cloud written beside ns1.dns-host.cloud.). Any other
    /// label may name a branch of the zone itself, so the name is taken as meant.
    /// </summary>
    public static DnsName? MeantName(DnsName target, ZoneModel zone)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(zone);
        var relative = target.LabelCount - zone.Origin.LabelCount;
        if (relative < 2 || !target.IsStrictSubdomainOf(zone.Origin))
        {
            return null;
        }

        var labels = target.Labels;
        var last = labels[relative - 1];
        var tldLike = (last.Length == 2 && last.All(char.IsAsciiLetter))
            || GenericTlds.Contains(last)
            || (zone.Origin.LabelCount > 0 && string.Equals(zone.Origin.Labels[^1], last, StringComparison.OrdinalIgnoreCase))
            || zone.OutOfZoneNameserverTopLabels.Contains(last);
        if (!tldLike || zone.HasRecords(target.Suffix(zone.Origin.LabelCount + 1)))
        {
            return null;
        }

        return DnsName.Parse(string.Join('.', labels.Take(relative)) + ".");
    }

    public IEnumerable<Finding> Run(ZoneCheckContext context)
    {
        var zone = context.Zone;
        foreach (var ns in zone.NameserversWithoutAddress)
        {
            if (zone.CnameAt(ns.Target) is not null || MeantName(ns.Target, zone) is not { } meant)
            {
                continue;
            }

            yield return new Finding(DotMissing.Code, ZoneCheckContext.At(ns.Position),
                $"NS record of {ns.Owner} names {ns.Target}, inside the zone and without an address; the final dot is probably missing from {meant.ToString().TrimEnd('.')} (write {meant})",
                context.ZoneName)
            {
                Expected = meant.ToString(),
                Found = ns.Target.ToString(),
                Subject = $"{ns.Owner} {ns.Target}",
            };
        }
    }
}
