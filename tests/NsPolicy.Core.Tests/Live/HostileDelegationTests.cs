using System.Globalization;
using System.Net;
using NsPolicy.Core.Checks;
using NsPolicy.Core.Checks.Live;
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Live;
using NsPolicy.Core.Policy;
using NsPolicy.Dns;
using NsPolicy.Dns.Records;
using NsPolicy.Dns.Resolution;
using NsPolicy.Dns.Tests.Transport;
using NsPolicy.Dns.Transport;

using static NsPolicy.Core.Tests.Live.NetworkSeam;

namespace NsPolicy.Core.Tests.Live;

/// <summary>
/// A hostile delegation at the network seam: test. delegates hostile.test. to 1,200 nameserver
/// names, each with in-bailiwick glue, plus an address for a name test. has no authority over.
/// Every server answers at once, so nothing but the collector's bounds limits the fan-out.
/// </summary>
public sealed class HostileDelegationTests
{
    private const int Names = 1200;

    private static readonly IPAddress Root = IPAddress.Parse("127.0.0.1");
    private static readonly IPAddress Tld = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Poisoned = IPAddress.Parse("127.0.0.66");
    private static readonly DnsName TldZone = DnsName.Parse("test.");
    private static readonly DnsName Zone = DnsName.Parse("hostile.test.");

    [Fact]
    public async Task A_delegation_to_1200_names_cannot_make_the_collector_exceed_its_bound()
    {
        var network = HostileNetwork();
        var options = Options();

        var evidence = await CollectAsync(network, options);

        var zone = Assert.Single(evidence.Zones);
        Assert.Equal(options.MaxNameserversPerZone, zone.Nameservers.Count);
        Assert.Equal(Names - options.MaxNameserversPerZone, zone.NameserversNotAsked!.Count);
        // The documented bound: the zone's budget of queries and transfers, plus for each name asked
        // its A and AAAA resolutions from the root, plus finding the parent (SOA and NS of test.).
        var resolutions = (2 * options.MaxNameserversPerZone) + 2;
        var bound = options.MaxQueriesPerZone + (resolutions * new ResolverOptions().MaxQueries);
        Assert.True(network.TotalSent <= bound, $"{network.TotalSent} queries sent; the bound is {bound}");
        Assert.DoesNotContain(network.UdpSent, s => s.Destination.Address.Equals(Poisoned));
        Assert.DoesNotContain(network.TcpConnects, s => s.Address.Equals(Poisoned));
    }

    [Fact]
    public async Task The_hostile_delegation_is_reported_as_too_many_names_and_poisoned_glue()
    {
        var evidence = await CollectAsync(HostileNetwork(), Options());
        var policy = await PolicyAsync();
        var codes = LiveJudge.Judge(policy, evidence, LiveCheckSettings.Default).Select(f => f.Code).ToHashSet();

        Assert.Contains(NsLimitCheck.TooMany.Code, codes);
        Assert.Contains(OutOfBailiwickGlueCheck.OutOfBailiwick.Code, codes);
    }

    [Fact]
    public async Task A_spent_zone_budget_records_the_rest_as_not_asked()
    {
        var network = HostileNetwork();
        var options = Options() with { MaxQueriesPerZone = 40 };

        var evidence = await CollectAsync(network, options);

        var zone = Assert.Single(evidence.Zones);
        Assert.True(zone.QueryBudgetExceeded);
        var queries = zone.Nameservers.SelectMany(n => n.Servers).SelectMany(s => new[] { s.SoaUdp, s.SoaTcp, s.NsUdp, s.NsTcp, s.Dnskey, s.Cds, s.Cdnskey }).ToList();
        Assert.Contains(queries, q => q.Result == QueryResult.NotAsked && q.Error!.Contains("query budget", StringComparison.Ordinal));
        Assert.True(queries.Count(q => q.Result != QueryResult.NotAsked) <= options.MaxQueriesPerZone);
    }

    private static LiveOptions Options() => NetworkSeam.Options("a.root. 3600 IN A 127.0.0.1\n. 3600 IN NS a.root.\n");

