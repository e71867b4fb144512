using System.Globalization;
using System.Net;
using System.Text;
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;
using NsPolicy.Dns;

namespace NsPolicy.Core.Reporting;

/// <summary>
/// A Mermaid <c>graph</c> of one zone's delegation: parent → zone → nameservers → addresses.
/// Without live evidence it is the delegation the policy states (nameservers and glue), with no
/// parent: nothing was asked of it. With
/// evidence it is the delegation as found: nameservers the parent or the child named that the
/// policy does not list, policy nameservers the parent does not delegate to, names that do not
/// resolve, every address found (by glue or by resolution), and lame or unreachable servers.
/// Nodes a finding is about (its subject names a nameserver or an address) are coloured by the
/// finding's severity; nodes the evidence shows drifted but no finding names are drawn as drift;
/// edges into marked nodes are dashed and coloured. Findings about nothing drawn mark the zone.
/// Acknowledged findings mark nothing.
/// </summary>
public static class DelegationDiagram
{
    /// <summary>Codes whose subject is a nameserver the zone is served by but the policy does not list.</summary>
    private static readonly HashSet<string> ExtraNameserverCodes = new(StringComparer.Ordinal) { "ZONE_NS_NOT_IN_POLICY" };

    private static readonly string[] Classes =
    [
        "  classDef error fill:#ffebe9,stroke:#cf222e,color:#1f2328",
        "  classDef warning fill:#fff8c5,stroke:#9a6700,color:#1f2328",
        "  classDef notice fill:#ddf4ff,stroke:#0969da,color:#1f2328",
        "  classDef drift fill:#ffebe9,stroke:#cf222e,stroke-dasharray:4 3,color:#1f2328",
    ];

    /// <summary>The diagram as a fenced <c>mermaid</c> block, ending in a line end.</summary>
    public static string Render(ZonePolicy zone, IReadOnlyList<RatedFinding> findings, ZoneEvidence? evidence = null)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(findings);
        var graph = new Graph();
        var parentName = evidence?.Parent.Zone ?? (zone.Zone.IsRoot ? null : zone.Zone.Parent);
        var zoneLines = new List<string> { zone.Zone.ToString() };
        if (zone.Ds.Count > 0)
        {
            zoneLines.Add("DS " + string.Join(", ", zone.Ds.Select(d => d.KeyTag.ToString(CultureInfo.InvariantCulture))));
        }

        // The parent's delegation is drawn only when it was asked: offline, nothing says it delegates.
        if (evidence is not null)
        {
            graph.Node("parent", [parentName?.ToString() ?? "root", "parent"], round: false);
        }

        graph.Node("zone", zoneLines, round: false);
        if (evidence is not null)
        {
            graph.Edge("parent", "zone", "delegates");
            if (evidence.Parent.Error is not null)
            {
                graph.Drift.Add("parent");
            }
        }

        var policyNames = zone.Nameservers.Select(n => n.Name).Distinct().ToList();
        var found = evidence?.Nameservers.ToDictionary(n => n.Name) ?? [];
        var extraFound = found.Values
            .Where(n => !policyNames.Contains(n.Name) && (n.Sources.Contains(NameSource.Parent) || n.Sources.Contains(NameSource.Child)))
            .Select(n => n.Name);
        var parentAsked = evidence?.Parent.Servers.Count > 0;
        var glue = zone.Glue.GroupBy(g => g.Nameserver).ToDictionary(g => g.Key, g => g.SelectMany(e => e.Addresses).Select(a => a.Value).Distinct().ToList());
        var index = 0;
        foreach (var ns in policyNames.Concat(extraFound))
        {
            var id = "ns" + (++index).ToString(CultureInfo.InvariantCulture);
            graph.Ids[ns.ToString()] = id;
            var lines = new List<string> { ns.ToString() };
            var seen = found.GetValueOrDefault(ns);
            if (!policyNames.Contains(ns))
            {
                lines.Add("not in policy");
                graph.Drift.Add(id);
            }
            else if (parentAsked && (seen is null || !seen.Sources.Contains(NameSource.Parent)))
            {
                lines.Add("not at parent");
                graph.Drift.Add(id);
            }

            if (seen?.Resolution.Result is { } result && Resolution(result) is { } problem)
            {
                lines.Add(problem);
                graph.Drift.Add(id);
            }

            graph.Node(id, lines, round: false);
            graph.Edge("zone", id, "NS");
            var addresses = seen is not null
                ? seen.Servers.Select(s => (s.Address, Glue: s.Sources.Contains(AddressSource.Glue) || s.Sources.Contains(AddressSource.PolicyGlue), Status: Status(s)))
                : (glue.GetValueOrDefault(ns) ?? []).Select(a => (Address: a, Glue: true, Status: (string?)null));
            var aIndex = 0;
            foreach (var (address, isGlue, status) in addresses)
            {
                var aid = id + "a" + (++aIndex).ToString(CultureInfo.InvariantCulture);
                graph.Ids.TryAdd(address.ToString(), aid);
                graph.Node(aid, status is null ? [address.ToString()] : [address.ToString(), status], round: true);
                graph.Edge(id, aid, isGlue ? "glue" : "A/AAAA");
                if (status is not null)
                {
                    graph.Drift.Add(aid);
                }
            }
        }

