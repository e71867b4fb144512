using NsPolicy.Core.Findings;
using NsPolicy.Dns;
using NsPolicy.Core.Policy;

namespace NsPolicy.Core.Checks;

/// <summary>
/// Gives each finding its severity: the rule's default, then the policy's per-code override, and
/// marks it acknowledged when a current acknowledgement of its zone names its code.
/// </summary>
public static class FindingRater
{
    public static IReadOnlyList<RatedFinding> Rate(IEnumerable<Finding> findings, PolicyDocument? policy, DateOnly today)
    {
        var overrides = policy?.Settings.Severity.ToDictionary(o => o.Code, o => o.Severity, StringComparer.Ordinal)
            ?? new Dictionary<string, Severity>(StringComparer.Ordinal);
        // Keyed by the zone's canonical name, as findings carry it; a zone listed twice pools its acknowledgements.
        var acknowledgements = (policy?.Zones ?? [])
            .GroupBy(z => z.Zone)
            .ToDictionary(g => g.Key, g => g.SelectMany(z => z.Acknowledgements).ToList());
        var rated = new List<RatedFinding>();
        foreach (var finding in findings)
        {
            var rule = CheckCatalogue.Find(finding.Code)
                ?? throw new InvalidOperationException($"finding code {finding.Code} is not declared by any check");
            var severity = overrides.TryGetValue(finding.Code, out var over) ? over : rule.DefaultSeverity;
            if (severity == Severity.Off)
            {
                continue;
            }

            rated.Add(new RatedFinding(finding, severity, Acknowledgement(finding, acknowledgements, today)));
        }

        return Sort(rated);
    }

    public static IReadOnlyList<RatedFinding> Sort(IEnumerable<RatedFinding> findings) =>
        findings
            .OrderBy(f => f.Location.File, StringComparer.Ordinal)
            .ThenBy(f => f.Location.Line)
            .ThenBy(f => f.Location.Column)
            .ThenBy(f => f.Code, StringComparer.Ordinal)
            .ThenBy(f => f.Finding.Message, StringComparer.Ordinal)
            .ToList();

    private static Acknowledged? Acknowledgement(Finding finding, Dictionary<DnsName, List<Acknowledgement>> acknowledgements, DateOnly today)
    {
        if (finding.Zone is null || !acknowledgements.TryGetValue(finding.Zone, out var candidates))
        {
            return null;
        }

        var ack = candidates.FirstOrDefault(a => a.Code == finding.Code && a.Until >= today);
        return ack is null ? null : new Acknowledged(ack.Reason, ack.Until);
    }
}
