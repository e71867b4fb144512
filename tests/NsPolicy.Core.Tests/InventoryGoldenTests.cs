using System.Globalization;
using System.Text;
using NsPolicy.Core.Inventory;
using NsPolicy.Core.Policy;

namespace NsPolicy.Core.Tests;

/// <summary>
/// Each testdata/inventory/NAME.yaml is loaded and its inventory, in each format, must equal
/// NAME.FORMAT.out beside it (text, json, mermaid).
/// </summary>
public sealed class InventoryGoldenTests
{
    private const string Folder = "tests/NsPolicy.Core.Tests/testdata/inventory";

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Directory.GetFiles(Repository.PathOf(Folder), "*.yaml").Order(StringComparer.Ordinal))
        {
            foreach (var format in new[] { "text", "json", "mermaid" })
            {
                data.Add(Path.GetFileNameWithoutExtension(file), format);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Inventory_matches_golden_file(string name, string format)
    {
        var inventory = NameserverInventory.Build(await LoadAsync(name));

        Golden.Assert(Repository.PathOf(Folder, $"{name}.{format}.out"), Render(inventory, format));
    }

    [Fact]
    public async Task Hosts_of_a_nameserver_set_belong_to_the_set_wherever_a_zone_lists_them()
    {
        var inventory = NameserverInventory.Build(await LoadAsync("blast-radius"));

        var three = inventory.Zones.Single(z => z.Zone.ToString() == "three.test.");
        Assert.Equal(
            ["a.ns.provider-b.example.:$provider-b", "ns1.example.co.uk.:example.co.uk.", "ns2.example.co.uk.:example.co.uk."],
            three.Nameservers.Select(n => n.Host + ":" + n.Provider.Display));
        Assert.Equal("$provider-a", inventory.Nameservers.Single(n => n.Host.ToString() == "shared.ns.example.").Provider.Display);
    }

    [Fact]
    public async Task Hosts_are_ranked_by_the_number_of_zones_that_depend_on_them()
    {
        var inventory = NameserverInventory.Build(await LoadAsync("blast-radius"));

        var counts = inventory.Nameservers.Select(n => n.Zones.Count).ToList();
        Assert.Equal(counts.OrderDescending(), counts);
        Assert.Equal("a.ns.provider-b.example.", inventory.Nameservers[0].Host.ToString());
        Assert.Equal(4, inventory.Nameservers[0].Zones.Count);
        Assert.Equal("$provider-b", inventory.Providers[0].Provider.Display);
    }

    [Fact]
    public void Mermaid_labels_escape_every_character_mermaid_would_interpret()
    {
        Assert.Equal("a#quot;b#35;c#amp;d#lt;e#gt;f#96;g", InventoryMermaidWriter.Escape("a\"b#c&d<e>f`g"));
    }

    private static async Task<PolicyDocument> LoadAsync(string name)
    {
        var relative = $"{Folder}/{name}.yaml";
        var load = await PolicyLoader.LoadAsync(relative, await File.ReadAllBytesAsync(Repository.PathOf(relative)), CancellationToken.None);
        return load.Document ?? throw new InvalidOperationException($"{relative} does not load: {string.Join("; ", load.Findings.Select(f => f.Message))}");
    }

    private static string Render(NameserverInventory inventory, string format)
    {
        if (format == "json")
        {
            using var buffer = new MemoryStream();
            InventoryJsonWriter.Write(buffer, inventory);
            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        if (format == "mermaid")
        {
            InventoryMermaidWriter.Write(text, inventory);
        }
        else
        {
            InventoryTextWriter.Write(text, inventory);
        }

        return text.ToString();
    }
}
