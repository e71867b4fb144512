// Canonical form and order for DNSSEC: RFC 4034 §6.2 (canonical RR form: lower-case owner, names
// in listed RDATA types lower-cased, no compression, original TTL), §6.3 (RRset order: by canonical
// RDATA as left-justified octet strings, duplicates removed); RFC 4035 §5.3.2 (wildcard owner).
using System.Buffers.Binary;
using NsPolicy.Dns.Records;

namespace NsPolicy.Dns.Dnssec;

public static class CanonicalForm
{
    /// <summary>Orders RDATA by canonical wire form (RFC 4034 §6.3); shorter prefixes sort first.</summary>
    public static int CompareRData(RData a, RData b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.CanonicalWire.SequenceCompareTo(b.CanonicalWire);
    }

    /// <summary>The RRset in canonical order with duplicate RDATA removed (RFC 4034 §6.3).</summary>
    public static IReadOnlyList<ResourceRecord> OrderRRset(IEnumerable<ResourceRecord> rrset)
    {
        ArgumentNullException.ThrowIfNull(rrset);
        var sorted = rrset.ToList();
        sorted.Sort((x, y) => CompareRData(x.Data, y.Data));
        var result = new List<ResourceRecord>(sorted.Count);
        foreach (var record in sorted)
        {
            if (result.Count == 0 || !result[^1].Data.Equals(record.Data))
            {
                result.Add(record);
            }
        }

        return result;
    }

    /// <summary>The canonical wire form of one record with the given owner and TTL.</summary>
    public static byte[] RecordWire(ResourceRecord record, DnsName owner, uint ttl)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(owner);
        var writer = new WireWriter(compress: false, canonical: true);
        WriteRecord(writer, record, owner, ttl);
        return writer.ToArray();
    }

    /// <summary>
    /// The octets an RRSIG signs (RFC 4034 §3.1.8.1): the RRSIG RDATA without its signature, then
    /// each record of the RRset in canonical form and order, with the original TTL and, for a
    /// wildcard expansion, the owner "*." plus the rightmost <see cref="RrsigRData.Labels"/> labels.
    /// </summary>
    public static byte[] SignedData(RrsigRData signature, IEnumerable<ResourceRecord> rrset)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var ordered = OrderRRset(rrset);
        var writer = new WireWriter(compress: false, canonical: true);
        signature.WriteWithoutSignature(writer);
        foreach (var record in ordered)
        {
            WriteRecord(writer, record, SignedOwner(record.Owner, signature.Labels), signature.OriginalTtl);
        }

        return writer.ToArray();
    }

    /// <summary>The owner name as signed: the name itself, or its wildcard when the RRSIG has fewer labels (RFC 4035 §5.3.2).</summary>
    public static DnsName SignedOwner(DnsName owner, byte labels)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var count = owner.IsWildcard ? owner.LabelCount - 1 : owner.LabelCount;
        return labels < count ? owner.Suffix(labels).Prepend("*") : owner;
    }

    private static void WriteRecord(WireWriter writer, ResourceRecord record, DnsName owner, uint ttl)
    {
        writer.WriteName(owner, compressible: false, lowerInCanonical: true);
        writer.WriteUInt16(record.Type.Value);
        writer.WriteUInt16(record.Class.Value);
        writer.WriteUInt32(ttl);
        var rdata = record.Data.CanonicalWire;
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)rdata.Length);
        writer.WriteBytes(length);
        writer.WriteBytes(rdata);
    }
}
