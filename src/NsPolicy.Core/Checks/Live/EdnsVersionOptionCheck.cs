// RFC 6891 §6.1.3 and §6.1.2 together: a query of an unknown EDNS version that also carries an
// unknown option is still answered BADVERS, and the option is not echoed. This was Zonemaster's
// Nameserver14 (UNSUPPORTED_EDNS_VER, UNKNOWN_OPTION_CODE); Zonemaster dropped it as covered by
// Nameserver10 and 11, which send each alone. It is judged here only where the server passes each
// alone (CHILD_EDNS_VERSION, CHILD_EDNS_OPTION, CHILD_EDNS_OPTION_ECHOED say the rest), so what it
// reports is a server that gets the combination wrong: one that reads options before the version.
using System.Globalization;
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Findings;
using NsPolicy.Dns;

namespace NsPolicy.Core.Checks.Live;

/// <summary>Every nameserver address answers a query with EDNS version 1 and an unknown option with BADVERS, the option not echoed.</summary>
public sealed class EdnsVersionOptionCheck : ILiveCheck
{
    public static readonly Rule VersionOption = new(
        "CHILD_EDNS_VERSION_OPTION",
        Severity.Warning,
        "A nameserver mishandles an unknown EDNS version that comes with an unknown option",
        "Asked with EDNS version 1 alone the server answers BADVERS, and an unknown option alone it ignores, but a query with both did not get BADVERS without the option (RFC 6891 §6.1.2, §6.1.3). The server reads a query's options before checking its version; when a later EDNS version is used, its options will be misread. Upgrade the server software or the middlebox in front of it.");

    public IReadOnlyList<Rule> Rules { get; } = [VersionOption];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones)
        {
            var wrong = zone.Servers.Where(x => x.Server.SoaUdp.IsAuthoritativeAnswer
                && PassesEachAlone(x.Server)
                && x.Server.EdnsVersionOption is { Result: not QueryResult.NotAsked and not QueryResult.Blocked } q
                && (!IsBadvers(q) || Echoes(q))).ToList();
            foreach (var finding in EdnsComplianceCheck.Report(zone, VersionOption, wrong, x => Describe(x.Server.EdnsVersionOption!), "BADVERS, the option not echoed"))
            {
                yield return finding;
            }
        }
    }

    private static bool PassesEachAlone(ServerEvidence server) =>
        server.EdnsVersion is { } version && IsBadvers(version)
        && server.EdnsOption is { IsAuthoritativeAnswer: true } option && !Echoes(option);

    private static bool IsBadvers(QueryEvidence query) => query.IsAnswer && query.Rcode == DnsResponseCode.BadVers;

    private static bool Echoes(QueryEvidence query) => query.EdnsOptions is { } options && options.Contains(ServerEvidence.UnknownEdnsOptionCode);

    private static string Describe(QueryEvidence query)
    {
        var option = ServerEvidence.UnknownEdnsOptionCode.ToString(CultureInfo.InvariantCulture);
        return IsBadvers(query)
            ? $"BADVERS to EDNS version 1 with the unknown option {option}, the option echoed in it"
            : $"{LiveZone.Outcome(query)} to EDNS version 1 with the unknown option {option}";
    }
}
