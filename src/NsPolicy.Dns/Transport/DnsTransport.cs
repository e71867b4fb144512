// Sending one query: RFC 1035 §4.2.1 (UDP) and §4.2.2 (TCP, 2-octet length prefix), RFC 7766
// (TCP is a first-class transport; retry over TCP on TC), RFC 6891 (EDNS(0) payload size),
// RFC 5452 §9.1 (random query ids; accept a response only from the queried address and port,
// with the same id and the same question).
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NsPolicy.Dns.Transport;

/// <summary>
/// Sends queries and zone-transfer requests to one server at a time. Every ending is a value
/// (<see cref="QueryOutcome"/>, <see cref="TransferOutcome"/>); only cancellation by the caller's
/// token raises <see cref="OperationCanceledException"/>.
/// </summary>
public sealed partial class DnsTransport
{
    private readonly IDnsNetwork network;
    private readonly TimeProvider time;
    private readonly QueryTimeouts timeouts;

    public DnsTransport(NetworkGuard guard)
        : this(SocketDnsNetwork.Instance, guard, TimeProvider.System)
    {
    }

    public DnsTransport(IDnsNetwork network, NetworkGuard guard, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(guard);
        ArgumentNullException.ThrowIfNull(time);
        this.network = network;
        Guard = guard;
        this.time = time;
        timeouts = new QueryTimeouts(time);
    }

    public NetworkGuard Guard { get; }

    /// <summary>Whether a query to <paramref name="address"/> could leave: the guard lets it, and this host has a route (nothing is sent).</summary>
    public bool CanReach(IPAddress address) => Guard.Allows(address) && network.CanRoute(address);

    public Task<QueryOutcome> QueryAsync(IPEndPoint server, DnsName name, RecordType type, QueryOptions options, CancellationToken cancellationToken) =>
        QueryAsync(server, new DnsQuestion(name, type), options, cancellationToken);

    public async Task<QueryOutcome> QueryAsync(IPEndPoint server, DnsQuestion question, QueryOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(options);
        if (!Guard.Allows(server.Address))
        {
            return Blocked(server, question);
        }

        var attempts = options.Retries + 1;
        var dropped = 0;
        var made = 0;
        QueryOutcome? last = null;
        QueryOutcome? refused = null;
        var useTcp = options.TcpOnly;
        var fellBack = false;

        // One wire form for every attempt; each attempt writes a fresh random id into it.
        var query = BuildQuery(question, options);
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            if (attempt > 0 && last!.Status is QueryStatus.NetworkError or QueryStatus.ConnectionRefused)
            {
                await Task.Delay(options.RetryPause(attempt), time, cancellationToken).ConfigureAwait(false);
            }

            made++;
            var id = QueryIds.Next();
            BinaryPrimitives.WriteUInt16BigEndian(query, id);
            var timeout = options.AttemptTimeout(attempt);
            last = useTcp
                ? await QueryTcpAsync(server, question, query, id, timeout, cancellationToken).ConfigureAwait(false)
                : await QueryUdpAsync(server, question, query, id, timeout, cancellationToken).ConfigureAwait(false);
            dropped += last.DroppedPackets;
            if (!useTcp && !options.KeepTruncated && last.Status == QueryStatus.Answer && last.Response!.Header.IsTruncated)
            {
                useTcp = true;
                fellBack = true;
                made++;
                id = QueryIds.Next();
                BinaryPrimitives.WriteUInt16BigEndian(query, id);
                last = await QueryTcpAsync(server, question, query, id, timeout, cancellationToken).ConfigureAwait(false);
                dropped += last.DroppedPackets;
            }

            if (last.Status is QueryStatus.Answer or QueryStatus.TruncatedOverTcp or QueryStatus.Malformed)
            {
                break;
            }

            if (last.Status == QueryStatus.ConnectionRefused)
            {
                refused = last;
            }
        }

