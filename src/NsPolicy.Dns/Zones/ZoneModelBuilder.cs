// Builds a ZoneModel from records as they stream out of the zone-file parser. It keeps only what
// the model offers: per name a few flags and the places of its first records, NS and address
// records in compact form (PackedRecords), and the apex's SOA, NS and DNSKEY records. Zone cuts and
// occlusion (ZoneStructure) and the facts the checks read (ZoneModelBuilder.Facts) are worked out
// once every record has been seen, since records may come in any order.
//
// Built for zones of millions of records: per record it touches a name table and a few compact
// arrays, and it recognises the owner (and an NS target followed by its glue) by reference when the
// parser hands over the same name object again, which it does for names on consecutive lines.
using System.Buffers.Binary;
using NsPolicy.Dns.Records;
using NsPolicy.Dns.ZoneFiles;

namespace NsPolicy.Dns.Zones;

/// <summary>Collects the records and errors of one zone; <see cref="Build"/> gives the model.</summary>
public sealed partial class ZoneModelBuilder
{
    private static readonly DnsName ReverseV4 = DnsName.Parse("in-addr.arpa.");
    private readonly NameTable _names = new();
    private readonly int _apex;
    private readonly ZonePositions _positions = new();
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
        _positions.AddFile(error.File);
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

    /// <summary>Works out the zone's structure and hands over what was collected; the builder is spent afterwards.</summary>
    public ZoneModel Build()
    {
        ObjectDisposedException.ThrowIf(_built, this);
        _built = true;
        var addresses = SortByOwner(_addresses, a => a.Owner);
        var cutNs = SortByOwner(_cutNs, n => n.Owner);
        var cnames = SortByOwner(_cnames, c => c.Owner);
        MarkNameserverTargets(cutNs);
        var (cuts, occluded) = _anyCutOrDname ? ZoneStructure.Find(_names, _owners, _laterFirsts, _apex, Origin.LabelCount) : ([], []);
        var (withoutAddress, namingCname) = NameserverFacts(cutNs);
        AddressAndNsTtlMismatches(addresses, cutNs);
        return new ZoneModel(
            Origin,
            _records,
            new ZoneModel.Store(_names, _owners, _laterFirsts, [.. _positions.Files], addresses, _v6.ToArray(), cutNs, cnames, cuts, occluded),
            _errors,
            _soas,
            _apexNs,
            _dnskeys,
            _outOfZone)
        {
            Files = [.. _positions.Files],
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

    private long Pack(string file, int line, int column) => _positions.Pack(file, line, column);

    private ZonePosition Unpack(long position) => _positions.Unpack(position);
}