        var extra = 0;
        foreach (var f in findings.Where(f => f.Counts && ExtraNameserverCodes.Contains(f.Code)))
        {
            if (f.Finding.Subject is { } subject && !graph.Ids.ContainsKey(Canonical(subject)))
            {
                var id = "extra" + (++extra).ToString(CultureInfo.InvariantCulture);
                graph.Ids[Canonical(subject)] = id;
                graph.Node(id, [Canonical(subject), "not in policy"], round: false);
                graph.Edge("zone", id, "NS");
            }
        }

        foreach (var f in findings.Where(f => f.Counts))
        {
            var target = f.Finding.Subject is { } subject && graph.Ids.TryGetValue(Canonical(subject), out var id) ? id : "zone";
            if (!graph.Marks.TryGetValue(target, out var current) || f.Severity > current)
            {
                graph.Marks[target] = f.Severity;
            }
        }

        return graph.ToMermaid();
    }

    private static string? Resolution(ResolutionResult result) => result switch
    {
        ResolutionResult.NXDomain => "NXDOMAIN",
        ResolutionResult.NoAddresses => "no address",
        ResolutionResult.Failed => "does not resolve",
        _ => null,
    };

    /// <summary>What a server's SOA queries say about it: unreachable, lame, one transport down, or fine (null).</summary>
    private static string? Status(ServerEvidence server)
    {
        var udpDown = server.SoaUdp.IsUnreachable;
        var tcpDown = server.SoaTcp.IsUnreachable;
        if (udpDown && tcpDown)
        {
            return "unreachable";
        }

        var query = server.SoaUdp.Result is QueryResult.Answer or QueryResult.Malformed ? server.SoaUdp : server.SoaTcp;
        if (query.Result == QueryResult.Malformed || (query.IsAnswer && !query.IsAuthoritativeAnswer))
        {
            return "lame";
        }

        return udpDown ? "no UDP" : tcpDown ? "no TCP" : null;
    }

    /// <summary>Nameserver subjects are canonical names; accept one written without its trailing dot.</summary>
    private static string Canonical(string subject) =>
        !subject.Contains(':', StringComparison.Ordinal) && !IPAddress.TryParse(subject, out _)
            && DnsName.TryParse(subject, out var name, out _) && name is not null
            ? name.ToString()
            : subject;

    /// <summary>Text inside a quoted Mermaid label: quotes, angle brackets and the like become entity codes.</summary>
    private static string Label(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '"' => "#quot;",
                '<' => "#lt;",
                '>' => "#gt;",
                '#' => "#35;",
                '`' => "#96;",
                _ when char.IsControl(c) => " ",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    private static string Stroke(Severity severity) => severity switch
    {
        Severity.Error => "#cf222e",
        Severity.Warning => "#9a6700",
        _ => "#0969da",
    };

    private sealed class Graph
    {
        private readonly List<string> nodes = [];
        private readonly List<(string From, string To, string Label)> edges = [];

        /// <summary>Node ids by the subject they stand for (a canonical name or an address).</summary>
        public Dictionary<string, string> Ids { get; } = new(StringComparer.Ordinal);

        /// <summary>The highest severity of the findings about each node.</summary>
        public Dictionary<string, Severity> Marks { get; } = new(StringComparer.Ordinal);

        /// <summary>Nodes the evidence shows drifted.</summary>
        public HashSet<string> Drift { get; } = new(StringComparer.Ordinal);

        public void Node(string id, IReadOnlyList<string> lines, bool round)
        {
            var label = string.Join("<br/>", lines.Select(Label));
            nodes.Add(round ? $"  {id}([\"{label}\"])" : $"  {id}[\"{label}\"]");
        }

        public void Edge(string from, string to, string label) => edges.Add((from, to, label));

        public string ToMermaid()
        {
            var sb = new StringBuilder("```mermaid\ngraph LR\n");
            foreach (var node in nodes)
            {
                sb.Append(node).Append('\n');
            }

            foreach (var (from, to, label) in edges)
            {
                var arrow = to != "zone" && IsMarked(to) ? "-.->" : "-->";
                sb.Append(CultureInfo.InvariantCulture, $"  {from} {arrow}|{label}| {to}\n");
            }

            var drifted = Drift.Where(d => !Marks.ContainsKey(d)).ToList();
            if (Marks.Count + drifted.Count > 0)
            {
                foreach (var line in Classes)
                {
                    sb.Append(line).Append('\n');
                }

                foreach (var group in Marks.GroupBy(m => m.Value).OrderByDescending(g => g.Key))
                {
                    sb.Append(CultureInfo.InvariantCulture, $"  class {string.Join(',', group.Select(m => m.Key).Order(StringComparer.Ordinal))} {group.Key.ToName()}\n");
                }

                if (drifted.Count > 0)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"  class {string.Join(',', drifted.Order(StringComparer.Ordinal))} drift\n");
                }

                for (var i = 0; i < edges.Count; i++)
                {
                    var to = edges[i].To;
                    if (to != "zone" && IsMarked(to))
                    {
                        var stroke = Marks.TryGetValue(to, out var severity) ? Stroke(severity) : Stroke(Severity.Error);
                        sb.Append(CultureInfo.InvariantCulture, $"  linkStyle {i} stroke:{stroke},stroke-width:2px\n");
                    }
                }
            }

            sb.Append("```\n");
            return sb.ToString();
        }

        private bool IsMarked(string id) => Marks.ContainsKey(id) || Drift.Contains(id);
    }
}
