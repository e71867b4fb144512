using System.Globalization;
using NsPolicy.Core.Findings;
using NsPolicy.Dns;
using NsPolicy.Dns.Zones;

namespace NsPolicy.Core.Checks.Zone;

/// <summary>
/// The zone file as it was at a base revision (a pull request's base) and as it is now: a
/// secondary only transfers the zone when the SOA serial increased in RFC 1982 serial arithmetic.
/// </summary>
/// <param name="BaseRevision">The revision compared with, as the user named it.</param>
/// <param name="Before">The zone file's content at that revision.</param>
/// <param name="After">The zone file's content now.</param>
public sealed record ZoneSerialEvidence(string BaseRevision, ZoneContent Before, ZoneContent After);

/// <summary>
/// Zone data changed since the base revision, so the SOA serial must have increased (RFC 1034
/// §4.3.5); and it must never go backwards or jump by 2^31 or more, which RFC 1982 §3.2 leaves
/// undefined or reads as a decrease. A serial increase without a data change is fine.
/// </summary>
public sealed class ZoneSerialCheck : IZoneCheck
{
    public static readonly Rule NotIncreased = new(
        "ZONE_SERIAL_NOT_INCREASED",
        Severity.Error,
        "Zone data changed but the SOA serial did not increase",
        "Secondaries compare the SOA serial with theirs and transfer the zone only when it increased (RFC 1034 §4.3.5, RFC 1982): records changed with the same serial are never picked up, and the servers disagree until the next increase. Increase the serial (for example to today's date, YYYYMMDDnn).");

    public static readonly Rule Backwards = new(
        "ZONE_SERIAL_BACKWARDS",
        Severity.Error,
        "The SOA serial went backwards or jumped by 2^31 or more",
        "Serials compare in RFC 1982 arithmetic: a new serial below the old one, or 2^31 or more above it, is not an increase, and secondaries keep the old zone (or, at exactly 2^31, may do either). Set a serial above the old one by less than 2^31; to move far ahead, step through intermediate values (RFC 1982 §7).");

    private const uint Half = 1u << 31;

    public IReadOnlyList<Rule> Rules { get; } = [NotIncreased, Backwards];

    public bool NeedsPolicy => false;

    public IEnumerable<Finding> Run(ZoneCheckContext context)
    {
        if (context.Serial is { } serial && Judge(context.ZoneName, serial) is { } finding)
        {
            yield return finding;
        }
    }

    /// <summary>The finding about the serial of zone <paramref name="zone"/> between the two revisions, or null when it is sound (or either side has no SOA).</summary>
    public static Finding? Judge(DnsName zone, ZoneSerialEvidence serial)
    {
        ArgumentNullException.ThrowIfNull(serial);
        if (serial is not { Before.Serial: { } old, After: { Serial: { } now, SerialPosition: { } at } })
        {
            return null;
        }

        var step = unchecked(now - old);
        var changed = serial.Before.Digest != serial.After.Digest || serial.Before.RecordCount != serial.After.RecordCount;
        var serials = string.Create(CultureInfo.InvariantCulture, $"{old} at {serial.BaseRevision}, {now} now");
        if (step == 0 && changed)
        {
            return new Finding(NotIncreased.Code, ZoneCheckContext.At(at),
                string.Create(CultureInfo.InvariantCulture, $"records of zone {zone} changed since {serial.BaseRevision} but the SOA serial did not increase ({old} at {serial.BaseRevision}, {now} now); secondaries will not pick up the change"),
                zone)
            {
                Expected = string.Create(CultureInfo.InvariantCulture, $"a serial above {old}"),
                Found = serials,
                Subject = "SOA serial",
            };
        }

        if (step < Half)
        {
            return null;
        }

        var how = step == Half ? "is exactly 2^31 away from" : old > now && old - now < Half ? "is below" : "is 2^31 or more above";
        return new Finding(Backwards.Code, ZoneCheckContext.At(at),
            string.Create(CultureInfo.InvariantCulture, $"SOA serial of zone {zone} went from {old} at {serial.BaseRevision} to {now}, which {how} the old one: not an increase in RFC 1982 serial arithmetic"),
            zone)
        {
            Expected = string.Create(CultureInfo.InvariantCulture, $"a serial above {old} by less than 2^31"),
            Found = serials,
            Subject = "SOA serial",
        };
    }
}
