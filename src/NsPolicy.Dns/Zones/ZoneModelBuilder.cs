// Builds a ZoneModel from records as they stream out of the zone-file parser. It keeps only what
// the model offers: per name a few flags and the places of its first records, NS and address
// records in compact form, and the apex's SOA, NS and DNSKEY records. Zone cuts and occlusion
// (RFC 1034 §4.2.1, RFC 6672 §2.4) are worked out once every record has been seen, since records
// may come in any order.
using System.Buffers.Binary;
using System.Net;
using NsPolicy.Dns.Records;
using NsPolicy.Dns.ZoneFiles;

namespace NsPolicy.Dns.Zones;

/// <summary>Collects the records and errors of one zone; <see cref="Build"/> gives the model.</summary>
public sealed class ZoneModelBuilder
{
    private readonly NameTable _names = new();
    private readonly int _apex;
    private readonly List<string> _files = [];
    private readonly List<ZoneFileError> _errors = [];
    private readonly List<ZoneItem<SoaRData>> _soas = [];
    private readonly List<ZoneNameserver> _apexNs = [];
    private readonly List<ZoneItem<DnskeyRData>> _dnskeys = [];
    private readonly List<OutOfZoneRecord> _outOfZone = [];
    private readonly List<PackedNs> _cutNs = [];
    private readonly List<PackedAddress> _addresses = [];
    private readonly List<PackedCname> _cnames = [];
    private OwnerInfo[] _owners = new OwnerInfo[1024];
    private string? _lastFile;
    private int _lastFileIndex;
    private long _records;
    private bool _anyCutOrDname;
    private bool _built;

    public ZoneModelBuilder(DnsName origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        Origin = origin;
        Span<byte> buffer = stackalloc byte[DnsName.MaxWireLength];
        _apex = _names.GetOrAdd(NameTable.Wire(origin, buffer));
    }

    public DnsName Origin { get; }

    /// <summary>Records a loading error (pass this method to the parser as its error callback).</summary>
    public void AddError(ZoneFileError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        _errors.Add(error);
        if (!_files.Contains(error.File))
        {
            _files.Add(error.File);
        }
    }

    /// <summary>Takes one record in; its position is kept with what the model remembers of it.</summary>
    public void Add(ZoneRecord record)
    {
        ObjectDisposedException.ThrowIf(_built, this);
        var rr = record.Record;
        var type = rr.Type;
        var position = Pack(record.File, record.Line, record.Column);
        _records++;
        if (!rr.Owner.IsSubdomainOf(Origin))
        {
            _outOfZone.Add(new OutOfZoneRecord(rr.Owner, type, Unpack(position)));
            return;
        }

        Span<byte> buffer = stackalloc byte[DnsName.MaxWireLength];
        var id = _names.GetOrAdd(NameTable.Wire(rr.Owner, buffer));
        EnsureOwners();
        ref var info = ref _owners[id];
        info.Note(OwnerFlags.Record, ref info.FirstAny, ref info.FirstAnyType, position, type);
        var isApex = id == _apex;
        var isAddress = type == RecordType.A || type == RecordType.AAAA;
        if (!isAddress)
        {
            info.Note(OwnerFlags.NonAddress, ref info.FirstNonAddress, ref info.FirstNonAddressType, position, type);
        }

        if (!isAddress && type != RecordType.NS && type != RecordType.DS && type != RecordType.RRSIG && type != RecordType.NSEC)
        {
            info.Note(OwnerFlags.NonDelegation, ref info.FirstNonDelegation, ref info.FirstNonDelegationType, position, type);
        }

        if (type != RecordType.CNAME && type != RecordType.RRSIG && type != RecordType.NSEC)
        {
            info.Note(OwnerFlags.CnameIncompatible, ref info.FirstCnameIncompatible, ref info.FirstCnameIncompatibleType, position, type);
        }

        switch (rr.Data)
        {
            case ARData a:
                info.Flags |= OwnerFlags.Address;
                _addresses.Add(new PackedAddress(id, rr.Ttl, position, BinaryPrimitives.ReadUInt32BigEndian(a.Address.GetAddressBytes()), 0, IsV6: false));
                break;
            case AaaaRData aaaa:
                info.Flags |= OwnerFlags.Address;
                Span<byte> v6 = stackalloc byte[16];
                aaaa.Address.TryWriteBytes(v6, out _);
                _addresses.Add(new PackedAddress(id, rr.Ttl, position, BinaryPrimitives.ReadUInt64BigEndian(v6), BinaryPrimitives.ReadUInt64BigEndian(v6[8..]), IsV6: true));
                break;
            case NsRData ns:
                info.Flags |= OwnerFlags.Ns;
                if (isApex)
                {
                    _apexNs.Add(new ZoneNameserver(rr.Owner, ns.Target, rr.Ttl, Unpack(position)));
                }
                else
                {
                    _anyCutOrDname = true;
                    var target = _names.GetOrAdd(NameTable.Wire(ns.Target, buffer));
                    _cutNs.Add(new PackedNs(id, target, rr.Ttl, position, ns.Target.IsSubdomainOf(Origin)));
                }

                break;
            case CnameRData:
                info.Flags |= OwnerFlags.Cname;
                _cnames.Add(new PackedCname(id, position));
                break;
            case SoaRData soa when isApex:
                _soas.Add(new ZoneItem<SoaRData>(soa, rr.Ttl, Unpack(position)));
                break;
            case DnskeyRData key when isApex:
                _dnskeys.Add(new ZoneItem<DnskeyRData>(key, rr.Ttl, Unpack(position)));
                break;
            case DnameRData:
                info.Flags |= OwnerFlags.Dname;
                _anyCutOrDname = true;
                break;
        }
    }

