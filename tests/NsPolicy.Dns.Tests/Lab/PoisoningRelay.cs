using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace NsPolicy.Dns.Tests.Lab;

/// <summary>Relays UDP and TCP to a real server and poisons its referrals with address records for names outside the referring zone.</summary>
internal sealed class PoisoningRelay : LabRelay
{
    private readonly Dictionary<string, (byte[] Records, int Count)> poison;

    private PoisoningRelay(IPEndPoint upstream, Dictionary<string, (byte[] Records, int Count)> poison)
        : base(upstream)
    {
        this.poison = poison;
    }

    /// <summary>
    /// Relays UDP and TCP from <paramref name="listen"/> to <paramref name="server"/> and adds address
    /// records (A or AAAA, TTL 86400, owner names in the case given) to the additional section of a
    /// referral (NOERROR, no AA, no answer, NS in the authority section) that comes back: those
    /// <paramref name="recordsByQuestion"/> gives for the name asked about, if any.
    /// </summary>
    public static LabRelay Start(IPAddress listen, IPAddress server, IReadOnlyDictionary<string, IReadOnlyList<(string Name, IPAddress Address)>> recordsByQuestion)
    {
        var poison = recordsByQuestion.ToDictionary(
            q => q.Key.ToLowerInvariant(),
            q => ((byte[])[.. q.Value.SelectMany(r => AddressRecord(r.Name, r.Address))], q.Value.Count),
            StringComparer.Ordinal);
        var relay = new PoisoningRelay(new IPEndPoint(server, 53), poison);
        relay.Listen(listen, tcp: true);
        return relay;
    }

    protected override byte[] Rewrite(byte[] query, byte[] answer)
    {
        if (!IsReferral(answer) || QuestionName(answer) is not { } question || !poison.TryGetValue(question, out var records))
        {
            return answer;
        }

        var poisoned = new byte[answer.Length + records.Records.Length];
        answer.CopyTo(poisoned, 0);
        records.Records.CopyTo(poisoned, answer.Length);
        BinaryPrimitives.WriteUInt16BigEndian(poisoned.AsSpan(10), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(10)) + records.Count));
        return poisoned;
    }

    /// <summary>A response with NOERROR, no AA, no answer records and authority records: the server refers (the authority holds its NS).</summary>
    private static bool IsReferral(byte[] answer) =>
        answer.Length >= 12 && (answer[2] & 0x84) == 0x80 && (answer[3] & 0x0F) == 0
        && BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(6)) == 0 && BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(8)) > 0;

    /// <summary>The first question's name in lower case with a trailing dot, or null when the message has none (a question's name is never compressed).</summary>
    private static string? QuestionName(byte[] message)
    {
        if (message.Length < 12 || BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(4)) == 0)
        {
            return null;
        }

        var name = new StringBuilder();
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

            name.Append(Encoding.ASCII.GetString(message, at + 1, length)).Append('.');
            at += 1 + length;
        }

        return null;
    }

    /// <summary>An A or AAAA record in wire form (RFC 1035 §3.2.1, §4.1.3; RFC 3596), its owner uncompressed and in the case given.</summary>
    private static byte[] AddressRecord(string name, IPAddress address)
    {
        var record = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            record.Add((byte)label.Length);
            record.AddRange(Encoding.ASCII.GetBytes(label));
        }

        var data = address.GetAddressBytes();
        record.Add(0);
        record.AddRange([0, (byte)(data.Length == 16 ? 28 : 1), 0, 1, 0, 1, 0x51, 0x80, 0, (byte)data.Length]);
        record.AddRange(data);
        return [.. record];
    }
}
