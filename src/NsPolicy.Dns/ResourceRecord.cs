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

    internal static ResourceRecord Read(WireReader reader, string section)
    {
        var owner = reader.ReadName($"{section} owner name");
        var type = new RecordType(reader.ReadUInt16($"{section} record type"));
        var @class = new RecordClass(reader.ReadUInt16($"{section} record class"));
        var ttl = reader.ReadUInt32($"{section} record TTL");
        var lengthAt = reader.Position;
        var length = reader.ReadUInt16($"{section} RDLENGTH");
        if (length > reader.Remaining)
        {
            throw WireReader.Error(lengthAt, string.Create(CultureInfo.InvariantCulture,
                $"RDLENGTH {length} of {owner} {type} runs {WireReader.Octets(length - reader.Remaining)} past the end of the message"));
        }

        return new ResourceRecord(owner, @class, ttl, RData.Read(type, reader, length));
    }
}
