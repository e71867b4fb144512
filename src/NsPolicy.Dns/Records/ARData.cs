// A: RFC 1035 §3.4.1 — a 32-bit IPv4 address; presentation is dotted decimal.
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NsPolicy.Dns.Records;

public sealed class ARData : RData
{
    public ARData(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"A record needs an IPv4 address, not {address}", nameof(address));
        }

        Address = address;
    }

    public IPAddress Address { get; }

    public override RecordType Type => RecordType.A;

    public override string ToString() => Address.ToString();

    internal override void WriteTo(WireWriter writer) => writer.WriteBytes(Address.GetAddressBytes());

    internal static ARData Read(WireReader r) => new(new IPAddress(r.ReadBytes(4, "A address")));

    internal static ARData Parse(TokenReader t)
    {
        var token = t.NextSpan("address");
        if (HasLeadingZero(token))
        {
            // BIND and Knot refuse it: 010 could be meant as octal (8) or decimal (10).
            throw new FormatException($"A address '{Excerpt.Of(token)}' has an octet with a leading zero (octal or decimal is ambiguous)");
        }

        return TryParseDottedQuad(token, out var address)
            ? new ARData(address)
            : throw new FormatException($"A address '{Excerpt.Of(token)}' is not a dotted-quad IPv4 address");
    }

    private static bool HasLeadingZero(ReadOnlySpan<char> text)
    {
        for (var i = 0; i + 1 < text.Length; i++)
        {
            if (text[i] == '0' && (i == 0 || text[i - 1] == '.') && char.IsAsciiDigit(text[i + 1]))
            {
                return true;
            }
        }

        return false;
    }

    // Four decimal octets only: IPAddress.TryParse also takes "1" or "0x7f.1", which zone files do not.
    internal static bool TryParseDottedQuad(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < 4; i++)
        {
            var dot = text.IndexOf('.');
            if ((dot < 0) != (i == 3))
            {
                return false;
            }

            var part = dot < 0 ? text : text[..dot];
            if (part.Length is 0 or > 3 || part.IndexOfAnyExceptInRange('0', '9') >= 0
                || !byte.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return false;
            }

            text = dot < 0 ? [] : text[(dot + 1)..];
        }

        address = new IPAddress(bytes);
        return true;
    }
}
