// Zone transfer over TCP: RFC 5936 (AXFR). The response is a series of messages with the query's
// id; the transfer starts with the zone's SOA and ends with the same SOA (§2.2). Messages after the
// first may omit the question (§2.2.1).
using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace NsPolicy.Dns.Transport;

public sealed partial class DnsTransport
{
    public async Task<TransferOutcome> TransferAsync(IPEndPoint server, DnsName zone, QueryOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(options);
        var result = new TransferOutcome { Server = server, Zone = zone, Status = TransferStatus.Blocked };
        if (!Guard.Allows(server.Address))
        {
            return result with { Error = Blocked(server, new DnsQuestion(zone, RecordType.AXFR)).Error };
        }

        var id = (ushort)RandomNumberGenerator.GetInt32(0, 65536);
        var query = new DnsMessage
        {
            Header = new DnsHeader { Id = id, Opcode = DnsOpcode.Query },
            Questions = [new DnsQuestion(zone, RecordType.AXFR)],
        };
        var records = ImmutableArray.CreateBuilder<ResourceRecord>();
        var messages = 0;
        DnsResponseCode? rcode = null;
        using var timeoutSource = new CancellationTokenSource(options.TransferTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        var started = time.GetTimestamp();
        TransferOutcome End(TransferStatus status, string? error) => result with
        {
            Status = status,
            Error = error,
            Records = records.ToImmutable(),
            MessageCount = messages,
            ResponseCode = rcode,
            Duration = time.GetElapsedTime(started),
        };

        try
        {
            var stream = await network.ConnectTcpAsync(server, linked.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                await TcpFraming.WriteAsync(stream, query.ToWire(), linked.Token).ConfigureAwait(false);
                while (true)
                {
                    var data = await TcpFraming.ReadAsync(stream, linked.Token).ConfigureAwait(false);
                    if (data is null)
                    {
                        return End(TransferStatus.Incomplete, "the server closed the connection before the closing SOA");
                    }

                    DnsMessage message;
                    try
                    {
                        message = DnsMessage.FromWire(data);
                    }
                    catch (DnsFormatException e)
                    {
                        return End(TransferStatus.Malformed, e.Reason) with { MalformedOffset = e.Offset };
                    }

                    if (message.Header.Id != id || !message.Header.IsResponse
                        || (messages == 0 && !message.Questions.IsEmpty && message.Question != query.Question))
                    {
                        return End(TransferStatus.Malformed, "a message of the transfer does not belong to the query (id or question differs)");
                    }

                    messages++;
                    rcode = message.ResponseCode;
                    if (rcode != DnsResponseCode.NoError)
                    {
                        return End(TransferStatus.Refused, string.Create(CultureInfo.InvariantCulture, $"the server answered {rcode}"));
                    }

                    foreach (var record in message.Answers)
                    {
                        if (records.Count == 0 && (record.Type != RecordType.SOA || record.Owner != zone))
                        {
                            return End(TransferStatus.Malformed, "the transfer does not start with the zone's SOA");
                        }

                        records.Add(record);
                        if (records.Count > 1 && record.Type == RecordType.SOA && record.Owner == zone)
                        {
                            return End(TransferStatus.Completed, null);
                        }

                        if (records.Count >= options.MaxTransferRecords)
                        {
                            return End(TransferStatus.Incomplete, string.Create(CultureInfo.InvariantCulture, $"more than {options.MaxTransferRecords} records"));
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return End(TransferStatus.Timeout, string.Create(CultureInfo.InvariantCulture, $"the transfer did not finish within {options.TransferTimeout.TotalSeconds:0.###} s"));
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            return End(messages == 0 ? TransferStatus.NetworkError : TransferStatus.Incomplete, "TCP: " + NetworkErrorText(e));
        }
    }
}