    private static async Task<DelegationEvidence> CollectAsync(FakeDnsNetwork network, LiveOptions options) =>
        await NetworkSeam.CollectAsync(network, NetworkGuard.Loopback, options, await PolicyAsync());

    private static Task<PolicyDocument> PolicyAsync() => NetworkSeam.PolicyAsync("""
        version: 1
        zones:
          - zone: hostile.test.
            nameservers: [ns0001.hostile.test., ns0002.hostile.test.]
            glue:
              ns0001.hostile.test.: [127.1.0.1]
              ns0002.hostile.test.: [127.1.0.2]
        """);

    private static DnsName NameOf(int i) => DnsName.Parse(string.Create(CultureInfo.InvariantCulture, $"ns{i:D4}.hostile.test."));

    private static IPAddress AddressOf(int i) => new([127, 1, (byte)(i / 250), (byte)((i % 250) + 1)]);

    private static FakeDnsNetwork HostileNetwork() => new()
    {
        Udp = (query, server) => [FakeDnsNetwork.From(server, Answer(query, server.Address))],
        Tcp = query => [(query.Question!.Type == RecordType.AXFR
            ? Response(query, authoritative: true) with { Header = Header(query, authoritative: true, DnsResponseCode.Refused) }
            : Answer(query, AddressOf(1))).ToWire()],
    };

    /// <summary>What the root, test. and the hostile servers answer.</summary>
    private static DnsMessage Answer(DnsMessage query, IPAddress server)
    {
        var question = query.Question!;
        var name = question.Name;
        if (server.Equals(Root))
        {
            return Response(query, authoritative: false) with
            {
                Authority = [new ResourceRecord(TldZone, 86400, new NsRData(DnsName.Parse("a.nic.test.")))],
                Additional = [new ResourceRecord(DnsName.Parse("a.nic.test."), 86400, new ARData(Tld))],
            };
        }

        if (server.Equals(Tld) && !name.IsSubdomainOf(Zone))
        {
            return name == TldZone && question.Type == RecordType.SOA ? Response(query, authoritative: true, Soa(TldZone))
                : name == TldZone && question.Type == RecordType.NS ? Response(query, authoritative: true, new ResourceRecord(TldZone, 86400, new NsRData(DnsName.Parse("a.nic.test."))))
                : name == DnsName.Parse("a.nic.test.") && question.Type == RecordType.A ? Response(query, authoritative: true, new ResourceRecord(name, 86400, new ARData(Tld)))
                : Response(query, authoritative: true) with { Authority = [Soa(TldZone)] };
        }

        if (server.Equals(Tld))
        {
            return Response(query, authoritative: false) with
            {
                Authority = [.. Delegation()],
                Additional = [.. Enumerable.Range(1, Names).Select(i => new ResourceRecord(NameOf(i), 86400, new ARData(AddressOf(i)))),
                    new ResourceRecord(DnsName.Parse("ns1.provider.example."), 86400, new ARData(Poisoned))],
            };
        }

        // Every address of every hostile name serves the zone, with the 1,200 names at its apex too.
        if (question.Type == RecordType.SOA && name == Zone)
        {
            return Response(query, authoritative: true, Soa(Zone));
        }

        if (question.Type == RecordType.NS && name == Zone)
        {
            return Response(query, authoritative: true, [.. Delegation()]);
        }

        if (question.Type == RecordType.A && name.IsSubdomainOf(Zone) && name != Zone
            && int.TryParse(name.ToString().AsSpan(2, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var i))
        {
            return Response(query, authoritative: true, new ResourceRecord(name, 3600, new ARData(AddressOf(i))));
        }

        return Response(query, authoritative: true) with { Authority = [Soa(Zone)] };
    }

    private static IEnumerable<ResourceRecord> Delegation() =>
        Enumerable.Range(1, Names).Select(i => new ResourceRecord(Zone, 86400, new NsRData(NameOf(i))));

    private static ResourceRecord Soa(DnsName zone) =>
        new(zone, 3600, new SoaRData(DnsName.Parse("ns0001.hostile.test."), DnsName.Parse("hostmaster.hostile.test."), 1, 7200, 3600, 1209600, 3600));
}
