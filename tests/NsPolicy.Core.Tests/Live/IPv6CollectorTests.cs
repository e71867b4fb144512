using System.Net;
using NsPolicy.Core.Checks;
using NsPolicy.Core.Checks.Live;
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Live;
using NsPolicy.Dns;
using NsPolicy.Dns.Records;
using NsPolicy.Dns.Tests.Transport;
using NsPolicy.Dns.Transport;

using static NsPolicy.Core.Tests.Live.NetworkSeam;

namespace NsPolicy.Core.Tests.Live;

/// <summary>
/// IPv6 at the network seam: a dual-stack hierarchy (root, test., dual.test with two nameservers,
/// each with an IPv4 and an IPv6 address) served by a hand-written network. Nothing leaves the
/// process, so the guard is unrestricted here.
/// </summary>
public sealed class IPv6CollectorTests
{
    private static readonly DnsName Tld = DnsName.Parse("test.");
    private static readonly DnsName Zone = DnsName.Parse("dual.test.");
    private static readonly DnsName Nic = DnsName.Parse("a.nic.test.");
    private static readonly DnsName Ns1 = DnsName.Parse("ns1.dual.test.");
    private static readonly DnsName Ns2 = DnsName.Parse("ns2.dual.test.");

    private static readonly IPAddress[] RootAt = [IPAddress.Parse("127.0.0.1"), IPAddress.Parse("fd00::1")];
    private static readonly IPAddress[] TldAt = [IPAddress.Parse("127.0.0.2"), IPAddress.Parse("fd00::2")];
    private static readonly IPAddress[] Ns1At = [IPAddress.Parse("127.0.3.1"), IPAddress.Parse("fd00:3::1")];
    private static readonly IPAddress[] Ns2At = [IPAddress.Parse("127.0.4.1"), IPAddress.Parse("fd00:4::1")];
    private static readonly IPAddress ResolverAt = IPAddress.Parse("127.0.9.1");

    [Fact]
    public async Task A_healthy_dual_stack_zone_is_asked_over_both_families_and_reports_nothing()
    {
        var network = Network(lameOverIPv6: null);

        var (evidence, findings) = await CheckAsync(network, IPv6Mode.On);

        Assert.Equal(IPv6Use.Asked, evidence.IPv6);
        var zone = Assert.Single(evidence.Zones);
        Assert.Equal(4, zone.Nameservers.SelectMany(n => n.Servers).Count());
        Assert.Contains(network.UdpSent, s => s.Destination.Address.Equals(Ns2At[1]));
        Assert.Empty(findings);
    }

