using System.Text.Encodings.Web;
using System.Text.Json;

namespace NsPolicy.Core.Inventory;

/// <summary>
/// The inventory for machines: a format version, then zones, providers and nameserver hosts in
/// the order of <see cref="NameserverInventory"/>, camelCase keys in a fixed order, LF line ends.
/// Names are canonical (lower case, trailing dot, A-labels).
/// </summary>
public static class InventoryJsonWriter
{
    public const int FormatVersion = 1;

    public static void Write(Stream output, NameserverInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(inventory);
        var options = new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var json = new Utf8JsonWriter(output, options))
        {
            json.WriteStartObject();
            json.WriteNumber("version", FormatVersion);
            json.WriteStartArray("zones");
            foreach (var zone in inventory.Zones)
            {
                json.WriteStartObject();
                json.WriteString("zone", zone.Zone.ToString());
                json.WriteStartArray("nameservers");
                foreach (var ns in zone.Nameservers)
                {
                    json.WriteStartObject();
                    json.WriteString("host", ns.Host.ToString());
                    WriteProvider(json, ns.Provider);
                    json.WriteBoolean("inZone", ns.InZone);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteStartArray("providers");
                foreach (var provider in zone.Providers)
                {
                    json.WriteStartObject();
                    WriteProvider(json, provider);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteBoolean("singleProvider", zone.Providers.Count == 1);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("providers");
            foreach (var usage in inventory.Providers)
            {
                json.WriteStartObject();
                WriteProvider(json, usage.Provider);
                json.WriteNumber("zoneCount", usage.Zones.Count);
                WriteNames(json, "hosts", usage.Hosts);
                WriteNames(json, "zones", usage.Zones);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("nameservers");
            foreach (var usage in inventory.Nameservers)
            {
                json.WriteStartObject();
                json.WriteString("host", usage.Host.ToString());
                WriteProvider(json, usage.Provider);
                json.WriteNumber("zoneCount", usage.Zones.Count);
                WriteNames(json, "zones", usage.Zones);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        output.WriteByte((byte)'\n');
    }

    private static void WriteProvider(Utf8JsonWriter json, Provider provider)
    {
        json.WriteString("provider", provider.Name);
        json.WriteString("providerKind", provider.KindName);
    }

    private static void WriteNames(Utf8JsonWriter json, string name, IEnumerable<Dns.DnsName> names)
    {
        json.WriteStartArray(name);
        foreach (var n in names)
        {
            json.WriteStringValue(n.ToString());
        }

        json.WriteEndArray();
    }
}
