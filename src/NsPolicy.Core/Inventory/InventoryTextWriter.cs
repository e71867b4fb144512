using System.Globalization;

namespace NsPolicy.Core.Inventory;

/// <summary>
/// The inventory for people: a summary line, then each zone with its hosts and their providers,
/// the providers and the hosts by how many zones depend on them (blast radius), and the zones
/// that depend on a single provider. Plain text, LF line ends, no colour.
/// </summary>
public static class InventoryTextWriter
{
    public static void Write(TextWriter output, NameserverInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(inventory);
        output.Write(Invariant($"{Count(inventory.Zones.Count, "zone")}, {Count(inventory.Nameservers.Count, "nameserver host")}, {Count(inventory.Providers.Count, "provider")}\n"));

        output.Write("\nZones and the nameserver hosts they depend on:\n");
        foreach (var zone in inventory.Zones)
        {
            output.Write(Invariant($"  {ZoneTitle(zone)}: {Count(zone.Nameservers.Count, "host")}, {Count(zone.Providers.Count, "provider")}\n"));
            var width = zone.Nameservers.Select(n => n.Host.ToString().Length).DefaultIfEmpty(0).Max();
            foreach (var ns in zone.Nameservers)
            {
                var where = ns.InZone ? "; inside the zone, needs glue" : string.Empty;
                output.Write(Invariant($"    {ns.Host.ToString().PadRight(width)}  {ns.Provider.Display} ({ns.Provider.KindName}{where})\n"));
            }
        }

        output.Write("\nProviders by the number of zones that depend on them:\n");
        var countWidth = CountWidth(inventory.Providers.Select(p => p.Zones.Count).Concat(inventory.Nameservers.Select(n => n.Zones.Count)));
        foreach (var provider in inventory.Providers)
        {
            output.Write(Invariant($"  {Count(provider.Zones.Count, "zone").PadRight(countWidth)}  {provider.Provider.Display} ({provider.Provider.KindName}): {string.Join(", ", provider.Hosts)}\n"));
            output.Write(Invariant($"  {string.Empty.PadRight(countWidth)}  zones: {string.Join(", ", provider.Zones)}\n"));
        }

        output.Write("\nNameserver hosts by the number of zones that depend on them (blast radius):\n");
        var hostWidth = inventory.Nameservers.Select(n => n.Host.ToString().Length).DefaultIfEmpty(0).Max();
        foreach (var ns in inventory.Nameservers)
        {
            output.Write(Invariant($"  {Count(ns.Zones.Count, "zone").PadRight(countWidth)}  {ns.Host.ToString().PadRight(hostWidth)}  {string.Join(", ", ns.Zones)}\n"));
        }

        var single = inventory.SingleProviderZones.ToList();
        output.Write(Invariant($"\nZones that depend on a single provider: {(single.Count == 0 ? "none" : single.Count.ToString(CultureInfo.InvariantCulture))}\n"));
        foreach (var zone in single)
        {
            output.Write(Invariant($"  {ZoneTitle(zone)}: {zone.Providers[0].Display} ({zone.Providers[0].KindName})\n"));
        }
    }

    private static string ZoneTitle(ZoneDependencies zone)
    {
        var name = zone.Zone.ToString();
        var display = zone.Zone.ToDisplayString();
        return display == name ? name : Invariant($"{name} ({display})");
    }

    private static int CountWidth(IEnumerable<int> counts) => counts.Select(c => Count(c, "zone").Length).DefaultIfEmpty(0).Max();

    private static string Count(int count, string noun) => Invariant($"{count} {noun}{(count == 1 ? string.Empty : "s")}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