    [Fact]
    public async Task A_server_lame_only_over_IPv6_is_reported_for_its_IPv6_address_only()
    {
        var (_, findings) = await CheckAsync(Network(lameOverIPv6: Ns2At[1]), IPv6Mode.On);

        var lame = Assert.Single(findings);
        Assert.Equal(LameServerCheck.Lame.Code, lame.Code);
        Assert.Contains("(IPv6 fd00:4::1)", lame.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_IPv6_route_auto_asks_no_IPv6_address_and_says_so_once()
    {
        var network = Network(lameOverIPv6: Ns2At[1]);
        var unrouted = new Unrouted(network);

        var (evidence, findings) = await CheckAsync(unrouted, IPv6Mode.Auto);

        Assert.Equal(IPv6Use.Unavailable, evidence.IPv6);
        Assert.DoesNotContain(network.UdpSent, s => s.Destination.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6);
        Assert.Equal([IPv6Check.Untested.Code], findings.Select(f => f.Code));
    }

    [Fact]
    public async Task Off_asks_no_IPv6_address_and_says_nothing_about_IPv6()
    {
        var network = Network(lameOverIPv6: Ns2At[1]);

        var (evidence, findings) = await CheckAsync(network, IPv6Mode.Off);

        Assert.Equal(IPv6Use.Off, evidence.IPv6);
        Assert.DoesNotContain(network.UdpSent, s => s.Destination.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6);
        Assert.Empty(findings);
    }

    [Fact]
    public async Task A_query_lost_twice_at_a_server_that_answers_others_is_asked_again_and_no_finding_comes_of_it()
    {
        // Retries 0: every lost datagram ends a query. ns2's SOA over UDP is lost twice (the query and
        // the first re-ask); the second re-ask is answered.
        var losses = 2;
        var inner = Network(lameOverIPv6: null);
        var network = new FakeDnsNetwork
        {
            Udp = (query, server) => server.Address.Equals(Ns2At[0]) && IsApexSoa(query) && Interlocked.Decrement(ref losses) >= 0
                ? []
                : inner.Udp(query, server),
            Tcp = inner.Tcp,
        };

        var (evidence, findings) = await CheckAsync(network, IPv6Mode.Off, LossWait);

        Assert.Empty(findings);
        Assert.Equal(3, network.UdpSent.Count(s => s.Destination.Address.Equals(Ns2At[0]) && IsApexSoa(s.Query)));
        var ns2 = evidence.Zones.Single().Nameservers.Single(n => n.Name == Ns2).Servers.Single();
        Assert.Equal(QueryResult.Answer, ns2.SoaUdp.Result);
    }

    [Fact]
    public async Task A_server_that_answers_nothing_is_not_asked_again()
    {
        // ns2 never answers over UDP, and no server answers over TCP: ns2 answers nothing at all.
        var inner = Network(lameOverIPv6: null);
        var network = new FakeDnsNetwork
        {
            Udp = (query, server) => server.Address.Equals(Ns2At[0]) ? [] : inner.Udp(query, server),
        };

        var (_, findings) = await CheckAsync(network, IPv6Mode.Off, LossWait);

        Assert.Contains(findings, f => f.Code == ReachabilityCheck.Unreachable.Code && f.Message.Contains("ns2.dual.test.", StringComparison.Ordinal));
        Assert.Equal(1, network.UdpSent.Count(s => s.Destination.Address.Equals(Ns2At[0]) && IsApexSoa(s.Query)));
    }

    [Fact]
    public async Task Silence_at_an_address_that_only_refuses_connections_is_asked_again()
    {
        // ns2's host is there (it resets TCP connections) but every UDP datagram to it is lost:
        // the refusal counts as a response, so its silent UDP queries are asked twice more.
        var inner = Network(lameOverIPv6: null);
        var fake = new FakeDnsNetwork
        {
            Udp = (query, server) => server.Address.Equals(Ns2At[0]) ? [] : inner.Udp(query, server),
            Tcp = inner.Tcp,
        };

        var (evidence, _) = await CheckAsync(new RefusesTcp(fake, Ns2At[0]), IPv6Mode.Off, LossWait);

        var ns2 = evidence.Zones.Single().Nameservers.Single(n => n.Name == Ns2).Servers.Single();
        Assert.Equal(QueryResult.ConnectionRefused, ns2.SoaTcp.Result);
        Assert.Equal(QueryResult.Timeout, ns2.SoaUdp.Result);
        Assert.Equal(2, ns2.SoaUdp.Reasked);
        Assert.Equal(3, fake.UdpSent.Count(s => s.Destination.Address.Equals(Ns2At[0]) && IsApexSoa(s.Query)));
    }

    [Fact]
    public async Task A_resolver_query_lost_twice_is_asked_again_and_the_evidence_counts_the_re_asks()
    {
        // Retries 0: every lost datagram ends a query. The resolver's answer for the zone's NS is lost
        // twice (the query and the first re-ask); it answered the DS, so the NS is asked again.
        var losses = 2;
        var inner = Network(lameOverIPv6: null);
        var network = new FakeDnsNetwork
        {
            Udp = (query, server) => !server.Address.Equals(ResolverAt) ? inner.Udp(query, server)
                : query.Question!.Type == RecordType.NS && Interlocked.Decrement(ref losses) >= 0 ? []
                : [FakeDnsNetwork.From(server, Recursive(query))],
            Tcp = inner.Tcp,
        };

        var (evidence, findings) = await CheckAsync(network, IPv6Mode.Off, LossWait, ResolverAt);

        Assert.Empty(findings);
        var resolver = Assert.Single(Assert.Single(evidence.Zones).Resolvers);
        Assert.Equal(QueryResult.Answer, resolver.Ns.Result);
        Assert.Equal(2, resolver.Ns.Reasked);
        Assert.Equal(0, resolver.Ds.Reasked);
        Assert.Equal(3, network.UdpSent.Count(s => s.Destination.Address.Equals(ResolverAt) && s.Query.Question!.Type == RecordType.NS));
    }

    [Fact]
    public async Task A_zone_transfer_cut_short_at_a_server_that_answers_others_is_tried_once_more()
    {
        // The first AXFR to reach a server gets the opening SOA, then the connection closes; the
        // second attempt gets the server's real answer (REFUSED).
        var cuts = 1;
        var inner = Network(lameOverIPv6: null);
        var network = new FakeDnsNetwork
        {
            Udp = inner.Udp,
            Tcp = query => query.Question!.Type == RecordType.AXFR && Interlocked.Decrement(ref cuts) >= 0
                ? [Response(query, true, Soa(Zone)).ToWire()]
                : inner.Tcp(query),
        };

        var (evidence, findings) = await CheckAsync(network, IPv6Mode.Off, LossWait);

        Assert.Empty(findings);
        var transfers = evidence.Zones.Single().Nameservers.SelectMany(n => n.Servers).Select(s => s.Axfr).ToList();
        Assert.All(transfers, t => Assert.Equal(TransferResult.Refused, t.Result));
        Assert.Single(transfers, t => t.Retried);
        Assert.Equal(3, network.TcpQueries.Count(q => q.Question!.Type == RecordType.AXFR));
    }

    /// <summary>A recursive resolver's answer for the zone: its NS set, no DS (the zone is unsigned).</summary>
    private static DnsMessage Recursive(DnsMessage query) =>
        (query.Question!.Type == RecordType.NS ? Response(query, false, Rr(Zone, new NsRData(Ns1)), Rr(Zone, new NsRData(Ns2))) : Response(query, false) with { Authority = [Soa(Zone)] })
        with { Header = Header(query, false) with { RecursionDesired = true, RecursionAvailable = true } };

    private static bool IsApexSoa(DnsMessage query) =>
        query.Question is { } q && q.Type == RecordType.SOA && q.Name == Zone && (query.Edns is null || (query.Edns.Version == 0 && query.Edns.Options.IsDefaultOrEmpty && (query.Edns.Flags & 0x7FFF) == 0));

    /// <summary>
    /// The timeout of the tests that lose datagrams on purpose: each loss costs it once, but a query
    /// the fake network does answer must never run into it, however busy the machine (at 300 ms one
    /// did, and a normal transfer counted as cut short and retried).
    /// </summary>
    private static readonly TimeSpan LossWait = TimeSpan.FromSeconds(2);

    private static async Task<(DelegationEvidence Evidence, IReadOnlyList<Findings.Finding> Findings)> CheckAsync(IDnsNetwork network, IPv6Mode mode, TimeSpan? timeout = null, IPAddress? resolver = null)
    {
        var policy = await PolicyAsync("""
            version: 1
            zones:
              - zone: dual.test.
                nameservers: [ns1.dual.test., ns2.dual.test.]
                glue:
                  ns1.dual.test.: [127.0.3.1, "fd00:3::1"]
                  ns2.dual.test.: [127.0.4.1, "fd00:4::1"]
            """);
        var options = Options("a.root. 3600 IN A 127.0.0.1\na.root. 3600 IN AAAA fd00::1\n. 3600 IN NS a.root.\n") with { IPv6 = mode };
        options = timeout is { } wait ? options with { Timeout = wait } : options;
        options = resolver is null ? options : options with { Resolvers = [resolver] };
        var evidence = await CollectAsync(network, NetworkGuard.Unrestricted, options, policy);
        return (evidence, LiveJudge.Judge(policy, evidence, LiveCheckSettings.Default));
    }

    private static FakeDnsNetwork Network(IPAddress? lameOverIPv6) => new()
    {
        Udp = (query, server) => [FakeDnsNetwork.From(server, Answer(query, server.Address, lameOverIPv6))],
        Tcp = query => [Answer(query, Ns1At[0], null).ToWire()],
    };

    /// <summary>What each server answers; EDNS version 1 gets BADVERS as RFC 6891 asks.</summary>
    private static DnsMessage Answer(DnsMessage query, IPAddress server, IPAddress? lame)
    {
        var question = query.Question!;
        var name = question.Name;
        if (query.Edns is { Version: > 0 })
        {
            return Response(query, true) with { Additional = [new EdnsInfo { ExtendedRcode = 1 }.ToRecord()] };
        }

        if (question.Type == RecordType.AXFR)
        {
            return Response(query, true) with { Header = Header(query, true, DnsResponseCode.Refused) };
        }

        if (server.Equals(lame))
        {
            return Response(query, false) with { Header = Header(query, false, DnsResponseCode.Refused) };
        }

        if (RootAt.Contains(server))
        {
            return name.IsSubdomainOf(Tld)
                ? Response(query, false) with { Authority = [Rr(Tld, new NsRData(Nic))], Additional = [Rr(Nic, new ARData(TldAt[0])), Rr(Nic, new AaaaRData(TldAt[1]))] }
                : Response(query, true) with { Authority = [Soa(DnsName.Root)] };
        }

        if (TldAt.Contains(server) && !name.IsSubdomainOf(Zone))
        {
            return name == Tld && question.Type == RecordType.SOA ? Response(query, true, Soa(Tld))
                : name == Tld && question.Type == RecordType.NS ? Response(query, true, Rr(Tld, new NsRData(Nic)))
                : name == Nic && question.Type == RecordType.A ? Response(query, true, Rr(Nic, new ARData(TldAt[0])))
                : name == Nic && question.Type == RecordType.AAAA ? Response(query, true, Rr(Nic, new AaaaRData(TldAt[1])))
                : Response(query, true) with { Authority = [Soa(Tld)] };
        }

        if (TldAt.Contains(server))
        {
            return Response(query, false) with
            {
                Authority = [Rr(Zone, new NsRData(Ns1)), Rr(Zone, new NsRData(Ns2))],
                Additional = [Rr(Ns1, new ARData(Ns1At[0])), Rr(Ns1, new AaaaRData(Ns1At[1])), Rr(Ns2, new ARData(Ns2At[0])), Rr(Ns2, new AaaaRData(Ns2At[1]))],
            };
        }

        return (question.Type, name) switch
        {
            var (t, n) when t == RecordType.SOA && n == Zone => Response(query, true, Soa(Zone)),
            var (t, n) when t == RecordType.NS && n == Zone => Response(query, true, Rr(Zone, new NsRData(Ns1)), Rr(Zone, new NsRData(Ns2))),
            var (t, n) when t == RecordType.A && (n == Ns1 || n == Ns2) => Response(query, true, Rr(n, new ARData(n == Ns1 ? Ns1At[0] : Ns2At[0]))),
            var (t, n) when t == RecordType.AAAA && (n == Ns1 || n == Ns2) => Response(query, true, Rr(n, new AaaaRData(n == Ns1 ? Ns1At[1] : Ns2At[1]))),
            _ when name.IsSubdomainOf(Zone) => Response(query, true) with { Authority = [Soa(Zone)] },
            _ => Response(query, false) with { Header = Header(query, false, DnsResponseCode.Refused) },
        };
    }

    private static ResourceRecord Rr(DnsName owner, RData data) => new(owner, 3600, data);

    private static ResourceRecord Soa(DnsName zone) =>
        new(zone, 3600, new SoaRData(Ns1, DnsName.Parse("hostmaster.dual.test."), 1, 7200, 3600, 1209600, 3600));

    /// <summary>The same network, where <paramref name="refusing"/> resets every TCP connection.</summary>
    private sealed class RefusesTcp(FakeDnsNetwork inner, IPAddress refusing) : IDnsNetwork
    {
        public IUdpChannel OpenUdp(System.Net.Sockets.AddressFamily family) => inner.OpenUdp(family);

        public Task<Stream> ConnectTcpAsync(IPEndPoint server, CancellationToken cancellationToken) => server.Address.Equals(refusing)
            ? Task.FromException<Stream>(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused))
            : inner.ConnectTcpAsync(server, cancellationToken);

        public bool CanRoute(IPAddress address) => true;
    }

    /// <summary>The same network on a host without an IPv6 route.</summary>
    private sealed class Unrouted(FakeDnsNetwork inner) : IDnsNetwork
    {
        public IUdpChannel OpenUdp(System.Net.Sockets.AddressFamily family) => inner.OpenUdp(family);

        public Task<Stream> ConnectTcpAsync(IPEndPoint server, CancellationToken cancellationToken) => inner.ConnectTcpAsync(server, cancellationToken);

        public bool CanRoute(IPAddress address) => address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6;
    }
}
