// Message parsing: RFC 1035 §4.1 (format) and §4.1.4 (compression); RFC 3597 (unknown types kept
// raw); RFC 6891 §6.1.1 (at most one OPT, owner root, in the additional section). Every read is
// bounds-checked and every problem is one DnsFormatException carrying the offset.
using System.Collections.Immutable;
using System.Globalization;

namespace NsPolicy.Dns;

public static class DnsMessageReader
{
    private const int HeaderLength = 12;

    public static DnsMessage Read(ReadOnlySpan<byte> data)
    {
        var bytes = data.ToArray();
        if (bytes.Length < HeaderLength)
        {
            throw new DnsFormatException(0, string.Create(CultureInfo.InvariantCulture,
                $"message is {bytes.Length} octets, shorter than the {HeaderLength}-octet header"));
        }

        var reader = new WireReader(bytes);
        var id = reader.ReadUInt16("header ID");
        var flags = reader.ReadUInt16("header flags");
        var qd = reader.ReadUInt16("QDCOUNT");
        var an = reader.ReadUInt16("ANCOUNT");
        var ns = reader.ReadUInt16("NSCOUNT");
        var ar = reader.ReadUInt16("ARCOUNT");

        var questions = ImmutableArray.CreateBuilder<DnsQuestion>(Math.Min((int)qd, 16));
        for (var i = 0; i < qd; i++)
        {
            var name = reader.ReadName("question name");
            var type = new RecordType(reader.ReadUInt16("question type"));
            var @class = new RecordClass(reader.ReadUInt16("question class"));
            questions.Add(new DnsQuestion(name, type, @class));
        }

        var answers = ReadSection(reader, an, "answer", SectionFields.Answer, optAllowed: false);
        var authority = ReadSection(reader, ns, "authority", SectionFields.Authority, optAllowed: false);
        var additional = ReadSection(reader, ar, "additional", SectionFields.Additional, optAllowed: true);

        if (reader.Remaining > 0)
        {
            throw new DnsFormatException(reader.Position, string.Create(CultureInfo.InvariantCulture,
                $"{WireReader.Octets(reader.Remaining)} follow the last record"));
        }

        return new DnsMessage
        {
            Header = DnsHeader.FromWire(id, flags),
            Questions = questions.ToImmutable(),
            Answers = answers,
            Authority = authority,
            Additional = additional,
        };
    }

    private static ImmutableArray<ResourceRecord> ReadSection(WireReader reader, int count, string section, SectionFields fields, bool optAllowed)
    {
        if (count == 0)
        {
            return [];
        }

        // The count comes from the header, so it only sizes the first allocation up to a bound.
        var records = ImmutableArray.CreateBuilder<ResourceRecord>(Math.Min(count, 64));
        var sawOpt = false;
        for (var i = 0; i < count; i++)
        {
            var at = reader.Position;
            var record = ResourceRecord.Read(reader, fields);
            if (record.Type == RecordType.OPT)
            {
                if (!optAllowed)
                {
                    throw new DnsFormatException(at, $"OPT record in the {section} section");
                }

                if (sawOpt)
                {
                    throw new DnsFormatException(at, "more than one OPT record");
                }

                if (!record.Owner.IsRoot)
                {
                    throw new DnsFormatException(at, $"OPT record owned by {record.Owner} instead of the root");
                }

                sawOpt = true;
            }

            records.Add(record);
        }

        return records.Count == records.Capacity ? records.MoveToImmutable() : records.ToImmutable();
    }
}
