// AAAA: RFC 3596 §2.2 — a 128-bit IPv6 address; presentation as RFC 5952 recommends (compressed, lower case).
using System.Net;
using System.Net.Sockets;

namespace NsPolicy.Dns.Records;

public sealed class AaaaRData : RData
{
    public AaaaRData(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6 || address.ScopeId != 0)
        {
            throw new ArgumentException($"AAAA record needs an IPv6 address without scope, not {address}", nameof(address));
        }

        Address = address;
    }

    public IPAddress Address { get; }

    public override RecordType Type => RecordType.AAAA;

    public override string ToString() => Address.ToString();

    internal override void WriteTo(WireWriter writer) => writer.WriteBytes(Address.GetAddressBytes());

    internal static AaaaRData Read(WireReader r) => new(new IPAddress(r.ReadBytes(16, "AAAA address")));

    internal static AaaaRData Parse(TokenReader t)
    {
        var token = t.NextSpan("address");
        return token.Contains(':') && !token.Contains('%')
            && IPAddress.TryParse(token, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6
            ? new AaaaRData(address)
            : throw new FormatException($"AAAA address '{Excerpt.Of(token)}' is not an IPv6 address");
    }
}
