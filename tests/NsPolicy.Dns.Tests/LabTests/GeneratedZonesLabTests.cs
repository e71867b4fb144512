using System.Net;
using NsPolicy.Dns.Tests.Lab;
using Xunit.Abstractions;

namespace NsPolicy.Dns.Tests.LabTests;

/// <summary>
/// A lab started with generated zones (DnsLabOptions.GeneratedZones, for benchmarks) delegates and
/// serves each of them without a fault, beside the usual scenario zones. In the lab's collection so
/// that this second lab does not compete for the two cores with the other lab tests.
/// </summary>
[Collection(DnsLabCollection.Name)]
public sealed class GeneratedZonesLabTests(DnsLabFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_lab_with_generated_zones_delegates_each_to_two_servers_that_answer_with_authority()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var lab = await DnsLab.StartWithOptionsAsync(new DnsLabOptions { GeneratedZones = 4 }, limit.Token);
        output.WriteLine("lab with 4 generated zones in slot {0} started in {1:F1} s", lab.Addresses.Slot, lab.StartupDuration.TotalSeconds);

        Assert.NotEqual(fixture.Lab.Addresses.Slot, lab.Addresses.Slot);
        Assert.Equal(["bulk-0001.test.", "bulk-0002.test.", "bulk-0003.test.", "bulk-0004.test."], lab.GeneratedZones);
        Assert.Contains("good.test.", lab.Zones.Keys);
        var tld = lab.TldServerAddresses[0];
        var servers = new HashSet<IPAddress>();
        foreach (var name in lab.GeneratedZones)
        {
            var zone = lab.Zones[name];
            Assert.Equal(["ns1." + name, "ns2." + name], zone.DelegatedNameservers);
            Assert.Equal(zone.DelegatedNameservers, zone.ApexNameservers);
            var signed = name is "bulk-0001.test." or "bulk-0003.test.";
            Assert.Equal(signed, zone.SignedZoneFilePath is not null);
            Assert.Equal(signed ? 1 : 0, zone.ParentDsRecords.Count);

            var referral = await LabDig.QueryAsync(tld, name, "NS", limit.Token);
            Assert.Equal("NOERROR", referral.Status);
            Assert.Equal(zone.DelegatedNameservers, LabDigResult.Data(referral.Authority, "NS"));
            var glue = zone.Glue.OrderBy(g => g.Key, StringComparer.Ordinal).SelectMany(g => g.Value).Select(a => a.ToString()).ToList();
            Assert.Equal(glue.Order(StringComparer.Ordinal), LabDigResult.Data(referral.Additional, "A"));
            Assert.NotEqual(glue[0], glue[1]);

            Assert.Equal(2, zone.ServerAddresses.Count);
            foreach (var server in zone.ServerAddresses)
            {
                servers.Add(server);
                var soa = await LabDig.QueryAsync(server, name, "SOA", limit.Token);
                Assert.Equal("NOERROR", soa.Status);
                Assert.True(soa.HasFlag("aa"), soa.ToString());
            }

            Assert.Equal(glue.Order(StringComparer.Ordinal), zone.ServerAddresses.Select(a => a.ToString()).Order(StringComparer.Ordinal));
        }

        Assert.Equal(3, servers.Count);
        foreach (var (name, secure) in new[] { ("bulk-0001.test.", true), ("bulk-0003.test.", true), ("bulk-0004.test.", false) })
        {
            // The signed ones share a key, each under its own name: the DS the lab worked out must validate.
            var resolved = await LabDig.QueryAsync(lab.ResolverAddress, name, "SOA", ["+rec", "+dnssec", "+time=5"], limit.Token);
            Assert.Equal("NOERROR", resolved.Status);
            Assert.Single(LabDigResult.OfType(resolved.Answer, "SOA"));
            Assert.True(resolved.HasFlag("ad") == secure, resolved.ToString());
        }
    }

    [Fact]
    public async Task A_key_copied_to_another_zone_keeps_its_tag_and_gets_the_ds_dnssec_dsfromkey_computes()
    {
        using var directory = new LabTempDirectory();
        var key = await LabSigner.GenerateAsync(directory.Path, "bulk-0001.test.", LabSigning.EcdsaP256Sha256, CancellationToken.None);

        var copy = await LabKeyCopies.CopyAsync(key, directory.Path, "Bulk-0003.test.", CancellationToken.None);

        Assert.Equal(key.KeyTag, copy.KeyTag);
        var expected = await LabProcess.RunCheckedAsync("dnssec-dsfromkey", ["-2", copy.KeyFileBase + ".key"], directory.Path, CancellationToken.None);
        Assert.Equal(Fields(expected.StandardOutput), Fields(copy.DsRecord));
        Assert.StartsWith("Bulk-0003.test. IN DNSKEY 257 3 13 ", copy.DnskeyRecord, StringComparison.Ordinal);
    }

    private static string[] Fields(string record) => record.Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);

    private sealed class LabTempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("nspolicy-lab-key-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    [Fact]
    public void Generated_zone_names_widen_past_four_digits_and_rotate_over_bind_nsd_and_knot()
    {
        var specs = LabGeneratedZones.Healthy(12_345);

        Assert.Equal("bulk-00001.test.", specs[0].Name);
        Assert.Equal("bulk-12345.test.", specs[^1].Name);
        Assert.Equal([LabHost.ChildBind, LabHost.ChildNsd], specs[0].ServedBy);
        Assert.Equal([LabHost.ChildNsd, LabHost.ChildKnot], specs[1].ServedBy);
        Assert.Equal([LabHost.ChildKnot, LabHost.ChildBind], specs[2].ServedBy);
        Assert.Empty(LabGeneratedZones.Healthy(0));
    }

    [Fact]
    public void Relocation_moves_slot_zero_addresses_into_the_slot_and_leaves_other_text_alone()
    {
        const string Text = "glue: [127.20.2.1, 127.20.15.80]\nresolvers: [127.20.0.53]\nother: [127.20.16.1, 127.0.0.1, 10.127.20.2.1, 192.0.2.1]\n";

        Assert.Equal(
            "glue: [127.20.50.1, 127.20.63.80]\nresolvers: [127.20.48.53]\nother: [127.20.16.1, 127.0.0.1, 10.127.20.2.1, 192.0.2.1]\n",
            LabRelocation.ToSlot(Text, 3));
        Assert.Equal(Text, LabRelocation.ToSlot(Text, 0));
        Assert.Equal(Text, LabRelocation.FromSlot(LabRelocation.ToSlot(Text, 3), 3));
        Assert.Equal("127.20.50.1 127.20.2.1", LabRelocation.FromSlot("127.20.50.1 127.20.34.1", 2));
        Assert.Equal(new LabAddresses(7).Of(LabHost.ChildKnot).ToString(), LabRelocation.ToSlot(new LabAddresses(0).Of(LabHost.ChildKnot).ToString(), 7));
    }
}
