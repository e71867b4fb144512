// Builds a ZoneModel from records as they stream out of the zone-file parser. It keeps only what
// the model offers: per name a few flags and the places of its first records, NS and address
// records in compact form, and the apex's SOA, NS and DNSKEY records. Zone cuts and occlusion
// (RFC 1034 §4.2.1, RFC 6672 §2.4) are worked out once every record has been seen, since records
// may come in any order.
//
// Built for zones of millions of records: per record it touches a name table and a few compact
// arrays, and it recognises the owner (and an NS target followed by its glue) by reference when the
// parser hands over the same name object again, which it does for names on consecutive lines.
using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;
using NsPolicy.Dns.Records;
using NsPolicy.Dns.ZoneFiles;

namespace NsPolicy.Dns.Zones;

/// <summary>Collects the records and errors of one zone; <see cref="Build"/> gives the model.</summary>
public sealed class ZoneModelBuilder
{
    private static readonly DnsName ReverseV4 = DnsName.Parse("in-addr.arpa.");
    private readonly NameTable _names = new();
    private readonly int _apex;
    private readonly List<string> _files = [];
    private readonly List<ZoneFileError> _errors = [];
    private readonly List<ZoneItem<SoaRData>> _soas = [];
    private readonly List<ZoneNameserver> _apexNs = [];
    private readonly List<ZoneItem<DnskeyRData>> _dnskeys = [];
    private readonly List<OutOfZoneRecord> _outOfZone = [];
    private readonly ChunkedList<PackedNs> _cutNs = new();
    private readonly ChunkedList<PackedAddress> _addresses = new();
    private readonly ChunkedList<Ipv6Bits> _v6 = new();
    private readonly ChunkedList<PackedCname> _cnames = new();
    private readonly ChunkedList<OwnerInfo> _owners = new();
    private readonly Dictionary<long, FirstRecord> _laterFirsts = [];
    private readonly RecentIds _recent = new();
    private readonly ChunkedList<PackedDs> _ds = new();
    private readonly ChunkedList<PackedNs> _serviceTargets = new();
    private readonly List<ZoneTarget> _addressLikeTargets = [];
    private readonly List<ZoneRecordPlace> _soasBelowApex = [];
    private readonly List<ZoneItem<DelegationSignerRData>> _cds = [];
    private readonly List<ZoneItem<CdnskeyRData>> _cdnskeys = [];
    private readonly List<ZoneItem<Nsec3ParamRData>> _nsec3Params = [];
    private readonly List<ZoneOwned<DsRData>> _sha1Ds = [];
    private readonly List<ZoneNameserver> _wildcardNs = [];
    private readonly List<ZoneTtlMismatch> _ttlMismatches = [];
    private int _runOwner = -1;
    private RecordType _runType;
    private uint _runTtl;
    private long _runPosition;
    private bool _runReported;
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
        _owners.Grow(_names.Count);
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
        var id = OwnerId(rr.Owner);
        if (id < 0)
        {
            _outOfZone.Add(new OutOfZoneRecord(rr.Owner, type, Unpack(position)));
            return;
        }

        TrackRun(rr, id, type, position);
        ref var info = ref _owners[id];
        var first = (info.Flags & OwnerFlags.Record) == 0;
        if (first)
        {
            info.Flags |= OwnerFlags.Record;
            info.FirstAny = position;
            info.FirstAnyType = type;
        }

        var isApex = id == _apex;
        var isAddress = type == RecordType.A || type == RecordType.AAAA;
        if (!isAddress)
        {
            Note(ref info, id, OwnerFlags.NonAddress, first, position, type);
        }

        if (!isAddress && type != RecordType.NS && type != RecordType.DS && type != RecordType.RRSIG && type != RecordType.NSEC)
        {
            Note(ref info, id, OwnerFlags.NonDelegation, first, position, type);
        }

        if (type != RecordType.CNAME && type != RecordType.RRSIG && type != RecordType.NSEC)
        {
            Note(ref info, id, OwnerFlags.CnameIncompatible, first, position, type);
        }