        return AfterRefusal(last!, refused) with { DroppedPackets = dropped, Attempts = made, FellBackToTcp = fellBack };
    }

    /// <summary>
    /// A refused connection (TCP reset, ICMP port unreachable) is what the server's host said; a
    /// later attempt that heard nothing at all (its datagram, SYN or reset lost) does not undo it.
    /// </summary>
    private static QueryOutcome AfterRefusal(QueryOutcome last, QueryOutcome? refused) =>
        last.Status == QueryStatus.Timeout && refused is not null ? refused : last;

    internal QueryOutcome Blocked(IPEndPoint server, DnsQuestion question) => new()
    {
        Server = server,
        Question = question,
        Status = QueryStatus.Blocked,
        Error = string.Create(CultureInfo.InvariantCulture, $"{server.Address} is not a loopback address and {Guard.Describe()}; nothing was sent"),
    };

    /// <summary>
    /// The query's wire form with id 0 (the caller writes a random id into its first two octets),
    /// written straight into one array: the header (opcode QUERY, RD when asked, one question, one
    /// additional record), the question, and the OPT record (RFC 6891 §6.1.2: root owner, the UDP
    /// payload size in the class field, extended RCODE 0, the version (0 unless probing), DO when
    /// asked, no other flag unless probing, and no options unless one empty option is asked for).
    /// The same octets as <see cref="DnsMessage.CreateQuery"/> through the message writer, which a
    /// test compares, without building a message and its records for every query.
    /// </summary>
    internal static byte[] BuildQuery(DnsQuestion question, QueryOptions options)
    {
        const int HeaderLength = 12;
        const int OptLength = 11;
        var optionLength = options.EdnsOptionCode is null ? 0 : 4;
        var query = new byte[HeaderLength + question.Name.WireLength + 4 + OptLength + optionLength];
        var span = query.AsSpan();
        span[2] = options.RecursionDesired ? (byte)0x01 : (byte)0x00;
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], 1);
        question.Name.WriteTo(span[HeaderLength..], lowerCase: false, out var nameLength);
        var at = HeaderLength + nameLength;
        BinaryPrimitives.WriteUInt16BigEndian(span[at..], question.Type.Value);
        BinaryPrimitives.WriteUInt16BigEndian(span[(at + 2)..], question.Class.Value);
        at += 4;
        BinaryPrimitives.WriteUInt16BigEndian(span[(at + 1)..], RecordType.OPT.Value);
        BinaryPrimitives.WriteUInt16BigEndian(span[(at + 3)..], options.UdpPayloadSize);
        span[at + 6] = options.EdnsVersion;
        BinaryPrimitives.WriteUInt16BigEndian(span[(at + 7)..], (ushort)((options.DnssecOk ? 0x8000 : 0) | (options.EdnsFlags & 0x7FFF)));
        if (options.EdnsOptionCode is { } code)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span[(at + 9)..], 4);
            BinaryPrimitives.WriteUInt16BigEndian(span[(at + 11)..], code);
        }

        return query;
    }

    /// <summary>
    /// Why a parsed message is not the response to the query with <paramref name="id"/> and
    /// <paramref name="question"/>, or null when it is. A response without a question is accepted
    /// only with FORMERR, NOTIMP or REFUSED (servers may drop it then: Unbound's access-control
    /// "refuse" answers with the header alone).
    /// </summary>
    internal static string? Mismatch(DnsMessage response, ushort id, DnsQuestion question)
    {
        if (response.Header.Id != id)
        {
            return "id";
        }

        if (!response.Header.IsResponse)
        {
            return "not a response";
        }

        if (response.Questions.IsEmpty
            && response.ResponseCode is DnsResponseCode.FormErr or DnsResponseCode.NotImp or DnsResponseCode.Refused)
        {
            return null;
        }

        return response.Question == question ? null : "question";
    }

    private async Task<QueryOutcome> QueryUdpAsync(IPEndPoint server, DnsQuestion question, byte[] query, ushort id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var dropped = 0;
        DnsFormatException? malformed = null;
        var malformedSize = 0;
        var timeoutSource = timeouts.Start(timeout, cancellationToken);
        var token = timeoutSource.Token;
        var started = time.GetTimestamp();
        try
        {
            using var channel = network.OpenUdp(server.AddressFamily);
            await channel.SendAsync(query, server, token).ConfigureAwait(false);
            while (true)
            {
                var datagram = await channel.ReceiveAsync(token).ConfigureAwait(false);
                if (!SameEndPoint(datagram.Source, server))
                {
                    dropped++;
                    continue;
                }

                DnsMessage response;
                try
                {
                    response = DnsMessage.FromWire(datagram.Data.Span);
                }
                catch (DnsFormatException e)
                {
                    // Kept in case nothing better arrives: a spoofed datagram must not end the wait.
                    dropped++;
                    if (datagram.Data.Length >= 2 && BinaryPrimitives.ReadUInt16BigEndian(datagram.Data.Span) == id)
                    {
                        malformed = e;
                        malformedSize = datagram.Data.Length;
                    }

                    continue;
                }

                if (Mismatch(response, id, question) is not null)
                {
                    dropped++;
                    continue;
                }

                return Outcome(server, question, QueryStatus.Answer, DnsTransportKind.Udp, started) with
                {
                    Response = response,
                    ResponseSize = datagram.Data.Length,
                    DroppedPackets = dropped,
                };
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            if (malformed is not null)
            {
                return MalformedOutcome(server, question, DnsTransportKind.Udp, started, malformed, malformedSize) with { DroppedPackets = dropped - 1 };
            }

            return Outcome(server, question, QueryStatus.Timeout, DnsTransportKind.Udp, started) with
            {
                DroppedPackets = dropped,
                Error = string.Create(CultureInfo.InvariantCulture, $"no response over UDP within {timeout.TotalMilliseconds:0} ms"),
            };
        }
        catch (SocketException e)
        {
            return Outcome(server, question, StatusOf(e), DnsTransportKind.Udp, started) with
            {
                DroppedPackets = dropped,
                Error = "UDP: " + NetworkErrorText(e),
            };
        }
        finally
        {
            timeouts.Return(timeoutSource);
        }
    }

    private async Task<QueryOutcome> QueryTcpAsync(IPEndPoint server, DnsQuestion question, byte[] query, ushort id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token) : null;
        var token = linked?.Token ?? timeoutSource.Token;
        var started = time.GetTimestamp();
        var dropped = 0;
        try
        {
            var stream = await network.ConnectTcpAsync(server, token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                await TcpFraming.WriteAsync(stream, query, token).ConfigureAwait(false);
                while (true)
                {
                    var data = await TcpFraming.ReadAsync(stream, token).ConfigureAwait(false);
                    if (data is null)
                    {
                        return Outcome(server, question, QueryStatus.NetworkError, DnsTransportKind.Tcp, started) with
                        {
                            DroppedPackets = dropped,
                            Error = "TCP: the server closed the connection without a response",
                        };
                    }

                    DnsMessage response;
                    try
                    {
                        response = DnsMessage.FromWire(data);
                    }
                    catch (DnsFormatException e)
                    {
                        return MalformedOutcome(server, question, DnsTransportKind.Tcp, started, e, data.Length) with { DroppedPackets = dropped };
                    }

                    if (Mismatch(response, id, question) is not null)
                    {
                        dropped++;
                        continue;
                    }

                    var status = response.Header.IsTruncated ? QueryStatus.TruncatedOverTcp : QueryStatus.Answer;
                    return Outcome(server, question, status, DnsTransportKind.Tcp, started) with
                    {
                        Response = response,
                        ResponseSize = data.Length,
                        DroppedPackets = dropped,
                        Error = status == QueryStatus.TruncatedOverTcp ? "the response over TCP had TC set" : null,
                    };
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Outcome(server, question, QueryStatus.Timeout, DnsTransportKind.Tcp, started) with
            {
                DroppedPackets = dropped,
                Error = string.Create(CultureInfo.InvariantCulture, $"no response over TCP within {timeout.TotalMilliseconds:0} ms"),
            };
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            return Outcome(server, question, StatusOf(e), DnsTransportKind.Tcp, started) with
            {
                DroppedPackets = dropped,
                Error = "TCP: " + NetworkErrorText(e),
            };
        }
    }

    internal static string NetworkErrorText(Exception e) => e switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "ConnectionRefused (nothing listens on that port)",
        SocketException s => s.SocketErrorCode.ToString(),
        IOException { InnerException: SocketException s } => NetworkErrorText(s),
        _ => e.Message,
    };

    private static QueryStatus StatusOf(Exception e) => e switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => QueryStatus.ConnectionRefused,
        IOException { InnerException: SocketException inner } => StatusOf(inner),
        _ => QueryStatus.NetworkError,
    };

    private static bool SameEndPoint(IPEndPoint source, IPEndPoint server)
    {
        var a = source.Address.IsIPv4MappedToIPv6 ? source.Address.MapToIPv4() : source.Address;
        var b = server.Address.IsIPv4MappedToIPv6 ? server.Address.MapToIPv4() : server.Address;
        return source.Port == server.Port && a.Equals(b);
    }

    private QueryOutcome Outcome(IPEndPoint server, DnsQuestion question, QueryStatus status, DnsTransportKind transport, long started) => new()
    {
        Server = server,
        Question = question,
        Status = status,
        Transport = transport,
        RoundTripTime = time.GetElapsedTime(started),
        Attempts = 1,
    };

    private QueryOutcome MalformedOutcome(IPEndPoint server, DnsQuestion question, DnsTransportKind transport, long started, DnsFormatException e, int size) =>
        Outcome(server, question, QueryStatus.Malformed, transport, started) with
        {
            Error = e.Reason,
            MalformedOffset = e.Offset,
            ResponseSize = size,
        };
}
