using System.Buffers.Binary;
using System.Net;

namespace NsPolicy.Dns.Tests.Lab;

/// <summary>Relays UDP and TCP to a real server and poisons its referrals with an address record for a name outside the referring zone.</summary>
internal sealed class PoisoningRelay : LabRelay
{
    private readonly byte[] poison;

    private PoisoningRelay(IPEndPoint upstream, byte[] poison)
        : base(upstream)
    {
        this.poison = poison;
    }

    /// <summary>
    /// Relays UDP and TCP from <paramref name="listen"/> to <paramref name="server"/> and adds
    /// <c><paramref name="name"/> 86400 IN A <paramref name="address"/></c> to the additional section
    /// of every referral (NOERROR, no AA, no answer, NS in the authority section) that comes back.
    /// </summary>
    public static LabRelay Start(IPAddress listen, IPAddress server, string name, IPAddress address)
    {
        var relay = new PoisoningRelay(new IPEndPoint(server, 53), AddressRecord(name, address));
        relay.Listen(listen, tcp: true);
        return relay;
    }

    protected override byte[] Rewrite(byte[] query, byte[] answer)
    {
        if (!IsReferral(answer))
        {
            return answer;
        }

        var poisoned = new byte[answer.Length + poison.Length];
        answer.CopyTo(poisoned, 0);
        poison.CopyTo(poisoned, answer.Length);
        BinaryPrimitives.WriteUInt16BigEndian(poisoned.AsSpan(10), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(10)) + 1));
        return poisoned;
    }

    /// <summary>A response with NOERROR, no AA, no answer records and authority records: the server refers (the authority holds its NS).</summary>
    private static bool IsReferral(byte[] answer) =>
        answer.Length >= 12 && (answer[2] & 0x84) == 0x80 && (answer[3] & 0x0F) == 0
        && BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(6)) == 0 && BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(8)) > 0;

    /// <summary>An A record in wire form (RFC 1035 §3.2.1, §4.1.3), its owner uncompressed.</summary>
    private static byte[] AddressRecord(string name, IPAddress address)
    {
        var record = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            record.Add((byte)label.Length);
            record.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }

        record.Add(0);
        record.AddRange([0, 1, 0, 1, 0, 1, 0x51, 0x80, 0, 4]);
        record.AddRange(address.GetAddressBytes());
        return [.. record];
    }
}
