using System.Text;
using NsPolicy.Core.Policy;

namespace NsPolicy.Core.Tests;

public sealed class PolicyLoaderTests
{
    [Fact]
    public async Task A_large_policy_without_aliases_is_not_mistaken_for_an_alias_bomb()
    {
        var text = new StringBuilder("version: 1\nzones:\n");
        for (var i = 0; i < 20_000; i++)
        {
            text.Append("  - zone: z").Append(i).Append(".example\n    nameservers: [ns1.example.net, ns2.example.org]\n");
        }

        var result = await PolicyLoader.LoadAsync("big.yaml", Encoding.UTF8.GetBytes(text.ToString()), CancellationToken.None);

        Assert.Empty(result.Findings);
        Assert.Equal(20_000, result.Document!.Zones.Count);
    }

    [Fact]
    public async Task Aliases_resolve_to_the_anchored_values()
    {
        var text = "version: 1\nnameserver-sets:\n  pair: &pair [ns1.example.net, ns2.example.org]\nzones:\n  - zone: example.com\n    nameservers: *pair\n";

        var result = await PolicyLoader.LoadAsync("p.yaml", Encoding.UTF8.GetBytes(text), CancellationToken.None);

        Assert.Empty(result.Findings);
        Assert.Equal(["ns1.example.net.", "ns2.example.org."], result.Document!.Zones[0].Nameservers.Select(n => n.Name.ToString()));
    }

    [Fact]
    public async Task Idn_zone_names_become_a_labels_and_keep_their_spelling()
    {
        var text = "version: 1\nzones:\n  - zone: Bücher.Example.\n    nameservers: [ns1.example.net, ns2.example.org]\n";

        var result = await PolicyLoader.LoadAsync("p.yaml", Encoding.UTF8.GetBytes(text), CancellationToken.None);

        var zone = Assert.Single(result.Document!.Zones);
        Assert.Equal("xn--bcher-kva.example.", zone.Zone.ToString());
        Assert.Equal("Bücher.Example.", zone.Spelling);
        Assert.Equal(new Findings.SourcePosition(3, 11), zone.Position);
    }

    [Fact]
    public async Task Defaults_are_inherited_and_overridden_per_zone()
    {
        var text = "version: 1\ndefaults:\n  min-nameservers: 3\n  ns-ttl: { min: 60 }\n  dnssec: signed\nzones:\n  - zone: a.example\n    nameservers: [ns1.example.net, ns2.example.org, ns3.example.org]\n  - zone: b.example\n    nameservers: [ns1.example.net, ns2.example.org]\n    min-nameservers: 2\n    dnssec: unsigned\n    ns-ttl: { max: 600 }\n";

        var result = await PolicyLoader.LoadAsync("p.yaml", Encoding.UTF8.GetBytes(text), CancellationToken.None);

        var a = result.Document!.Zones[0];
        var b = result.Document.Zones[1];
        Assert.Equal((3, DnssecExpectation.Signed, new TtlRange(60, 172800)), (a.MinNameservers.Value, a.Dnssec.Value, a.NsTtl.Value));
        Assert.Equal((2, DnssecExpectation.Unsigned, new TtlRange(60, 600)), (b.MinNameservers.Value, b.Dnssec.Value, b.NsTtl.Value));
        Assert.Equal(11, b.MinNameservers.Position.Line);
    }
}