    /// <summary>Works out the zone's structure and hands over what was collected; the builder is spent afterwards.</summary>
    public ZoneModel Build()
    {
        ObjectDisposedException.ThrowIf(_built, this);
        _built = true;
        EnsureOwners();
        var addresses = _addresses.ToArray();
        SortByOwner(addresses, a => a.Owner);
        var cutNs = _cutNs.ToArray();
        SortByOwner(cutNs, n => n.Owner);
        var cnames = _cnames.ToArray();
        SortByOwner(cnames, c => c.Owner);
        var (cuts, occluded) = Structure();
        var (withoutAddress, namingCname) = NameserverFacts(cuts, cutNs);
        return new ZoneModel(
            Origin,
            _records,
            new ZoneModel.Store(_names, _owners, [.. _files], addresses, cutNs, cnames, cuts, occluded),
            _errors,
            _soas,
            _apexNs,
            _dnskeys,
            _outOfZone)
        {
            Files = [.. _files],
            NameserversWithoutAddress = withoutAddress,
            NameserversNamingCname = namingCname,
        };
    }

    /// <summary>
    /// NS records of the apex and of the zone cuts (each target once per owner) whose target lies in
    /// the zone but has no A/AAAA record in it, and those whose target holds a CNAME. Worked out on
    /// name ids, so a zone of many delegations costs no name objects unless something is found.
    /// </summary>
    private (List<ZoneNameserver> WithoutAddress, List<ZoneNameserver> NamingCname) NameserverFacts(int[] cuts, PackedNs[] cutNs)
    {
        var withoutAddress = new List<ZoneNameserver>();
        var namingCname = new List<ZoneNameserver>();
        Span<byte> buffer = stackalloc byte[DnsName.MaxWireLength];
        foreach (var ns in _apexNs.DistinctBy(n => n.Target))
        {
            var target = _names.Find(NameTable.Wire(ns.Target, buffer));
            var flags = target < 0 ? OwnerFlags.None : _owners[target].Flags;
            if ((flags & OwnerFlags.Cname) != 0)
            {
                namingCname.Add(ns);
            }

            if (ns.Target.IsSubdomainOf(Origin) && (flags & OwnerFlags.Address) == 0)
            {
                withoutAddress.Add(ns);
            }
        }

        var isCut = new HashSet<int>(cuts);
        for (var i = 0; i < cutNs.Length; i++)
        {
            var ns = cutNs[i];
            if (!isCut.Contains(ns.Owner) || Seen(cutNs, i))
            {
                continue;
            }

            var flags = _owners[ns.Target].Flags;
            if ((flags & OwnerFlags.Cname) != 0)
            {
                namingCname.Add(Materialize(ns));
            }

            if (ns.InZone && (flags & OwnerFlags.Address) == 0)
            {
                withoutAddress.Add(Materialize(ns));
            }
        }

        return (withoutAddress, namingCname);

        // cutNs is sorted by owner: an earlier record of the same owner with the same target.
        static bool Seen(PackedNs[] sorted, int i)
        {
            for (var k = i - 1; k >= 0 && sorted[k].Owner == sorted[i].Owner; k--)
            {
                if (sorted[k].Target == sorted[i].Target)
                {
                    return true;
                }
            }

            return false;
        }
    }

    private ZoneNameserver Materialize(PackedNs ns) =>
        new(_names.ToName(ns.Owner), _names.ToName(ns.Target), ns.Ttl, Unpack(ns.Position));