        switch (rr.Data)
        {
            case ARData a:
                info.Flags |= OwnerFlags.Address;
                Span<byte> v4 = stackalloc byte[4];
                a.Address.TryWriteBytes(v4, out _);
                _addresses.Add(new PackedAddress(id, rr.Ttl, position, BinaryPrimitives.ReadUInt32BigEndian(v4), IsV6: false));
                break;
            case AaaaRData aaaa:
                info.Flags |= OwnerFlags.Address;
                Span<byte> v6 = stackalloc byte[16];
                aaaa.Address.TryWriteBytes(v6, out _);
                _addresses.Add(new PackedAddress(id, rr.Ttl, position, (uint)_v6.Count, IsV6: true));
                _v6.Add(new Ipv6Bits(BinaryPrimitives.ReadUInt64BigEndian(v6), BinaryPrimitives.ReadUInt64BigEndian(v6[8..])));
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
                    if (rr.Owner.IsWildcard && (_wildcardNs.Count == 0 || _wildcardNs[^1].Owner != rr.Owner))
                    {
                        _wildcardNs.Add(new ZoneNameserver(rr.Owner, ns.Target, rr.Ttl, Unpack(position)));
                    }

                    // Interning may move the table's first block: info is not touched after this.
                    var target = NameId(ns.Target, out var inZone);
                    _cutNs.Add(new PackedNs(id, target, rr.Ttl, position, inZone));
                }

                break;
            case DsRData ds:
                _ds.Add(new PackedDs(id, position, (byte)ds.Algorithm, (byte)ds.DigestType));
                if (ds.DigestType == Dnssec.DsDigestType.Sha1)
                {
                    _sha1Ds.Add(new ZoneOwned<DsRData>(rr.Owner, ds, Unpack(position)));
                }

                break;
            case CdsRData cds when isApex:
                _cds.Add(new ZoneItem<DelegationSignerRData>(cds, rr.Ttl, Unpack(position)));
                break;
            case CdnskeyRData cdnskey when isApex:
                _cdnskeys.Add(new ZoneItem<CdnskeyRData>(cdnskey, rr.Ttl, Unpack(position)));
                break;
            case Nsec3ParamRData nsec3Param when isApex:
                _nsec3Params.Add(new ZoneItem<Nsec3ParamRData>(nsec3Param, rr.Ttl, Unpack(position)));
                break;
            case SoaRData when !isApex:
                _soasBelowApex.Add(new ZoneRecordPlace(rr.Owner, type, Unpack(position)));
                break;
            case MxRData mx:
                AddServiceTarget(rr.Owner, id, type, mx.Exchange, position);
                break;
            case SrvRData srv:
                AddServiceTarget(rr.Owner, id, type, srv.Target, position);
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

    /// <summary>
    /// Records of one RRset written on consecutive lines with different TTLs (RFC 2181 §5.2). A, AAAA
    /// and NS are compared whole once every record is in (<see cref="AddressAndNsTtlMismatches"/>);
    /// RRSIGs of different covered types share an owner and type but not an RRset, so they are left out.
    /// </summary>
    private void TrackRun(ResourceRecord rr, int id, RecordType type, long position)
    {
        if (type == RecordType.A || type == RecordType.AAAA || type == RecordType.NS || type == RecordType.RRSIG)
        {
            _runOwner = -1;
            return;
        }

        if (id != _runOwner || type != _runType)
        {
            (_runOwner, _runType, _runTtl, _runPosition, _runReported) = (id, type, rr.Ttl, position, false);
            return;
        }

        if (rr.Ttl != _runTtl && !_runReported)
        {
            _runReported = true;
            _ttlMismatches.Add(new ZoneTtlMismatch(rr.Owner, type, rr.Ttl, Unpack(position), _runTtl, Unpack(_runPosition)));
        }
    }

    /// <summary>An MX exchange or SRV target: one written like an address is kept; one inside the zone is kept by id to be looked at for a CNAME.</summary>
    private void AddServiceTarget(DnsName owner, int id, RecordType type, DnsName target, long position)
    {
        if (target.IsRoot)
        {
            // RFC 7505 null MX, RFC 2782 "." target: no service, on purpose.
            return;
        }

        if (LooksLikeAddress(target, Origin))
        {
            _addressLikeTargets.Add(new ZoneTarget(owner, type, target, Unpack(position)));
            return;
        }

        if (target.IsSubdomainOf(Origin))
        {
            // The TTL slot carries the type: 1 for SRV, 0 for MX.
            _serviceTargets.Add(new PackedNs(id, NameId(target, out _), type == RecordType.SRV ? 1u : 0u, position, InZone: true));
        }
    }

