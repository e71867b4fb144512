// Several queries to one server over one TCP connection: RFC 7766 §6.2.1.1 (a client may send
// queries without waiting for answers; the server may answer in any order, so each answer is
// matched by id and question, RFC 5452 §9.1) and §6.2.1 (connection reuse). A server that closes
// the connection after some answers gets the rest on a new connection; each query keeps its own
// attempts, timeout and outcome, as if it had been asked alone.
using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NsPolicy.Dns.Transport;

public sealed partial class DnsTransport
{
    /// <summary>
    /// Asks <paramref name="questions"/> over TCP on one connection (a new one per attempt, or when
    /// the server closed it after answering some). One outcome per question, in order, each as
    /// <see cref="QueryAsync(IPEndPoint, DnsQuestion, QueryOptions, CancellationToken)"/> with
    /// <see cref="QueryOptions.TcpOnly"/> would give it.
    /// </summary>
    public async Task<IReadOnlyList<QueryOutcome>> QueryTcpTogetherAsync(IPEndPoint server, IReadOnlyList<DnsQuestion> questions, QueryOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(questions);
        ArgumentNullException.ThrowIfNull(options);
        if (!Guard.Allows(server.Address))
        {
            return [.. questions.Select(q => Blocked(server, q))];
        }

        var queries = questions.Select(q => BuildQuery(q, options)).ToArray();
        var outcomes = new QueryOutcome?[questions.Count];
        var attempts = new int[questions.Count];
        var dropped = new int[questions.Count];
        var refused = new QueryOutcome?[questions.Count];
        for (var attempt = 0; attempt <= options.Retries; attempt++)
        {
            var pending = Enumerable.Range(0, questions.Count).Where(i => outcomes[i] is not { Status: QueryStatus.Answer or QueryStatus.TruncatedOverTcp or QueryStatus.Malformed }).ToList();
            if (pending.Count == 0)
            {
                break;
            }

            if (attempt > 0 && pending.Any(i => outcomes[i]!.Status is QueryStatus.NetworkError or QueryStatus.ConnectionRefused))
            {
                await Task.Delay(options.RetryPause(attempt), time, cancellationToken).ConfigureAwait(false);
            }

            // One attempt: a connection, and another one only while the server keeps answering before it closes.
            var timeout = options.AttemptTimeout(attempt);
            while (pending.Count > 0)
            {
                foreach (var i in pending)
                {
                    attempts[i]++;
                }

                var answered = await ExchangeTogetherAsync(server, questions, queries, pending, outcomes, dropped, timeout, cancellationToken).ConfigureAwait(false);
                foreach (var i in pending.Where(i => outcomes[i]!.Status == QueryStatus.ConnectionRefused))
                {
                    refused[i] = outcomes[i];
                }

                var closedEarly = pending.Any(i => outcomes[i] is { Status: QueryStatus.NetworkError, Error: ClosedEarly });
                pending = closedEarly && answered > 0 ? [.. pending.Where(i => outcomes[i]!.Error == ClosedEarly)] : [];
            }
        }

        return [.. outcomes.Select((o, i) => AfterRefusal(o!, refused[i]) with { Attempts = attempts[i], DroppedPackets = dropped[i] })];
    }

    private const string ClosedEarly = "TCP: the server closed the connection without a response";

    /// <summary>
    /// One connection: writes the pending queries (each with a fresh id), then reads answers until
    /// each has its own or the connection ends. Sets the pending outcomes; returns how many got an answer.
    /// </summary>
    private async Task<int> ExchangeTogetherAsync(
        IPEndPoint server, IReadOnlyList<DnsQuestion> questions, byte[][] queries, List<int> pending, QueryOutcome?[] outcomes, int[] dropped, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token) : null;
        var token = linked?.Token ?? timeoutSource.Token;
        var started = time.GetTimestamp();
        var waiting = new Dictionary<ushort, int>();
        var open = new SortedSet<int>(pending);
        var answered = 0;
        void EndOpen(QueryStatus status, string error)
        {
            foreach (var i in open)
            {
                outcomes[i] = Outcome(server, questions[i], status, DnsTransportKind.Tcp, started) with { Error = error };
            }
        }

        try
        {
            var stream = await network.ConnectTcpAsync(server, token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var framed = new byte[pending.Sum(i => queries[i].Length + 2)];
                var at = 0;
                foreach (var i in pending)
                {
                    ushort id;
                    do
                    {
                        id = QueryIds.Next();
                    }
                    while (waiting.ContainsKey(id));
                    waiting[id] = i;
                    BinaryPrimitives.WriteUInt16BigEndian(queries[i], id);
                    BinaryPrimitives.WriteUInt16BigEndian(framed.AsSpan(at), (ushort)queries[i].Length);
                    queries[i].CopyTo(framed, at + 2);
                    at += queries[i].Length + 2;
                }

                await stream.WriteAsync(framed, token).ConfigureAwait(false);
                while (waiting.Count > 0)
                {
                    var data = await TcpFraming.ReadAsync(stream, token).ConfigureAwait(false);
                    if (data is null)
                    {
                        EndOpen(QueryStatus.NetworkError, ClosedEarly);
                        return answered;
                    }

                    DnsMessage response;
                    try
                    {
                        response = DnsMessage.FromWire(data);
                    }
                    catch (DnsFormatException e)
                    {
                        // Whose answer it was cannot be trusted; the stream can no longer be either.
                        foreach (var i in open)
                        {
                            outcomes[i] = MalformedOutcome(server, questions[i], DnsTransportKind.Tcp, started, e, data.Length);
                        }

                        return answered;
                    }

                    if (!waiting.TryGetValue(response.Header.Id, out var index) || Mismatch(response, response.Header.Id, questions[index]) is not null)
                    {
                        dropped[open.Min]++;
                        continue;
                    }

                    waiting.Remove(response.Header.Id);
                    open.Remove(index);
                    answered++;
                    var status = response.Header.IsTruncated ? QueryStatus.TruncatedOverTcp : QueryStatus.Answer;
                    outcomes[index] = Outcome(server, questions[index], status, DnsTransportKind.Tcp, started) with
                    {
                        Response = response,
                        ResponseSize = data.Length,
                        Error = status == QueryStatus.TruncatedOverTcp ? "the response over TCP had TC set" : null,
                    };
                }

                return answered;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            EndOpen(QueryStatus.Timeout, string.Create(CultureInfo.InvariantCulture, $"no response over TCP within {timeout.TotalMilliseconds:0} ms"));
            return answered;
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            EndOpen(StatusOf(e), "TCP: " + NetworkErrorText(e));
            return answered;
        }
    }
}
