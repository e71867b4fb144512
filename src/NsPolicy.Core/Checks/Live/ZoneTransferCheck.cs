using NsPolicy.Core.Evidence;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Live;

/// <summary>No server hands the whole zone to anyone who asks (AXFR, RFC 5936 §6).</summary>
public sealed class ZoneTransferCheck : ILiveCheck
{
    public static readonly Rule Open = new(
        "CHILD_AXFR_OPEN",
        Severity.Warning,
        "A nameserver allows zone transfers to anyone",
        "An open AXFR gives anyone the complete list of names in the zone: internal hosts, staging systems, forgotten services. Restrict transfers to the secondaries (allow-transfer, TSIG).");

    public IReadOnlyList<Rule> Rules { get; } = [Open];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones)
        {
            foreach (var group in zone.Servers
                         .Where(x => x.Server.Axfr.Result == TransferResult.Completed || x.Server.Axfr.Records > 0)
                         .GroupBy(x => x.Server.Address))
            {
                var first = group.First();
                var names = string.Join(", ", group.Select(x => x.Nameserver.Name.ToString()).Distinct());
                yield return zone.Finding(Open, zone.NameserverLocation(first.Nameserver.Name),
                    $"{names} ({group.Key}) transferred zone {zone.Name} to us ({first.Server.Axfr.Records} records over AXFR)") with
                {
                    Expected = "AXFR refused",
                    Found = first.Server.Axfr.Result == TransferResult.Completed ? "AXFR completed" : "AXFR started",
                    Subject = group.Key.ToString(),
                };
            }
        }
    }
}
