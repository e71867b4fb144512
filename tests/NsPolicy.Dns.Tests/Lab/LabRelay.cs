using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace NsPolicy.Dns.Tests.Lab;

/// <summary>
/// In-process stand-ins for faults that no real server can be configured to show: a relay that
/// passes DNS messages to a real server and back (optionally clearing AA, optionally UDP only),
/// one that poisons referrals with address records for names outside the referring zone, and a
/// black hole that takes every query and never answers.
/// </summary>
internal sealed class LabRelay : IAsyncDisposable
{
    private static readonly TimeSpan UpstreamTimeout = TimeSpan.FromSeconds(3);

    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> loops = [];
    private readonly List<IDisposable> resources = [];
    private readonly IPEndPoint? upstream;
    private readonly bool clearAuthoritative;
    private readonly bool ednsBroken;
    private readonly IReadOnlyDictionary<string, (byte[] Records, int Count)>? poison;
    private readonly bool echoOptions;
    private readonly bool stripOpt;

    private LabRelay(IPEndPoint? upstream, bool clearAuthoritative, bool ednsBroken = false, IReadOnlyDictionary<string, (byte[] Records, int Count)>? poison = null, bool echoOptions = false, bool stripOpt = false)
    {
        this.stripOpt = stripOpt;
        this.upstream = upstream;
        this.clearAuthoritative = clearAuthoritative;
        this.ednsBroken = ednsBroken;
        this.poison = poison;
        this.echoOptions = echoOptions;
    }

    /// <summary>
    /// Relays UDP (and TCP unless <paramref name="udpOnly"/>) from <paramref name="listen"/> to
    /// <paramref name="server"/>. With <paramref name="ednsBroken"/>, UDP queries with an EDNS version
    /// other than 0 go on as version 0, and queries carrying an EDNS option get FORMERR.
    /// </summary>
    public static LabRelay StartRelay(IPAddress listen, IPAddress server, bool clearAuthoritative, bool udpOnly, bool ednsBroken = false)
    {
        var relay = new LabRelay(new IPEndPoint(server, 53), clearAuthoritative, ednsBroken);
        relay.Listen(listen, tcp: !udpOnly);
        return relay;
    }

    /// <summary>
    /// Relays UDP and TCP from <paramref name="listen"/> to <paramref name="server"/> and adds address
    /// records (A or AAAA, TTL 86400, owner names in the case given) to the additional section of a
    /// referral (NOERROR, no AA, no answer, NS in the authority section) that comes back: those
    /// <paramref name="recordsByQuestion"/> gives for the name asked about, if any.
    /// </summary>
    public static LabRelay StartPoisoningRelay(IPAddress listen, IPAddress server, IReadOnlyDictionary<string, IReadOnlyList<(string Name, IPAddress Address)>> recordsByQuestion)
    {
        var poison = recordsByQuestion.ToDictionary(
            q => q.Key.ToLowerInvariant(),
            q => ((byte[])[.. q.Value.SelectMany(r => AddressRecord(r.Name, r.Address))], q.Value.Count),
            StringComparer.Ordinal);
        var relay = new LabRelay(new IPEndPoint(server, 53), clearAuthoritative: false, poison: poison);
        relay.Listen(listen, tcp: true);
        return relay;
    }

    /// <summary>
    /// Relays UDP and TCP from <paramref name="listen"/> to <paramref name="server"/> and copies the
    /// EDNS options of each query into the OPT record of its answer: options it does not know come
    /// back, as RFC 6891 §6.1.2 says they must not.
    /// </summary>
    public static LabRelay StartEchoingRelay(IPAddress listen, IPAddress server)
    {
        var relay = new LabRelay(new IPEndPoint(server, 53), clearAuthoritative: false, echoOptions: true);
        relay.Listen(listen, tcp: true);
        return relay;
    }

    /// <summary>
    /// Relays UDP and TCP from <paramref name="listen"/> to <paramref name="server"/> and takes the
    /// OPT record out of every answer, as a middlebox that does not know EDNS does.
    /// </summary>
    public static LabRelay StartOptStrippingRelay(IPAddress listen, IPAddress server)
    {
        var relay = new LabRelay(new IPEndPoint(server, 53), clearAuthoritative: false, stripOpt: true);
        relay.Listen(listen, tcp: true);
        return relay;
    }

    /// <summary>Binds UDP and TCP port 53 on <paramref name="listen"/>, accepts everything, answers nothing.</summary>
    public static LabRelay StartBlackHole(IPAddress listen)
    {
        var relay = new LabRelay(null, clearAuthoritative: false);
        relay.Listen(listen, tcp: true);
        return relay;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        lock (resources)
        {
            foreach (var resource in resources)
            {
                resource.Dispose();
            }
        }

        try
        {
            await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or TimeoutException)
        {
            // The loops end by their sockets being closed under them.
        }

        stop.Dispose();
    }

