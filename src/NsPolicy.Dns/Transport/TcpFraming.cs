// DNS over TCP: RFC 1035 §4.2.2 and RFC 7766 §8 — each message is preceded by a 2-octet length.
using System.Buffers.Binary;

namespace NsPolicy.Dns.Transport;

internal static class TcpFraming
{
    /// <summary>Writes the length prefix and the message in a single write (RFC 7766 §8).</summary>
    public static async Task WriteAsync(Stream stream, byte[] message, CancellationToken cancellationToken)
    {
        if (message.Length > ushort.MaxValue)
        {
            throw new ArgumentException("a DNS message over TCP is at most 65535 octets", nameof(message));
        }

        var framed = new byte[message.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
        message.CopyTo(framed, 2);
        await stream.WriteAsync(framed, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The next message, or null when the stream ended cleanly before a length prefix.</summary>
    /// <exception cref="EndOfStreamException">The stream ended inside a message.</exception>
    public static async Task<byte[]?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var prefix = new byte[2];
        var got = await ReadFullyAsync(stream, prefix, cancellationToken).ConfigureAwait(false);
        if (got == 0)
        {
            return null;
        }

        if (got < 2)
        {
            throw new EndOfStreamException("the connection closed inside a length prefix");
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(prefix);
        var message = new byte[length];
        if (await ReadFullyAsync(stream, message, cancellationToken).ConfigureAwait(false) < length)
        {
            throw new EndOfStreamException("the connection closed inside a message");
        }

        return message;
    }

    private static async Task<int> ReadFullyAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