    /// <summary>
    /// An IPv4 address written where a name belongs: its first four labels are decimal octets and it
    /// ends there or in the (non-reverse) origin it was completed with; or a label holds a ':' (IPv6).
    /// </summary>
    internal static bool LooksLikeAddress(DnsName name, DnsName origin)
    {
        var text = name.ToString();
        if (!char.IsAsciiDigit(text[0]) && !text.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }

        var labels = name.Labels;
        if (labels.Any(l => l.Contains(':', StringComparison.Ordinal)))
        {
            return true;
        }

        if (labels.Count < 4 || !labels.Take(4).All(l => l.Length is >= 1 and <= 3 && l.All(char.IsAsciiDigit) && int.Parse(l, System.Globalization.CultureInfo.InvariantCulture) <= 255))
        {
            return false;
        }

        return labels.Count == 4 || (name.Suffix(labels.Count - 4) == origin && !origin.IsSubdomainOf(ReverseV4));
    }

    /// <summary>Works out the zone's structure and hands over what was collected; the builder is spent afterwards.</summary>
    public ZoneModel Build()
    {
        ObjectDisposedException.ThrowIf(_built, this);
        _built = true;
        var addresses = SortByOwner(_addresses, a => a.Owner);
        var cutNs = SortByOwner(_cutNs, n => n.Owner);
        var cnames = SortByOwner(_cnames, c => c.Owner);
        MarkNameserverTargets(cutNs);
        var (cuts, occluded) = Structure();
        var (withoutAddress, namingCname) = NameserverFacts(cutNs);
        AddressAndNsTtlMismatches(addresses, cutNs);
        return new ZoneModel(
            Origin,
            _records,
            new ZoneModel.Store(_names, _owners, _laterFirsts, [.. _files], addresses, _v6.ToArray(), cutNs, cnames, cuts, occluded),
            _errors,
            _soas,
            _apexNs,
            _dnskeys,
            _outOfZone)
        {
            Files = [.. _files],
            NameserversWithoutAddress = withoutAddress,
            NameserversNamingCname = namingCname,
            MisplacedDs = MisplacedDs(),
            Cds = _cds,
            Cdnskeys = _cdnskeys,
            Nsec3Params = _nsec3Params,
            Sha1Ds = _sha1Ds,
            SoasBelowApex = _soasBelowApex,
            ServiceTargetsNamingCname = ServiceTargetsNamingCname(),
            ServiceTargetsLikeAddresses = _addressLikeTargets,
            WildcardNameservers = _wildcardNs,
            TtlMismatches = [.. _ttlMismatches.OrderBy(m => m.Position.File, StringComparer.Ordinal).ThenBy(m => m.Position.Line).ThenBy(m => m.Position.Column)],
        };
    }

    /// <summary>Names that NS records (of the apex and of the cuts) point at: their addresses below a cut are glue.</summary>
    private void MarkNameserverTargets(PackedNs[] cutNs)
    {
        Span<byte> buffer = stackalloc byte[DnsName.MaxWireLength];
        foreach (var ns in _apexNs)
        {
            var target = _names.Find(NameTable.Wire(ns.Target, buffer));
            if (target >= 0)
            {
                _owners[target].Flags |= OwnerFlags.NsTarget;
            }
        }

        foreach (var ns in cutNs)
        {
            _owners[ns.Target].Flags |= OwnerFlags.NsTarget;
        }
    }

    /// <summary>DS records at the apex (they belong in the parent) or at a name that is not a zone cut (RFC 4035 §2.4), each owner once.</summary>
    private List<ZoneRecordPlace> MisplacedDs()
    {
        var misplaced = new List<ZoneRecordPlace>();
        var last = -1;
        foreach (var ds in SortByOwner(_ds, d => d.Owner))
        {
            if (ds.Owner == last || (ds.Owner != _apex && (_owners[ds.Owner].Flags & OwnerFlags.Cut) != 0))
            {
                continue;
            }

            last = ds.Owner;
            misplaced.Add(new ZoneRecordPlace(_names.ToName(ds.Owner), RecordType.DS, Unpack(ds.Position)));
        }

        return misplaced;
    }

    /// <summary>MX and SRV records whose in-zone target holds a CNAME (RFC 2181 §10.3, RFC 2782).</summary>
    private List<ZoneTarget> ServiceTargetsNamingCname()
    {
        var found = new List<ZoneTarget>();
        foreach (var t in _serviceTargets.ToArray())
        {
            if ((_owners[t.Target].Flags & OwnerFlags.Cname) != 0)
            {
                var owner = _names.ToName(t.Owner);
                found.Add(new ZoneTarget(owner, t.Ttl == 1 ? RecordType.SRV : RecordType.MX, _names.ToName(t.Target), Unpack(t.Position)));
            }
        }

        return found;
    }

