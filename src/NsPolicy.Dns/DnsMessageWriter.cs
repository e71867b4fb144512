// Message serialisation: RFC 1035 §4.1 with name compression (§4.1.4) for owner and question names
// and for the RDATA names that RFC 3597 §4 allows (NS, CNAME, SOA, PTR, MX); never elsewhere.
using System.Globalization;

namespace NsPolicy.Dns;

public static class DnsMessageWriter
{
    public static byte[] Write(DnsMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var writer = new WireWriter(compress: true, canonical: false);
        writer.WriteUInt16(message.Header.Id);
        writer.WriteUInt16(message.Header.Flags);
        writer.WriteUInt16(Count(message.Questions.Length, "questions"));
        writer.WriteUInt16(Count(message.Answers.Length, "answers"));
        writer.WriteUInt16(Count(message.Authority.Length, "authority records"));
        writer.WriteUInt16(Count(message.Additional.Length, "additional records"));
        foreach (var q in message.Questions)
        {
            writer.WriteName(q.Name, compressible: true, lowerInCanonical: true);
            writer.WriteUInt16(q.Type.Value);
            writer.WriteUInt16(q.Class.Value);
        }

        foreach (var section in (ReadOnlySpan<System.Collections.Immutable.ImmutableArray<ResourceRecord>>)[message.Answers, message.Authority, message.Additional])
        {
            foreach (var record in section)
            {
                record.WriteTo(writer);
            }
        }

        if (writer.Position > ushort.MaxValue)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"message is {writer.Position} octets; the limit is 65535"));
        }

        return writer.ToArray();
    }

    private static ushort Count(int count, string what) => count <= ushort.MaxValue
        ? (ushort)count
        : throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"a message holds at most 65535 {what}, not {count}"));
}
