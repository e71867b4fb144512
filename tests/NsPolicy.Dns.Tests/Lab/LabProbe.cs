using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace NsPolicy.Dns.Tests.Lab;

/// <summary>Header of an answer to a probe.</summary>
internal readonly record struct LabProbeAnswer(int Rcode, bool Authoritative, int AnswerCount);

/// <summary>
/// A minimal UDP query (RFC 1035 §4.1), written here so that the lab depends on nothing in
/// src/NsPolicy.Dns. It is used only to see whether a server is up.
/// </summary>
internal static class LabProbe
{
    public const ushort TypeSoa = 6;

    /// <summary>Sends one query; returns null when nothing (or nothing matching) comes back in time.</summary>
    public static async Task<LabProbeAnswer?> QueryAsync(
        IPAddress server, string name, ushort type, bool recursionDesired, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var id = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
        var query = BuildQuery(id, name, type, recursionDesired);
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(server, 53), limit.Token).ConfigureAwait(false);
            await socket.SendAsync(query, SocketFlags.None, limit.Token).ConfigureAwait(false);
            var buffer = new byte[4096];
            while (true)
            {
                var length = await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token).ConfigureAwait(false);
                if (length < 12 || BinaryPrimitives.ReadUInt16BigEndian(buffer) != id || (buffer[2] & 0x80) == 0)
                {
                    continue;
                }

                return new LabProbeAnswer(buffer[3] & 0x0F, (buffer[2] & 0x04) != 0, BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(6)));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    public static byte[] BuildQuery(ushort id, string name, ushort type, bool recursionDesired)
    {
        var message = new List<byte>(64);
        message.AddRange([(byte)(id >> 8), (byte)id, (byte)(recursionDesired ? 0x01 : 0x00), 0, 0, 1, 0, 0, 0, 0, 0, 0]);
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var bytes = Encoding.ASCII.GetBytes(label);
            message.Add((byte)bytes.Length);
            message.AddRange(bytes);
        }

        message.AddRange([0, (byte)(type >> 8), (byte)type, 0, 1]);
        return [.. message];
    }
}
