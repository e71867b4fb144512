using System.Globalization;
using System.Text;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;
using NsPolicy.Dns;

namespace NsPolicy.Core.Reporting;

/// <summary>
/// A Mermaid <c>graph</c> of one zone's delegation as the policy states it: parent → zone →
/// nameservers → glue addresses. Nodes a finding is about (its subject names a nameserver or an
/// address) are coloured by the finding's severity and the edge into them is drawn as drifted
/// (dashed, coloured); a nameserver found but not in the policy is added as a drifted node;
/// findings about nothing drawn mark the zone itself. Acknowledged findings mark nothing.
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
    ];

    /// <summary>The diagram as a fenced <c>mermaid</c> block, ending in a line end.</summary>
    public static string Render(ZonePolicy zone, IReadOnlyList<RatedFinding> findings)
    {
        var marks = new Dictionary<string, Severity>(StringComparer.Ordinal);
        var nodes = new List<string>();
        var edges = new List<(string From, string To, string Label)>();
        var idOf = new Dictionary<string, string>(StringComparer.Ordinal);

        var parentLabel = zone.Zone.IsRoot ? "root" : zone.Zone.Parent.ToString();
        nodes.Add($"  parent[\"{Label(parentLabel)}<br/>parent\"]");
        var zoneLabel = Label(zone.Zone.ToString());
        if (zone.Ds.Count > 0)
        {
            zoneLabel += "<br/>DS " + string.Join(", ", zone.Ds.Select(d => d.KeyTag.ToString(CultureInfo.InvariantCulture)));
        }

        nodes.Add($"  zone[\"{zoneLabel}\"]");
        edges.Add(("parent", "zone", "delegates"));
        var glue = zone.Glue.GroupBy(g => g.Nameserver).ToDictionary(g => g.Key, g => g.SelectMany(e => e.Addresses).Select(a => a.Value).Distinct().ToList());
        var nsIndex = 0;
        foreach (var ns in zone.Nameservers.Select(n => n.Name).Distinct())
        {
            var id = "ns" + (++nsIndex).ToString(CultureInfo.InvariantCulture);
            idOf[ns.ToString()] = id;
            nodes.Add($"  {id}[\"{Label(ns.ToString())}\"]");
            edges.Add(("zone", id, "NS"));
            if (!glue.TryGetValue(ns, out var addresses))
            {
                continue;
            }

            var aIndex = 0;
            foreach (var address in addresses)
            {
                var aid = id + "a" + (++aIndex).ToString(CultureInfo.InvariantCulture);
                idOf.TryAdd(address.ToString(), aid);
                nodes.Add($"  {aid}([\"{Label(address.ToString())}\"])");
                edges.Add((id, aid, "glue"));
            }
        }

        // Nameservers found (in a zone file, at the parent) but not in the policy: drawn as drifted extra nodes.
        var extra = 0;
        foreach (var f in findings.Where(f => f.Counts && ExtraNameserverCodes.Contains(f.Code)))
        {
            if (f.Finding.Subject is { } subject && !idOf.ContainsKey(Canonical(subject)))
            {
                var id = "extra" + (++extra).ToString(CultureInfo.InvariantCulture);
                idOf[Canonical(subject)] = id;
                nodes.Add($"  {id}[\"{Label(Canonical(subject))}<br/>not in policy\"]");
                edges.Add(("zone", id, "NS"));
            }
        }

        foreach (var f in findings.Where(f => f.Counts))
        {
            var target = f.Finding.Subject is { } subject && idOf.TryGetValue(Canonical(subject), out var id) ? id : "zone";
            if (!marks.TryGetValue(target, out var current) || f.Severity > current)
            {
                marks[target] = f.Severity;
            }
        }

        var sb = new StringBuilder();
        sb.Append("```mermaid\ngraph LR\n");
        foreach (var node in nodes)
        {
            sb.Append(node).Append('\n');
        }

        foreach (var (from, to, label) in edges)
        {
            var arrow = to != "zone" && marks.ContainsKey(to) ? "-.->" : "-->";
            sb.Append(CultureInfo.InvariantCulture, $"  {from} {arrow}|{label}| {to}\n");
        }

        if (marks.Count > 0)
        {
            foreach (var line in Classes)
            {
                sb.Append(line).Append('\n');
            }

            foreach (var group in marks.GroupBy(m => m.Value).OrderByDescending(g => g.Key))
            {
                sb.Append(CultureInfo.InvariantCulture, $"  class {string.Join(',', group.Select(m => m.Key).Order(StringComparer.Ordinal))} {group.Key.ToName()}\n");
            }

            for (var i = 0; i < edges.Count; i++)
            {
                if (edges[i].To != "zone" && marks.TryGetValue(edges[i].To, out var severity))
                {
                    sb.Append(CultureInfo.InvariantCulture, $"  linkStyle {i} stroke:{Stroke(severity)},stroke-width:2px\n");
                }
            }
        }

        sb.Append("```\n");
        return sb.ToString();
    }

    private static string Stroke(Severity severity) => severity switch
    {
        Severity.Error => "#cf222e",
        Severity.Warning => "#9a6700",
        _ => "#0969da",
    };

    /// <summary>Nameserver subjects are canonical names; accept one written without its trailing dot.</summary>
    private static string Canonical(string subject) =>
        DnsName.TryParse(subject, out var name, out _) && name is not null && !subject.Contains(':', StringComparison.Ordinal)
            && !System.Net.IPAddress.TryParse(subject, out _)
            ? name.ToString()
            : subject;

    /// <summary>Text inside a quoted Mermaid label: quotes and angle brackets become entity codes.</summary>
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
}