    private (int[] Cuts, PackedOcclusion[] Occluded) Structure()
    {
        if (!_anyCutOrDname)
        {
            return ([], []);
        }

        var cuts = new List<int>();
        var occluded = new List<PackedOcclusion>();
        var apexLabels = Origin.LabelCount;
        Span<int> starts = stackalloc int[128];
        for (var id = 0; id < _names.Count; id++)
        {
            ref var info = ref _owners[id];
            if (id == _apex || (info.Flags & OwnerFlags.Record) == 0)
            {
                continue;
            }

            var wire = _names.Get(id);
            var labels = 0;
            for (var pos = 0; wire[pos] != 0; pos += wire[pos] + 1)
            {
                starts[labels++] = pos;
            }

            // From the apex down to the parent of this name, the first cut or DNAME owner encloses it.
            var enclosing = -1;
            var byDname = false;
            for (var removed = labels - apexLabels; removed >= 1; removed--)
            {
                var ancestor = removed == labels - apexLabels ? _apex : _names.Find(wire[starts[removed]..]);
                if (ancestor < 0)
                {
                    continue;
                }

                var flags = _owners[ancestor].Flags;
                if ((flags & OwnerFlags.Dname) != 0 || (ancestor != _apex && (flags & OwnerFlags.Ns) != 0))
                {
                    enclosing = ancestor;
                    byDname = (flags & OwnerFlags.Dname) != 0 && (ancestor == _apex || (flags & OwnerFlags.Ns) == 0);
                    break;
                }
            }

            if (enclosing >= 0 && byDname)
            {
                occluded.Add(new PackedOcclusion(id, enclosing, info.FirstAny, info.FirstAnyType, OcclusionKind.Dname));
            }
            else if (enclosing >= 0)
            {
                if ((info.Flags & OwnerFlags.NonAddress) != 0)
                {
                    occluded.Add(new PackedOcclusion(id, enclosing, info.FirstNonAddress, info.FirstNonAddressType, OcclusionKind.Delegation));
                }
            }
            else if ((info.Flags & OwnerFlags.Ns) != 0)
            {
                cuts.Add(id);
                if ((info.Flags & OwnerFlags.NonDelegation) != 0)
                {
                    occluded.Add(new PackedOcclusion(id, id, info.FirstNonDelegation, info.FirstNonDelegationType, OcclusionKind.Delegation));
                }
            }
        }

        return ([.. cuts], [.. occluded]);
    }

    private static void SortByOwner<T>(T[] items, Func<T, int> owner)
    {
        // Stable: by owner, then by the order the records were read.
        var keys = new long[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            keys[i] = ((long)owner(items[i]) << 32) | (uint)i;
        }

        Array.Sort(keys, items);
    }

    private void EnsureOwners()
    {
        if (_owners.Length < _names.Count)
        {
            Array.Resize(ref _owners, Math.Max(_owners.Length * 2, _names.Count));
        }
    }

    private long Pack(string file, int line, int column)
    {
        if (!ReferenceEquals(file, _lastFile))
        {
            _lastFileIndex = _files.IndexOf(file);
            if (_lastFileIndex < 0)
            {
                _lastFileIndex = _files.Count;
                _files.Add(file);
            }

            _lastFile = file;
        }

        return ZoneModel.Store.Pack(_lastFileIndex, line, column);
    }

    private ZonePosition Unpack(long position) => ZoneModel.Store.Unpack(_files, position);
}

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
}

/// <summary>What the model remembers of one name: which kinds of records it holds and where the first of each kind was.</summary>
internal struct OwnerInfo
{
    public OwnerFlags Flags;
    public RecordType FirstAnyType;
    public RecordType FirstNonAddressType;
    public RecordType FirstNonDelegationType;
    public RecordType FirstCnameIncompatibleType;
    public long FirstAny;
    public long FirstNonAddress;
    public long FirstNonDelegation;
    public long FirstCnameIncompatible;

    public void Note(OwnerFlags flag, ref long first, ref RecordType firstType, long position, RecordType type)
    {
        if ((Flags & flag) == 0)
        {
            Flags |= flag;
            first = position;
            firstType = type;
        }
    }
}

internal readonly record struct PackedNs(int Owner, int Target, uint Ttl, long Position, bool InZone);

internal readonly record struct PackedAddress(int Owner, uint Ttl, long Position, ulong High, ulong Low, bool IsV6)
{
    public IPAddress ToAddress()
    {
        if (!IsV6)
        {
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, (uint)High);
            return new IPAddress(v4);
        }

        Span<byte> v6 = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(v6, High);
        BinaryPrimitives.WriteUInt64BigEndian(v6[8..], Low);
        return new IPAddress(v6);
    }
}

internal readonly record struct PackedCname(int Owner, long Position);

internal readonly record struct PackedOcclusion(int Owner, int By, long Position, RecordType Type, OcclusionKind Kind);