    /// <summary>A, AAAA and NS records of one owner (each type its own RRset) with TTLs other than the first's (RFC 2181 §5.2); each RRset once.</summary>
    private void AddressAndNsTtlMismatches(PackedAddress[] addresses, PackedNs[] cutNs)
    {
        for (var i = 0; i < addresses.Length;)
        {
            var owner = addresses[i].Owner;
            int firstV4 = -1, firstV6 = -1;
            bool reportedV4 = false, reportedV6 = false;
            for (; i < addresses.Length && addresses[i].Owner == owner; i++)
            {
                var a = addresses[i];
                ref var first = ref a.IsV6 ? ref firstV6 : ref firstV4;
                ref var reported = ref a.IsV6 ? ref reportedV6 : ref reportedV4;
                if (first < 0)
                {
                    first = i;
                }
                else if (!reported && addresses[first].Ttl != a.Ttl)
                {
                    reported = true;
                    _ttlMismatches.Add(new ZoneTtlMismatch(_names.ToName(owner), a.IsV6 ? RecordType.AAAA : RecordType.A, a.Ttl, Unpack(a.Position), addresses[first].Ttl, Unpack(addresses[first].Position)));
                }
            }
        }

        for (var i = 0; i < cutNs.Length;)
        {
            var first = i;
            var reported = false;
            for (; i < cutNs.Length && cutNs[i].Owner == cutNs[first].Owner; i++)
            {
                if (!reported && cutNs[i].Ttl != cutNs[first].Ttl)
                {
                    reported = true;
                    _ttlMismatches.Add(new ZoneTtlMismatch(_names.ToName(cutNs[i].Owner), RecordType.NS, cutNs[i].Ttl, Unpack(cutNs[i].Position), cutNs[first].Ttl, Unpack(cutNs[first].Position)));
                }
            }
        }

        var apexFirst = _apexNs.FirstOrDefault();
        if (apexFirst is not null && _apexNs.FirstOrDefault(n => n.Ttl != apexFirst.Ttl) is { } apexOther)
        {
            _ttlMismatches.Add(new ZoneTtlMismatch(Origin, RecordType.NS, apexOther.Ttl, apexOther.Position, apexFirst.Ttl, apexFirst.Position));
        }
    }

    /// <summary>
    /// NS records of the apex and of the zone cuts (each target once per owner) whose target lies in
    /// the zone but has no A/AAAA record in it, and those whose target holds a CNAME. Worked out on
    /// name ids, so a zone of many delegations costs no name objects unless something is found.
    /// </summary>
    private (List<ZoneNameserver> WithoutAddress, List<ZoneNameserver> NamingCname) NameserverFacts(PackedNs[] cutNs)
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

        for (var i = 0; i < cutNs.Length; i++)
        {
            var ns = cutNs[i];
            if ((_owners[ns.Owner].Flags & OwnerFlags.Cut) == 0 || Seen(cutNs, i))
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

    /// <summary>The id of an owner name, or -1 when it lies outside the zone (such names are not kept).</summary>
    private int OwnerId(DnsName name)
    {
        var slot = _recent.Find(name);
        if (slot >= 0)
        {
            // Every name remembered as inside the zone has been interned.
            return _recent.InZone[slot] ? _recent.Ids[slot] : -1;
        }

        var inZone = name.IsSubdomainOf(Origin);
        var id = inZone ? Intern(name) : -1;
        _recent.Remember(slot, name, id, inZone);
        return id;
    }

    /// <summary>The id of any name (an NS target may lie outside the zone), and whether it lies inside.</summary>
    private int NameId(DnsName name, out bool inZone)
    {
        var slot = _recent.Find(name);
        if (slot >= 0 && _recent.Ids[slot] >= 0)
        {
            inZone = _recent.InZone[slot];
            return _recent.Ids[slot];
        }

        inZone = slot >= 0 ? _recent.InZone[slot] : name.IsSubdomainOf(Origin);
        var id = Intern(name);
        _recent.Remember(slot, name, id, inZone);
        return id;
    }

    private int Intern(DnsName name)
    {
        Span<byte> buffer = stackalloc byte[DnsName.MaxWireLength];
        var id = _names.GetOrAdd(NameTable.Wire(name, buffer));
        _owners.Grow(_names.Count);
        return id;
    }

    /// <summary>Notes the first record of a kind; only when it is not the name's first record is its place kept apart.</summary>
    private void Note(ref OwnerInfo info, int id, OwnerFlags kind, bool first, long position, RecordType type)
    {
        if ((info.Flags & kind) != 0)
        {
            return;
        }

        info.Flags |= kind;
        if (!first)
        {
            info.Flags |= OwnerInfo.Later(kind);
            _laterFirsts[OwnerInfo.Key(id, kind)] = new FirstRecord(position, type);
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
        var ancestors = new RecentSuffixes(_names);
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
                var ancestor = removed == labels - apexLabels ? _apex : ancestors.Find(wire[starts[removed]..]);
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
                    var first = info.First(id, OwnerFlags.NonAddress, _laterFirsts);
                    occluded.Add(new PackedOcclusion(id, enclosing, first.Position, first.Type, OcclusionKind.Delegation));
                }
                else if ((info.Flags & OwnerFlags.NsTarget) == 0)
                {
                    // Addresses below a cut are glue only for a name some NS record points at (RFC 9471 §2).
                    occluded.Add(new PackedOcclusion(id, enclosing, info.FirstAny, info.FirstAnyType, OcclusionKind.NotGlue));
                }
            }
            else if ((info.Flags & OwnerFlags.Ns) != 0)
            {
                cuts.Add(id);
                info.Flags |= OwnerFlags.Cut;
                if ((info.Flags & OwnerFlags.NonDelegation) != 0)
                {
                    var first = info.First(id, OwnerFlags.NonDelegation, _laterFirsts);
                    occluded.Add(new PackedOcclusion(id, id, first.Position, first.Type, OcclusionKind.Delegation));
                }
            }
        }

