using System.Net;
using System.Net.Sockets;
using NsPolicy.Dns.Tests.Fuzz;
using NsPolicy.Dns.Tests.Lab;
using Xunit.Abstractions;

namespace NsPolicy.Dns.Tests.LabTests;

/// <summary>
/// The fuzz property of <see cref="ReaderFuzzTests"/> on responses captured live, octet for octet,
/// from BIND, NSD and Knot serving types.test (every record type, NSEC3) and good.test (NSEC).
/// </summary>
[Collection(DnsLabCollection.Name)]
public sealed class ReaderFuzzLabTests(DnsLabFixture fixture, ITestOutputHelper output)
{
    private const int Variants = 60_000;

    [Fact]
    public async Task Every_mutation_of_live_responses_of_the_three_servers_parses_or_raises_the_format_exception()
    {
        (string Name, RecordType Type)[] queries =
        [
            ("types.test.", RecordType.DNSKEY), ("types.test.", RecordType.CAA), ("types.test.", RecordType.MX),
            ("types.test.", RecordType.CDS), ("types.test.", RecordType.CDNSKEY), ("types.test.", RecordType.NSEC3PARAM),
            ("txt.types.test.", RecordType.TXT), ("_sip._tcp.types.test.", RecordType.SRV), ("sub.types.test.", RecordType.DS),
            ("unknown.types.test.", new RecordType(LabCatalogue.UnknownType)), ("nothing.types.test.", RecordType.A),
            ("alias.types.test.", RecordType.A), ("nothing.good.test.", RecordType.A), ("good.test.", RecordType.NS),
        ];
        var seeds = new List<byte[]>();
        foreach (var host in new[] { LabHost.ChildBind, LabHost.ChildNsd, LabHost.ChildKnot })
        {
            foreach (var (name, type) in queries)
            {
                seeds.Add(await CaptureAsync(fixture.Lab.AddressOf(host), DnsName.Parse(name), type));
            }
        }

        var result = await Task.Run(() => FuzzCorpus.Run(seeds, Variants, seed: 20250102))
            .WaitAsync(TimeSpan.FromSeconds(120), CancellationToken.None);

        output.WriteLine(result.ToString());
        Assert.Equal(Variants, result.Parsed + result.Rejected);
        Assert.True(result.Parsed > Variants / 100, result.ToString());
        Assert.True(result.Rejected > Variants / 10, result.ToString());
        Assert.True(result.Slowest < TimeSpan.FromSeconds(5), result.ToString());
    }

    /// <summary>The raw UDP response (EDNS 1232, DO) to one query, as the server sent it.</summary>
    private static async Task<byte[]> CaptureAsync(IPAddress server, DnsName name, RecordType type)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var query = DnsMessage.CreateQuery(0x4242, name, type, recursionDesired: false, dnssecOk: true);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(new IPEndPoint(server, 53), limit.Token);
        await socket.SendAsync(query.ToWire(), SocketFlags.None, limit.Token);
        var buffer = new byte[65535];
        var length = await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token);
        var response = buffer[..length];
        Assert.Equal(query.Question, DnsMessage.FromWire(response).Question);
        return response;
    }
}
