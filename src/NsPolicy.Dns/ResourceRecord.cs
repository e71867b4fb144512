// A resource record: RFC 1035 §3.2.1 (owner, type, class, TTL, RDATA) and §4.1.3 (wire form).
using System.Globalization;
using NsPolicy.Dns.Records;

namespace NsPolicy.Dns;

/// <summary>One resource record. Its type is the type of its <see cref="Data"/>.</summary>
public sealed record ResourceRecord
{
    public ResourceRecord(DnsName owner, RecordClass @class, uint ttl, RData data)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(data);
        Owner = owner;
        Class = @class;
        Ttl = ttl;
        Data = data;
    }

    /// <summary>An IN-class record.</summary>
    public ResourceRecord(DnsName owner, uint ttl, RData data)
        : this(owner, RecordClass.IN, ttl, data)
    {
    }

    public DnsName Owner { get; init; }

    public RecordType Type => Data.Type;

    public RecordClass Class { get; init; }

    /// <summary>TTL in seconds. For OPT this field carries the extended RCODE, version and flags (RFC 6891 §6.1.3).</summary>
    public uint Ttl { get; init; }

    public RData Data { get; init; }

    /// <summary>The master-file line as dig prints it: owner, TTL, class, type, RDATA separated by tabs.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Owner.ToOriginalCaseString()}\t{Ttl}\t{Class}\t{Type}\t{Data}");

    internal void WriteTo(WireWriter writer)
    {
        writer.WriteName(Owner, compressible: true, lowerInCanonical: true);
        writer.WriteUInt16(Type.Value);
        writer.WriteUInt16(Class.Value);
        writer.WriteUInt32(Ttl);
        var lengthAt = writer.Position;
        writer.WriteUInt16(0);
        Data.WriteTo(writer);
        var length = writer.Position - lengthAt - 2;
        if (length > ushort.MaxValue)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"RDATA of {Owner} {Type} is {length} octets; the limit is 65535"));
        }

        writer.PatchUInt16(lengthAt, (ushort)length);
    }

    internal static ResourceRecord Read(WireReader reader, SectionFields fields)
    {
        var owner = reader.ReadName(fields.Owner);
        var type = new RecordType(reader.ReadUInt16(fields.Type));
        var @class = new RecordClass(reader.ReadUInt16(fields.Class));
        var ttl = reader.ReadUInt32(fields.Ttl);
        var lengthAt = reader.Position;
        var length = reader.ReadUInt16(fields.Length);
        if (length > reader.Remaining)
        {
            throw WireReader.Error(lengthAt, string.Create(CultureInfo.InvariantCulture,
                $"RDLENGTH {length} of {owner} {type} runs {WireReader.Octets(length - reader.Remaining)} past the end of the message"));
        }

        return new ResourceRecord(owner, @class, ttl, RData.Read(type, reader, length));
    }
}

/// <summary>How errors name the fields of a record in one message section; made once per section, not per record.</summary>
internal sealed class SectionFields
{
    private SectionFields(string section)
    {
        Owner = section + " owner name";
        Type = section + " record type";
        Class = section + " record class";
        Ttl = section + " record TTL";
        Length = section + " RDLENGTH";
    }

    public static SectionFields Answer { get; } = new("answer");

    public static SectionFields Authority { get; } = new("authority");

    public static SectionFields Additional { get; } = new("additional");

    public string Owner { get; }

    public string Type { get; }

    public string Class { get; }

    public string Ttl { get; }

    public string Length { get; }
}
