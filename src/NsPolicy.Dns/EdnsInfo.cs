// EDNS(0): RFC 6891 §6.1.2–6.1.3 (OPT owner is the root; CLASS carries the requester's UDP payload
// size; TTL carries the extended RCODE, version and flags) and RFC 3225 §3 (the DO bit).
using System.Collections.Immutable;
using NsPolicy.Dns.Records;

namespace NsPolicy.Dns;

/// <summary>The contents of a message's OPT pseudo-record.</summary>
public sealed record EdnsInfo
{
    private const ushort DnssecOkBit = 0x8000;

    public ushort UdpPayloadSize { get; init; } = 1232;

    /// <summary>The upper 8 bits of the 12-bit RCODE.</summary>
    public byte ExtendedRcode { get; init; }

    public byte Version { get; init; }

    /// <summary>The 16 flag bits of the OPT TTL; bit 0x8000 is DO.</summary>
    public ushort Flags { get; init; }

    /// <summary>DO: the requester can handle DNSSEC records (RFC 3225).</summary>
    public bool DnssecOk => (Flags & DnssecOkBit) != 0;

    public ImmutableArray<EdnsOption> Options { get; init; } = [];

    public bool Equals(EdnsInfo? other) =>
        other is not null && other.UdpPayloadSize == UdpPayloadSize && other.ExtendedRcode == ExtendedRcode
        && other.Version == Version && other.Flags == Flags
        && (Options.IsDefault ? [] : Options).SequenceEqual(other.Options.IsDefault ? [] : other.Options);

    public override int GetHashCode() => HashCode.Combine(UdpPayloadSize, ExtendedRcode, Version, Flags, Options.IsDefault ? 0 : Options.Length);

    public EdnsInfo WithDnssecOk(bool value) => this with { Flags = (ushort)(value ? Flags | DnssecOkBit : Flags & ~DnssecOkBit) };

    /// <summary>The OPT record carrying this information.</summary>
    public ResourceRecord ToRecord() => new(
        DnsName.Root,
        new RecordClass(UdpPayloadSize),
        ((uint)ExtendedRcode << 24) | ((uint)Version << 16) | Flags,
        new OptRData(Options.IsDefault ? [] : Options));

    /// <summary>Reads the fields of an OPT record (the caller has checked the type).</summary>
    public static EdnsInfo FromRecord(ResourceRecord opt)
    {
        ArgumentNullException.ThrowIfNull(opt);
        return new EdnsInfo
        {
            UdpPayloadSize = opt.Class.Value,
            ExtendedRcode = (byte)(opt.Ttl >> 24),
            Version = (byte)(opt.Ttl >> 16),
            Flags = (ushort)opt.Ttl,
            Options = opt.Data is OptRData data ? data.Options : [],
        };
    }
}
