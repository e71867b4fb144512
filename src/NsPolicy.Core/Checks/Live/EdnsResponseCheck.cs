// RFC 6891 on what comes back to an EDNS query: a responder that speaks EDNS puts an OPT record in
// its answer (§7: only one that does not implement EDNS answers without it, and then with FORMERR),
// and an option it does not understand is ignored (§6.1.2), so it never comes back in the answer.
// Zonemaster's Nameserver02 and Nameserver11 test the same; EdnsComplianceCheck judges the rcodes.
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Live;

/// <summary>Every nameserver address answers EDNS queries with an OPT record and does not echo options it does not know.</summary>
public sealed class EdnsResponseCheck : ILiveCheck
{
    public static readonly Rule NoOpt = new(
        "CHILD_EDNS_NO_OPT",
        Severity.Warning,
        "A nameserver answers EDNS queries without an OPT record",
        "A server that speaks EDNS (RFC 6891) answers an EDNS query with an OPT record of its own; one that answers without it tells resolvers it does not speak EDNS, so they get no DNSSEC records and no large answers from it. Often a middlebox strips the OPT record. Upgrade the server software, or fix the firewall or load balancer in front of it.");

    public static readonly Rule OptionEchoed = new(
        "CHILD_EDNS_OPTION_ECHOED",
        Severity.Warning,
        "A nameserver echoes an EDNS option it does not know",
        "An option a server does not understand must be ignored, as if it were not there (RFC 6891 §6.1.2); a server that copies it into its answer claims to support it, and a client that relies on that claim (for a future option) will misbehave. Upgrade the server software or the middlebox in front of it.");

    public IReadOnlyList<Rule> Rules { get; } = [NoOpt, OptionEchoed];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones)
        {
            // Only authoritative answers: a server that does not answer or is lame is judged elsewhere.
            var noOpt = zone.Servers.Where(x => x.Server.SoaUdp.IsAuthoritativeAnswer && !x.Server.SoaUdp.Edns).ToList();
            foreach (var finding in EdnsComplianceCheck.Report(zone, NoOpt, noOpt, _ => "an answer without an OPT record to an EDNS(0) query", "an OPT record in the answer"))
            {
                yield return finding;
            }

            var echoed = zone.Servers.Where(x => x.Server.EdnsOption is { IsAuthoritativeAnswer: true, EdnsOptions: { } options }
                && options.Contains(ServerEvidence.UnknownEdnsOptionCode)).ToList();
            var option = ServerEvidence.UnknownEdnsOptionCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var finding in EdnsComplianceCheck.Report(zone, OptionEchoed, echoed, _ => $"option {option}, which it does not know, echoed in its answer", $"option {option} ignored, not in the answer"))
            {
                yield return finding;
            }
        }
    }
}
