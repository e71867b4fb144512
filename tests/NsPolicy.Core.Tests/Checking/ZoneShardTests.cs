using System.Globalization;
using NsPolicy.Core.Checking;
using NsPolicy.Core.Tests.Support;
using NsPolicy.Dns;

namespace NsPolicy.Core.Tests.Checking;

public sealed class ZoneShardTests
{
    private static readonly IReadOnlyList<DnsName> Zones =
        Enumerable.Range(0, 500).Select(i => DnsName.Parse(string.Create(CultureInfo.InvariantCulture, $"zone{i}.example"))).ToList();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    public void The_shards_partition_the_zones(int count)
    {
        var shards = Enumerable.Range(1, count).Select(k => new ZoneShard(k, count)).ToList();

        foreach (var zone in Zones)
        {
            Assert.Single(shards, s => s.Contains(zone));
        }

        if (count <= 7)
        {
            // 500 names over at most 7 shards: none is empty or holds nearly all.
            Assert.All(shards, s => Assert.InRange(Zones.Count(s.Contains), 500 / count / 2, 500 / count * 2));
        }
    }

    [Fact]
    public void A_zone_keeps_its_shard_whatever_else_is_in_the_policy_and_however_it_is_spelt()
    {
        Assert.Equal(ZoneShard.Of(DnsName.Parse("example.com"), 4), ZoneShard.Of(DnsName.Parse("EXAMPLE.COM."), 4));
        // Pinned (computed independently from the documented rule: SHA-256 of the canonical name, first 8 bytes big-endian, mod N, plus 1);
        // a change would move zones between matrix jobs.
        Assert.Equal(
            [1, 3, 3, 4, 1, 3, 1, 1],
            new[] { "example.com", "example.net", "example.org", "a.example", "b.example", "c.example", "xn--bcher-kva.example", "com" }
                .Select(n => ZoneShard.Of(DnsName.Parse(n), 4)));
    }

    [Theory]
    [InlineData("1/1", 1, 1)]
    [InlineData("3/4", 3, 4)]
    [InlineData("10000/10000", 10000, 10000)]
    public void Parses_k_of_n(string text, int index, int count)
    {
        Assert.True(ZoneShard.TryParse(text, out var shard, out _));
        Assert.Equal(new ZoneShard(index, count), shard);
    }

    [Theory]
    [InlineData("0/4")]
    [InlineData("5/4")]
    [InlineData("1/0")]
    [InlineData("1/10001")]
    [InlineData("a/4")]
    [InlineData("1/4/2")]
    [InlineData("-1/4")]
    [InlineData(" 1/4")]
    [InlineData("")]
    public void Rejects_what_is_not_k_of_n(string text)
    {
        Assert.False(ZoneShard.TryParse(text, out _, out var error));
        Assert.Contains(text, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sharded_check_reports_only_its_zones_and_policy_wide_findings_only_in_shard_1()
    {
        var dir = Directory.CreateTempSubdirectory("nspolicy-shard-");
        try
        {
            var policy = Path.Combine(dir.FullName, "nspolicy.yaml");
            var lines = new List<string> { "version: 1", "nameserver-sets:", "  unused: [ns1.example.net, ns2.example.net]", "zones:" };
            foreach (var zone in Zones.Take(40))
            {
                lines.Add($"  - zone: {zone}");
                lines.Add("    nameservers: [ns1.example.net]");
            }

            await File.WriteAllTextAsync(policy, string.Join('\n', lines) + "\n");
            var runner = new CheckRunner(FixedTime.Today, live: null);
            var whole = await runner.RunAsync(new CheckRequest(policy, "nspolicy.yaml") { Offline = true }, CancellationToken.None);

            var parts = new List<CheckReport>();
            for (var k = 1; k <= 3; k++)
            {
                parts.Add(await runner.RunAsync(new CheckRequest(policy, "nspolicy.yaml") { Offline = true, Shard = new ZoneShard(k, 3) }, CancellationToken.None));
            }

            Assert.Equal(
                whole.Findings.Select(f => f.Finding).OrderBy(f => f.Location.Line),
                parts.SelectMany(p => p.Findings).Select(f => f.Finding).OrderBy(f => f.Location.Line));
            for (var k = 1; k <= 3; k++)
            {
                var shard = new ZoneShard(k, 3);
                Assert.All(parts[k - 1].Findings.Where(f => f.Finding.Zone is not null), f => Assert.True(shard.Contains(f.Finding.Zone!)));
                Assert.Equal(k == 1, parts[k - 1].Findings.Any(f => f.Code == "POLICY_NAMESERVER_SET_UNUSED"));
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
