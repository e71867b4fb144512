// The single error raised for malformed DNS wire data (RFC 1035 §4.1; RFC 3597 §3–4).
using System.Globalization;

namespace NsPolicy.Dns;

/// <summary>Wire data is malformed. <see cref="Offset"/> is where in the message the problem was found.</summary>
public sealed class DnsFormatException : FormatException
{
    public DnsFormatException()
        : this(0, "malformed DNS data")
    {
    }

    public DnsFormatException(string message)
        : this(0, message)
    {
    }

    public DnsFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    public DnsFormatException(int offset, string reason)
        : base(string.Create(CultureInfo.InvariantCulture, $"malformed DNS data at offset {offset}: {reason}"))
    {
        Offset = offset;
        Reason = reason;
    }

    /// <summary>Octet offset from the start of the message (or RDATA buffer) where the problem was found.</summary>
    public int Offset { get; }

    /// <summary>The plain reason, without the offset.</summary>
    public string Reason { get; }
}