        return ([.. cuts], [.. occluded]);
    }

    /// <summary>
    /// The items as one array sorted by owner, stably (records of one owner stay in the order read).
    /// Owner ids are given in the order names are first met, so a file written name by name is
    /// already in order, and then nothing is sorted.
    /// </summary>
    private static T[] SortByOwner<T>(ChunkedList<T> list, Func<T, int> owner)
        where T : struct
    {
        var items = list.ToArray();
        var sorted = true;
        for (var i = 1; i < items.Length && sorted; i++)
        {
            sorted = owner(items[i - 1]) <= owner(items[i]);
        }

        if (!sorted)
        {
            var keys = new long[items.Length];
            for (var i = 0; i < items.Length; i++)
            {
                keys[i] = ((long)owner(items[i]) << 32) | (uint)i;
            }

            Array.Sort(keys, items);
        }

        return items;
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

/// <summary>
/// Name lookups for the ancestors of names taken in id order: neighbours mostly share their parent
/// (a delegation and its glue, the SRV names of one host), so the last few answers are kept.
/// </summary>
internal sealed class RecentSuffixes(NameTable names)
{
    private const int Size = 4;
    private readonly byte[][] _wires = [new byte[DnsName.MaxWireLength], new byte[DnsName.MaxWireLength], new byte[DnsName.MaxWireLength], new byte[DnsName.MaxWireLength]];
    private readonly int[] _lengths = new int[Size];
    private readonly int[] _ids = new int[Size];
    private int _next;

    public int Find(ReadOnlySpan<byte> wire)
    {
        for (var k = 0; k < Size; k++)
        {
            if (_lengths[k] == wire.Length && wire.SequenceEqual(_wires[k].AsSpan(0, wire.Length)))
            {
                return _ids[k];
            }
        }

        var id = names.Find(wire);
        wire.CopyTo(_wires[_next]);
        _lengths[_next] = wire.Length;
        _ids[_next] = id;
        _next = (_next + 1) % Size;
        return id;
    }
}

/// <summary>
/// The last few names met, by reference, with their ids: the parser hands over the same object for
/// a name written on consecutive lines, and for an NS target that the next lines give addresses to.
/// </summary>
internal sealed class RecentIds
{
    private const int Size = 8;
    private readonly DnsName?[] _names = new DnsName?[Size];
    private int _next;

    /// <summary>The name's id, or -1 when it was not interned (an owner outside the zone).</summary>
    public int[] Ids { get; } = new int[Size];

    public bool[] InZone { get; } = new bool[Size];

    public int Find(DnsName name)
    {
        for (var k = 0; k < Size; k++)
        {
            if (ReferenceEquals(_names[k], name))
            {
                return k;
            }
        }

        return -1;
    }

    public void Remember(int slot, DnsName name, int id, bool inZone)
    {
        if (slot < 0)
        {
            slot = _next;
            _next = (_next + 1) % Size;
        }

        _names[slot] = name;
        Ids[slot] = id;
        InZone[slot] = inZone;
    }
}
