using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Zone;

/// <summary>
/// An MX exchange and an SRV target name a host with addresses: never an alias (RFC 2181 §10.3,
/// RFC 2782), and never an IP address written where the name belongs (RFC 5321 §5.1).
/// </summary>
public sealed class ZoneServiceTargetCheck : IZoneCheck
{
    public static readonly Rule TargetIsCname = new(
        "ZONE_MX_SRV_TARGET_CNAME",
        Severity.Error,
        "An MX or SRV record names a CNAME",
        "The host in an MX or SRV record must not be an alias (RFC 2181 §10.3, RFC 2782); BIND calls it illegal and mail servers may refuse to follow it. Point the record at the host's real name.");

    public static readonly Rule TargetIsAddress = new(
        "ZONE_MX_SRV_TARGET_ADDRESS",
        Severity.Warning,
        "An MX or SRV record names an IP address instead of a host",
        "MX and SRV records name a host, whose A/AAAA records give the address (RFC 5321 §5.1, RFC 2782). An address written there is taken as a name (192.0.2.1. or, without the final dot, 192.0.2.1.example.com.) that has no address, so mail or the service is not delivered. Name a host and give it the address.");

    public IReadOnlyList<Rule> Rules { get; } = [TargetIsCname, TargetIsAddress];

    public bool NeedsPolicy => false;

    public IEnumerable<Finding> Run(ZoneCheckContext context)
    {
        var zone = context.Zone;
        foreach (var t in zone.ServiceTargetsNamingCname)
        {
            var at = zone.CnameAt(t.Target);
            yield return new Finding(TargetIsCname.Code, ZoneCheckContext.At(t.Position),
                $"{t.Type} record of {t.Owner} names {t.Target}, which is a CNAME{(at is { } p ? $" (at {p})" : string.Empty)}; it must name a host with addresses",
                context.ZoneName)
            {
                Expected = "a host name with A/AAAA records",
                Found = $"CNAME {t.Target}",
                Subject = $"{t.Owner} {t.Type} {t.Target}",
            };
        }

        foreach (var t in zone.ServiceTargetsLikeAddresses)
        {
            yield return new Finding(TargetIsAddress.Code, ZoneCheckContext.At(t.Position),
                $"{t.Type} record of {t.Owner} names {t.Target}, an IP address written as a name; it must name a host",
                context.ZoneName)
            {
                Expected = "a host name",
                Found = t.Target.ToString(),
                Subject = $"{t.Owner} {t.Type} {t.Target}",
            };
        }
    }
}
