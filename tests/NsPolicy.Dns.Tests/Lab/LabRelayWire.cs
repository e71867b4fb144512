using System.Buffers.Binary;

namespace NsPolicy.Dns.Tests.Lab;

/// <summary>The few wire-format reads and writes the relays need to find and change an OPT record or a header.</summary>
internal static class LabRelayWire
{
    /// <summary>
    /// Where the OPT record of a query starts (RFC 6891 §6.1.2: root owner, type 41), when the query
    /// has one question and one additional record, as the lab's clients send; else null.
    /// </summary>
    public static int? QueryOptAt(byte[] query)
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
    public static int? ResponseOptAt(byte[] message)
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

    /// <summary>The length of the options (RDATA) of the OPT record at <paramref name="opt"/>.</summary>
    public static int OptionsLength(byte[] message, int opt) => BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(opt + 9));

    /// <summary>FORMERR: the query's header and question with QR set, no records (what EDNS-intolerant servers send).</summary>
    public static byte[] FormErr(byte[] query, int optAt)
    {
        var answer = query.AsSpan(0, optAt).ToArray();
        answer[2] = (byte)((answer[2] | 0x80) & 0xF9);
        answer[3] = 0x01;
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(10), 0);
        return answer;
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
}
