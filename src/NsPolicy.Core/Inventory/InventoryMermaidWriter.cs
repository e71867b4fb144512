using System.Globalization;
using System.Text;

namespace NsPolicy.Core.Inventory;

/// <summary>
/// The inventory as a Mermaid flowchart (<c>graph LR</c>) that GitHub renders in a
/// <c>```mermaid</c> block: one node per zone on the left, an edge from each zone to each
/// nameserver host it depends on, and the hosts grouped in one subgraph per provider. Node ids are
/// generated (z1, h1, p1), so names never reach the syntax; labels are quoted, with the characters
/// Mermaid or its HTML labels would read (<c>" # &amp; &lt; &gt; `</c>) written as entity codes.
/// </summary>
public static class InventoryMermaidWriter
{
    public static void Write(TextWriter output, NameserverInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(inventory);
        var zoneIds = new Dictionary<Dns.DnsName, string>();
        var hostIds = new Dictionary<Dns.DnsName, string>();
        output.Write("graph LR\n");
        foreach (var zone in inventory.Zones)
        {
            var id = Invariant($"z{zoneIds.Count + 1}");
            zoneIds[zone.Zone] = id;
            var display = zone.Zone.ToDisplayString();
            var label = display == zone.Zone.ToString() ? display : Invariant($"{zone.Zone} ({display})");
            output.Write(Invariant($"  {id}[\"{Escape(label)}\"]\n"));
        }

        var providerNumber = 0;
        foreach (var provider in inventory.Providers.OrderBy(p => p.Provider))
        {
            providerNumber++;
            output.Write(Invariant($"  subgraph p{providerNumber}[\"{Escape(Invariant($"{provider.Provider.Display} ({provider.Provider.KindName})"))}\"]\n"));
            foreach (var host in provider.Hosts.Where(h => !hostIds.ContainsKey(h)))
            {
                var id = Invariant($"h{hostIds.Count + 1}");
                hostIds[host] = id;
                output.Write(Invariant($"    {id}[\"{Escape(host.ToString())}\"]\n"));
            }

            output.Write("  end\n");
        }

        foreach (var zone in inventory.Zones)
        {
            foreach (var ns in zone.Nameservers)
            {
                output.Write(Invariant($"  {zoneIds[zone.Zone]} --> {hostIds[ns.Host]}\n"));
            }
        }
    }

    /// <summary>Writes the characters that Mermaid's parser or its HTML labels would interpret as entity codes.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '"' => "#quot;",
                '#' => "#35;",
                '&' => "#amp;",
                '<' => "#lt;",
                '>' => "#gt;",
                '`' => "#96;",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
