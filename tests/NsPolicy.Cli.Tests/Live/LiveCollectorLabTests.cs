using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Live;
using NsPolicy.Core.Policy;
using NsPolicy.Dns;
using NsPolicy.Dns.Resolution;
using NsPolicy.Dns.Tests.Lab;
using NsPolicy.Dns.Transport;

namespace NsPolicy.Cli.Tests.Live;

/// <summary>The collector against the lab's real servers: shared questions asked once, and a zone deadline that holds.</summary>
[Collection(DnsLabCollection.Name)]
public sealed class LiveCollectorLabTests(DnsLabFixture fixture)
{
    [Fact]
    public async Task Zones_sharing_nameservers_ask_each_server_each_question_once()
    {
        var lab = fixture.Lab;
        var network = new CountingNetwork();
        var collector = await CollectorAsync(network, TimeSpan.FromSeconds(2), null);
        var zones = await ZonesAsync(lab, ["provider.test.", "cname-ns.test.", "good.test.", "alg8.test."]);

        var evidence = await collector.CollectAsync(zones, null, CancellationToken.None);

        Assert.Equal(4, evidence.Zones.Count);
        Assert.True(network.Sent.Count > 50, $"only {network.Sent.Count} distinct questions");
        var repeated = network.Sent.Where(kv => kv.Value > 1).Select(kv => $"{kv.Key} x{kv.Value}").ToList();
        Assert.True(repeated.Count == 0, "asked more than once: " + string.Join("; ", repeated));
    }

    [Fact]
    public async Task A_zone_past_its_deadline_is_marked_and_does_not_hold_up_the_others()
    {
        var lab = fixture.Lab;
        // The black hole would keep each query waiting 15 s; the zone's deadline is 4 s.
        var collector = await CollectorAsync(SocketDnsNetwork.Instance, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(4));
        var zones = await ZonesAsync(lab, ["timeout.test.", "provider.test."]);
        var clock = Stopwatch.StartNew();

        var evidence = await collector.CollectAsync(zones, null, CancellationToken.None);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(12), $"took {clock.Elapsed}");
        Assert.True(evidence.Find(DnsName.Parse("timeout.test."))!.DeadlineExceeded);
        Assert.False(evidence.Find(DnsName.Parse("provider.test."))!.DeadlineExceeded);
    }

    private async Task<LiveCollector> CollectorAsync(IDnsNetwork network, TimeSpan timeout, TimeSpan? deadline)
    {
        var hints = await RootHints.LoadAsync(fixture.Lab.RootHintsPath, CancellationToken.None);
        return new LiveCollector(new DnsTransport(network, NetworkGuard.Loopback, TimeProvider.System), new LiveOptions
        {
            Hints = hints,
            Resolvers = [fixture.Lab.ResolverAddress],
            Timeout = timeout,
            Retries = 0,
            ZoneDeadline = deadline,
        }, TimeProvider.System);
    }

    private static async Task<IReadOnlyList<ZonePolicy>> ZonesAsync(DnsLab lab, string[] names)
    {
        var load = await PolicyLoader.LoadAsync("lab.yaml", Encoding.UTF8.GetBytes(LabPolicy.Yaml(lab, names)), CancellationToken.None);
        return load.Document!.Zones;
    }

    /// <summary>Counts every query sent, by destination, transport, name, type and EDNS (version, options, DO).</summary>
    private sealed class CountingNetwork : IDnsNetwork
    {
        public ConcurrentDictionary<string, int> Sent { get; } = new(StringComparer.Ordinal);

        public IUdpChannel OpenUdp(AddressFamily family) => new Channel(SocketDnsNetwork.Instance.OpenUdp(family), this);

        public async Task<Stream> ConnectTcpAsync(IPEndPoint server, CancellationToken cancellationToken) =>
            new CountingStream(await SocketDnsNetwork.Instance.ConnectTcpAsync(server, cancellationToken), server, this);

        private void Count(IPEndPoint server, string transport, ReadOnlySpan<byte> wire)
        {
            var message = DnsMessage.FromWire(wire);
            // The EDNS compliance probes ask the same question with another EDNS version, an option, a flag or payload size.
            var edns = message.Edns is { } opt
                ? string.Create(CultureInfo.InvariantCulture, $" edns v{opt.Version} options {opt.Options.Length} flags 0x{opt.Flags:x4} udp {opt.UdpPayloadSize}")
                : string.Empty;
            Sent.AddOrUpdate($"{transport} {server.Address} {message.Question}{edns}", 1, (_, n) => n + 1);
        }

        private sealed class Channel(IUdpChannel inner, CountingNetwork owner) : IUdpChannel
        {
            public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, CancellationToken cancellationToken)
            {
                owner.Count(destination, "udp", datagram.Span);
                return inner.SendAsync(datagram, destination, cancellationToken);
            }

            public ValueTask<UdpDatagram> ReceiveAsync(CancellationToken cancellationToken) => inner.ReceiveAsync(cancellationToken);

            public void Dispose() => inner.Dispose();
        }

        /// <summary>Counts the first message written on a connection (the query; AXFR included).</summary>
        private sealed class CountingStream(Stream inner, IPEndPoint server, CountingNetwork owner) : Stream
        {
            private readonly MemoryStream written = new();
            private bool counted;

            public override bool CanRead => inner.CanRead;

            public override bool CanSeek => false;

            public override bool CanWrite => inner.CanWrite;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override void Flush() => inner.Flush();

            public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

            public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

            public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count)
            {
                Observe(buffer.AsSpan(offset, count));
                inner.Write(buffer, offset, count);
            }

            public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
            {
                Observe(buffer.Span);
                return inner.WriteAsync(buffer, cancellationToken);
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    inner.Dispose();
                    written.Dispose();
                }

                base.Dispose(disposing);
            }

            public override async ValueTask DisposeAsync()
            {
                await inner.DisposeAsync();
                await written.DisposeAsync();
                await base.DisposeAsync();
            }

            private void Observe(ReadOnlySpan<byte> data)
            {
                if (counted)
                {
                    return;
                }

                written.Write(data);
                var bytes = written.GetBuffer().AsSpan(0, (int)written.Length);
                if (bytes.Length >= 2 && bytes.Length >= 2 + ((bytes[0] << 8) | bytes[1]))
                {
                    counted = true;
                    owner.Count(server, "tcp", bytes.Slice(2, (bytes[0] << 8) | bytes[1]));
                }
            }
        }
    }
}