    private void Listen(IPAddress listen, bool tcp)
    {
        var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        Keep(udp);
        udp.Bind(new IPEndPoint(listen, 53));
        loops.Add(Task.Run(() => UdpLoopAsync(udp)));
        if (tcp)
        {
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            Keep(listener);
            listener.Bind(new IPEndPoint(listen, 53));
            listener.Listen(16);
            loops.Add(Task.Run(() => TcpAcceptLoopAsync(listener)));
        }
    }

    private void Keep(IDisposable resource)
    {
        lock (resources)
        {
            resources.Add(resource);
        }
    }

    private async Task UdpLoopAsync(Socket udp)
    {
        var buffer = new byte[65535];
        while (!stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stop.Token).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                continue;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            if (upstream is null)
            {
                continue;
            }

            var query = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
            var client = received.RemoteEndPoint;
            _ = Task.Run(() => RelayDatagramAsync(udp, query, client));
        }
    }

    private async Task RelayDatagramAsync(Socket udp, byte[] query, EndPoint client)
    {
        try
        {
            if (ednsBroken && OptAt(query) is { } opt)
            {
                if (BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(opt + 9)) > 0)
                {
                    await udp.SendToAsync(FormErr(query, opt), SocketFlags.None, client, stop.Token).ConfigureAwait(false);
                    return;
                }

                query[opt + 6] = 0;
            }

            using var outbound = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            limit.CancelAfter(UpstreamTimeout);
            await outbound.ConnectAsync(upstream!, limit.Token).ConfigureAwait(false);
            await outbound.SendAsync(query, SocketFlags.None, limit.Token).ConfigureAwait(false);
            var buffer = new byte[65535];
            var length = await outbound.ReceiveAsync(buffer, SocketFlags.None, limit.Token).ConfigureAwait(false);
            var answer = Rewrite(query, buffer.AsSpan(0, length).ToArray());
            await udp.SendToAsync(answer, SocketFlags.None, client, stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // An unanswered relayed query is what a client sees as a timeout, which is fine here.
        }
    }

    private async Task TcpAcceptLoopAsync(Socket listener)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await listener.AcceptAsync(stop.Token).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                continue;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            Keep(connection);
            if (upstream is not null)
            {
                _ = Task.Run(() => RelayConnectionAsync(connection));
            }
        }
    }

    private async Task RelayConnectionAsync(Socket connection)
    {
        try
        {
            using (connection)
            using (var outbound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            {
                await outbound.ConnectAsync(upstream!, stop.Token).ConfigureAwait(false);
                while (true)
                {
                    var query = await ReadFramedAsync(connection).ConfigureAwait(false);
                    if (query is null)
                    {
                        return;
                    }

                    await WriteFramedAsync(outbound, query).ConfigureAwait(false);
                    using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                    limit.CancelAfter(UpstreamTimeout);
                    var answer = await ReadFramedAsync(outbound).WaitAsync(limit.Token).ConfigureAwait(false);
                    if (answer is null)
                    {
                        return;
                    }

                    await WriteFramedAsync(connection, Rewrite(query, answer)).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client or the server went away.
        }
    }

    /// <summary>RFC 1035 §4.2.2: two-byte length, then the message. Null at a clean end of stream.</summary>
    private async Task<byte[]?> ReadFramedAsync(Socket socket)
    {
        var prefix = new byte[2];
        if (!await ReadExactlyAsync(socket, prefix).ConfigureAwait(false))
        {
            return null;
        }

        var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        return await ReadExactlyAsync(socket, message).ConfigureAwait(false) ? message : null;
    }

    private async Task<bool> ReadExactlyAsync(Socket socket, byte[] buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, stop.Token).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    private async Task WriteFramedAsync(Socket socket, byte[] message)
    {
        var framed = new byte[message.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
        message.CopyTo(framed, 2);
        await socket.SendAsync(framed, SocketFlags.None, stop.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// Where the OPT record of a query starts (RFC 6891 §6.1.2: root owner, type 41), when the query
    /// has one question and one additional record, as the lab's clients send; else null.
    /// </summary>
    private static int? OptAt(byte[] query)
    {
        if (query.Length < 12 || BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(4)) != 1 || BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(10)) != 1)
        {
            return null;
        }

        var at = 12;
        while (at < query.Length && query[at] != 0)
        {
            at += query[at] + 1;
        }

        at += 1 + 4;
        return at + 11 <= query.Length && query[at] == 0 && BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(at + 1)) == 41 ? at : null;
    }

    /// <summary>Where the OPT record of a response starts (its owner, the root), walking every section; null when it has none.</summary>
    private static int? ResponseOptAt(byte[] message)
    {
        if (message.Length < 12)
        {
            return null;
        }

        var at = 12;
        for (var q = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(4)); q > 0; q--)
        {
            at = SkipName(message, at) + 4;
        }

        var records = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(6)) + BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(8)) + BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(10));
        for (var r = 0; r < records && at + 1 <= message.Length; r++)
        {
            var start = at;
            at = SkipName(message, at);
            if (at + 10 > message.Length)
            {
                return null;
            }

            if (BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(at)) == 41 && message[start] == 0)
            {
                return start;
            }

            at += 10 + BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(at + 8));
        }

        return null;
    }

    /// <summary>The offset after a (possibly compressed) name at <paramref name="at"/>.</summary>
    private static int SkipName(byte[] message, int at)
    {
        while (at < message.Length && message[at] != 0)
        {
            if ((message[at] & 0xC0) == 0xC0)
            {
                return at + 2;
            }

            at += message[at] + 1;
        }

        return at + 1;
    }

    /// <summary>FORMERR: the query's header and question with QR set, no records (what EDNS-intolerant servers send).</summary>
    private static byte[] FormErr(byte[] query, int optAt)
    {
        var answer = query.AsSpan(0, optAt).ToArray();
        answer[2] = (byte)((answer[2] | 0x80) & 0xF9);
        answer[3] = 0x01;
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(10), 0);
        return answer;
    }

    private byte[] Rewrite(byte[] query, byte[] answer)
    {
        if (echoOptions && OptAt(query) is { } queryOpt && ResponseOptAt(answer) is { } answerOpt)
        {
            var options = query.AsSpan(queryOpt + 11, BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(queryOpt + 9)));
            var end = answerOpt + 11 + BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(answerOpt + 9));
            var echoed = new byte[answer.Length + options.Length];
            answer.AsSpan(0, end).CopyTo(echoed);
            options.CopyTo(echoed.AsSpan(end));
            answer.AsSpan(end).CopyTo(echoed.AsSpan(end + options.Length));
            BinaryPrimitives.WriteUInt16BigEndian(echoed.AsSpan(answerOpt + 9), (ushort)(end - answerOpt - 11 + options.Length));
            answer = echoed;
        }

        if (clearAuthoritative && answer.Length >= 12)
        {
            answer[2] &= 0xFB;
        }

        if (stripOpt && ResponseOptAt(answer) is { } opt)
        {
            var end = opt + 11 + BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(opt + 9));
            answer = [.. answer.AsSpan(0, opt), .. answer.AsSpan(end)];
            BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(10), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(10)) - 1));
        }

        if (poison is not null && IsReferral(answer) && QuestionName(answer) is { } question && poison.TryGetValue(question, out var records))
        {
            var poisoned = new byte[answer.Length + records.Records.Length];
            answer.CopyTo(poisoned, 0);
            records.Records.CopyTo(poisoned, answer.Length);
            BinaryPrimitives.WriteUInt16BigEndian(poisoned.AsSpan(10), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(10)) + records.Count));
            return poisoned;
        }

        return answer;
    }

    /// <summary>The first question's name in lower case with a trailing dot, or null when the message has none (names in the question section are never compressed).</summary>
    private static string? QuestionName(byte[] message)
    {
        if (message.Length < 12 || BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(4)) == 0)
        {
            return null;
        }

        var name = new System.Text.StringBuilder();
        for (var at = 12; at < message.Length;)
        {
            int length = message[at];
            if (length == 0)
            {
                return name.Length == 0 ? "." : name.ToString().ToLowerInvariant();
            }

            if (length > 63 || at + 1 + length > message.Length)
            {
                return null;
            }

            name.Append(System.Text.Encoding.ASCII.GetString(message, at + 1, length)).Append('.');
            at += 1 + length;
        }

        return null;
    }

    /// <summary>A response with NOERROR, no AA, no answer records and authority records: the server refers (the authority holds its NS).</summary>
    private static bool IsReferral(byte[] answer) =>
        answer.Length >= 12 && (answer[2] & 0x84) == 0x80 && (answer[3] & 0x0F) == 0
        && BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(6)) == 0 && BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(8)) > 0;

    /// <summary>An A or AAAA record in wire form (RFC 1035 §3.2.1, §4.1.3; RFC 3596), its owner uncompressed and in the case given.</summary>
    private static byte[] AddressRecord(string name, IPAddress address)
    {
        var record = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            record.Add((byte)label.Length);
            record.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }

        record.Add(0);
        var data = address.GetAddressBytes();
        record.AddRange([0, (byte)(data.Length == 16 ? 28 : 1), 0, 1, 0, 1, 0x51, 0x80, 0, (byte)data.Length]);
        record.AddRange(data);
        return [.. record];
    }
}
