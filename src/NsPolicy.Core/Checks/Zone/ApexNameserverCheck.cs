using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Zone;

/// <summary>The apex has an NS RRset (RFC 1034 §4.2.1).</summary>
public sealed class ApexNameserverCheck : IZoneCheck
{
    public static readonly Rule Missing = new(
        "ZONE_APEX_NS_MISSING",
        Severity.Error,
        "The zone file has no NS records at the apex",
        "A zone's apex must list its authoritative name servers (RFC 1034 §4.2.1); name servers refuse to load a zone without them, and resolvers compare them with the parent's delegation. Add the apex NS records.");

    public IReadOnlyList<Rule> Rules { get; } = [Missing];

    public bool NeedsPolicy => false;

    public IEnumerable<Finding> Run(ZoneCheckContext context)
    {
        if (context.Zone.ApexNameservers.Count > 0)
        {
            yield break;
        }

        var at = context.Zone.Soas.Count > 0 ? ZoneCheckContext.At(context.Zone.Soas[0].Position) : context.AtFileStart;
        yield return new Finding(Missing.Code, at, $"zone {context.ZoneName} has no NS records at its apex", context.ZoneName)
        {
            Expected = "at least 1 NS record",
            Found = "0",
            Subject = "NS",
        };
    }
}
