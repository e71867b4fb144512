// The compact forms the zone model keeps of records and names (see ZoneModelBuilder): a few flags
// and the first record's place per name, and records by name id with packed positions.
using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;
using NsPolicy.Dns.Records;

namespace NsPolicy.Dns.Zones;

[Flags]
internal enum OwnerFlags : ushort
{
    None = 0,
    Record = 1,
    Address = 2,
    Ns = 4,
    Cname = 8,
    CnameIncompatible = 16,
    Dname = 32,
    NonAddress = 64,
    NonDelegation = 128,

    /// <summary>A zone cut below the apex (set when the structure is worked out).</summary>
    Cut = 256,

    /// <summary>The first record that is not an address came after the name's first record (its place is kept apart).</summary>
    NonAddressLater = 512,

    /// <summary>As <see cref="NonAddressLater"/>, for the first record other than NS, DS, glue and DNSSEC.</summary>
    NonDelegationLater = 1024,

    /// <summary>As <see cref="NonAddressLater"/>, for the first record that may not stand beside a CNAME.</summary>
    CnameIncompatibleLater = 2048,

    /// <summary>An NS record (of the apex or a cut) names this name (set when the structure is worked out).</summary>
    NsTarget = 4096,
}

/// <summary>The place and type of a record.</summary>
internal readonly record struct FirstRecord(long Position, RecordType Type);

/// <summary>
/// What the model remembers of one name: which kinds of records it holds, and the place and type
/// of its first record. The first record of a kind (non-address, non-delegation, CNAME-incompatible)
/// is nearly always the name's first record too; when it is not, its place is kept in a side table.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal struct OwnerInfo
{
    public long FirstAny;
    public OwnerFlags Flags;
    public RecordType FirstAnyType;

    public static OwnerFlags Later(OwnerFlags kind) => kind switch
    {
        OwnerFlags.NonAddress => OwnerFlags.NonAddressLater,
        OwnerFlags.NonDelegation => OwnerFlags.NonDelegationLater,
        OwnerFlags.CnameIncompatible => OwnerFlags.CnameIncompatibleLater,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static long Key(int id, OwnerFlags kind) => ((long)id << 16) | (ushort)kind;

    /// <summary>The first record of <paramref name="kind"/>; the name must hold one.</summary>
    public readonly FirstRecord First(int id, OwnerFlags kind, Dictionary<long, FirstRecord> later) =>
        (Flags & Later(kind)) != 0 ? later[Key(id, kind)] : new FirstRecord(FirstAny, FirstAnyType);
}

/// <summary>An NS record below the apex: owner and target by name id.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal readonly record struct PackedNs(int Owner, int Target, uint Ttl, long Position, bool InZone);

/// <summary>An A or AAAA record: the IPv4 address itself, or the index of the IPv6 address in the model's list of them.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal readonly record struct PackedAddress(int Owner, uint Ttl, long Position, uint Value, bool IsV6)
{
    public IPAddress ToAddress(Ipv6Bits[] v6)
    {
        if (!IsV6)
        {
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, Value);
            return new IPAddress(v4);
        }

        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, v6[Value].High);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], v6[Value].Low);
        return new IPAddress(bytes);
    }
}

internal readonly record struct Ipv6Bits(ulong High, ulong Low);

[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal readonly record struct PackedCname(int Owner, long Position);

/// <summary>A DS record: its owner, place, algorithm and digest type.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal readonly record struct PackedDs(int Owner, long Position, byte Algorithm, byte DigestType);

internal readonly record struct PackedOcclusion(int Owner, int By, long Position, RecordType Type, OcclusionKind Kind);
