// A zone as loaded from its master files (RFC 1035 §5), seen as a structure (RFC 1034 §4.2): the
// apex with its SOA, NS and DNSKEY records, the delegation points below it with their glue, data
// that is occluded by a cut or a DNAME (RFC 6672 §2.4), CNAME owners, addresses of in-zone names,
// and records outside the zone. Everything carries the file, line and column it was written at.
//
// The model is built for very large zones: names are interned once in wire form and records are
// kept in compact arrays; the lists of delegations, occluded names and CNAME owners are produced
// on demand when enumerated.
using NsPolicy.Dns.Records;
using NsPolicy.Dns.ZoneFiles;

namespace NsPolicy.Dns.Zones;

public sealed class ZoneModel
{
    private readonly Store _store;
    private IReadOnlySet<string>? _nameserverTopLabels;

    internal ZoneModel(
        DnsName origin,
        long recordCount,
        Store store,
        IReadOnlyList<ZoneFileError> errors,
        IReadOnlyList<ZoneItem<SoaRData>> soas,
        IReadOnlyList<ZoneNameserver> apexNameservers,
        IReadOnlyList<ZoneItem<DnskeyRData>> dnskeys,
        IReadOnlyList<OutOfZoneRecord> outOfZone)
    {
        Origin = origin;
        RecordCount = recordCount;
        _store = store;
        Errors = errors;
        Soas = soas;
        ApexNameservers = apexNameservers;
        Dnskeys = dnskeys;
        OutOfZone = outOfZone;
    }

    /// <summary>The apex: the origin the zone was loaded with.</summary>
    public DnsName Origin { get; }

    /// <summary>How many records loaded, out-of-zone ones included.</summary>
    public long RecordCount { get; }

    /// <summary>Every loading error, in the order met.</summary>
    public IReadOnlyList<ZoneFileError> Errors { get; }

    /// <summary>SOA records at the apex, in file order.</summary>
    public IReadOnlyList<ZoneItem<SoaRData>> Soas { get; }

    /// <summary>NS records at the apex, in file order.</summary>
    public IReadOnlyList<ZoneNameserver> ApexNameservers { get; }

    /// <summary>DNSKEY records at the apex, in file order.</summary>
    public IReadOnlyList<ZoneItem<DnskeyRData>> Dnskeys { get; }

    /// <summary>Records whose owner is outside the zone, in file order.</summary>
    public IReadOnlyList<OutOfZoneRecord> OutOfZone { get; }

    /// <summary>The files (as positions name them) that gave records or errors: the zone file and what it included.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>
    /// NS records, of the apex and of the zone cuts, whose nameserver lies inside the zone but has no
    /// A or AAAA record in the file (each nameserver once per owner, in file order per owner).
    /// </summary>
    public IReadOnlyList<ZoneNameserver> NameserversWithoutAddress { get; init; } = [];

    /// <summary>NS records, of the apex and of the zone cuts, whose nameserver name holds a CNAME in the file (each once per owner).</summary>
    public IReadOnlyList<ZoneNameserver> NameserversNamingCname { get; init; } = [];

    /// <summary>DS records at the apex or at a name that is not a zone cut, each owner at its first DS.</summary>
    public IReadOnlyList<ZoneRecordPlace> MisplacedDs { get; init; } = [];

    /// <summary>CDS records at the apex, in file order.</summary>
    public IReadOnlyList<ZoneItem<DelegationSignerRData>> Cds { get; init; } = [];

    /// <summary>CDNSKEY records at the apex, in file order.</summary>
    public IReadOnlyList<ZoneItem<CdnskeyRData>> Cdnskeys { get; init; } = [];

    /// <summary>NSEC3PARAM records at the apex, in file order.</summary>
    public IReadOnlyList<ZoneItem<Nsec3ParamRData>> Nsec3Params { get; init; } = [];

    /// <summary>DS records with digest type 1 (SHA-1), in file order.</summary>
    public IReadOnlyList<ZoneOwned<DsRData>> Sha1Ds { get; init; } = [];

    /// <summary>SOA records inside the zone but not at its apex, in file order.</summary>
    public IReadOnlyList<ZoneRecordPlace> SoasBelowApex { get; init; } = [];

    /// <summary>MX and SRV records whose target lies in the zone and holds a CNAME.</summary>
    public IReadOnlyList<ZoneTarget> ServiceTargetsNamingCname { get; init; } = [];

    /// <summary>MX and SRV records whose target is an IP address written as a name.</summary>
    public IReadOnlyList<ZoneTarget> ServiceTargetsLikeAddresses { get; init; } = [];

    /// <summary>NS records owned by a wildcard name (the first per owner).</summary>
    public IReadOnlyList<ZoneNameserver> WildcardNameservers { get; init; } = [];

    /// <summary>RRsets whose records do not share one TTL, at the first record that differs, in file order.</summary>
    public IReadOnlyList<ZoneTtlMismatch> TtlMismatches { get; init; } = [];

    /// <summary>How many zone cuts lie below the apex.</summary>
    public int DelegationCount => _store.Cuts.Length;

    /// <summary>The zone cuts below the apex (NS owners not themselves below a cut or DNAME), in the order first seen.</summary>
    public IEnumerable<Delegation> Delegations
    {
        get
        {
            foreach (var cut in _store.Cuts)
            {
                yield return _store.Delegation(cut);
            }
        }
    }

    /// <summary>Names whose data is occluded, each at its first occluded record, in the order first seen.</summary>
    public IEnumerable<OccludedData> Occluded
    {
        get
        {
            foreach (var o in _store.Occluded)
            {
                yield return new OccludedData(_store.Names.ToName(o.Owner), o.Type, _store.Unpack(o.Position), _store.Names.ToName(o.By), o.Kind);
            }
        }
    }

    /// <summary>Every name that holds a CNAME, in the order first seen.</summary>
    public IEnumerable<CnameOwner> Cnames
    {
        get
        {
            var cnames = _store.Cnames;
            for (var i = 0; i < cnames.Length;)
            {
                var owner = cnames[i].Owner;
                var positions = new List<ZonePosition>();
                for (; i < cnames.Length && cnames[i].Owner == owner; i++)
                {
                    positions.Add(_store.Unpack(cnames[i].Position));
                }

                yield return _store.CnameOwner(owner, positions);
            }
        }
    }

    /// <summary>The A and AAAA records of <paramref name="name"/> in file order (none when it is outside the zone or has none).</summary>
    public IReadOnlyList<ZoneAddress> AddressesOf(DnsName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var id = _store.Find(name);
        return id < 0 ? [] : _store.AddressesOf(id, name);
    }

    /// <summary>
    /// The last labels (top-level domains) of the nameservers outside the zone that its NS records
    /// name, at the apex and at the cuts, each once (compared without case). Worked out on first use
    /// by walking the delegations' NS records by name id.
    /// </summary>
    public IReadOnlySet<string> OutOfZoneNameserverTopLabels => _nameserverTopLabels ??= NameserverTopLabels();

    private IReadOnlySet<string> NameserverTopLabels()
    {
        var labels = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var ns in ApexNameservers)
        {
            if (!ns.Target.IsSubdomainOf(Origin) && ns.Target.LabelCount > 0)
            {
                labels.Add(ns.Target.Labels[^1]);
            }
        }

        _store.OutOfZoneTargetTopLabels(labels);
        return labels;
    }

    /// <summary>Whether the zone file holds any record owned by <paramref name="name"/>.</summary>
    public bool HasRecords(DnsName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var id = _store.Find(name);
        return id >= 0 && (_store.Owners[id].Flags & OwnerFlags.Record) != 0;
    }

    /// <summary>Where the first CNAME of <paramref name="name"/> was written, or null when it has none.</summary>
    public ZonePosition? CnameAt(DnsName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var id = _store.Find(name);
        if (id < 0 || (_store.Owners[id].Flags & OwnerFlags.Cname) == 0)
        {
            return null;
        }

        var i = _store.FirstIndex(_store.Cnames, id, c => c.Owner);
        return _store.Unpack(_store.Cnames[i].Position);
    }

    /// <summary>Loads a zone file (and what it includes) into a model, streaming; positions name the file as <paramref name="path"/> does.</summary>
    public static ZoneModel Load(string path, DnsName origin, ZoneFileOptions? options = null) => Load(path, path, origin, options);

    /// <summary>
    /// Loads a zone file into a model, streaming; positions name it <paramref name="displayName"/>
    /// (and included files relative to that). $INCLUDE paths start from the file's folder, which is
    /// also the include root unless <paramref name="options"/> names one.
    /// </summary>
    /// <exception cref="IOException">The file cannot be opened (<see cref="Files.FileRefusedException"/>: the file-access policy refuses it).</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static ZoneModel Load(string path, string displayName, DnsName origin, ZoneFileOptions? options = null)
    {
        using var parser = ZoneFileParser.Open(path, displayName, origin, options);
        return Build(parser, origin);
    }

    /// <summary>Loads zone-file text into a model; <paramref name="displayName"/> names it in positions.</summary>
    public static ZoneModel LoadText(string text, string displayName, DnsName origin, ZoneFileOptions? options = null)
    {
        using var reader = new StringReader(text);
        using var parser = ZoneFileParser.ForText(reader, displayName, origin, options);
        return Build(parser, origin);
    }

    private static ZoneModel Build(ZoneFileParser parser, DnsName origin)
    {
        var builder = new ZoneModelBuilder(origin);
        while (parser.Next(out var entry))
        {
            if (entry.Error is { } error)
            {
                builder.AddError(error);
            }
            else
            {
                builder.Add(entry.Record);
            }
        }

        return builder.Build();
    }

    /// <summary>The compact arrays behind the model, sorted by name id where a lookup needs it. Name id 0 is the apex.</summary>
    internal sealed class Store(
        NameTable names,
        ChunkedList<OwnerInfo> owners,
        Dictionary<long, FirstRecord> laterFirsts,
        string[] files,
        PackedAddress[] addresses,
        Ipv6Bits[] v6,
        PackedNs[] cutNs,
        PackedCname[] cnames,
        int[] cuts,
        PackedOcclusion[] occluded)
    {
        private static readonly System.Buffers.SearchValues<byte> PlainLabel =
            System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"u8);

        public NameTable Names { get; } = names;

        public ChunkedList<OwnerInfo> Owners { get; } = owners;

        public PackedCname[] Cnames { get; } = cnames;

        public int[] Cuts { get; } = cuts;

        public PackedOcclusion[] Occluded { get; } = occluded;

        public ZonePosition Unpack(long position) => ZonePositions.Unpack(files, position);

        public int Find(DnsName name)
        {
            Span<byte> buffer = stackalloc byte[DnsName.MaxWireLength];
            return Names.Find(NameTable.Wire(name, buffer));
        }

        public List<ZoneAddress> AddressesOf(int id, DnsName name)
        {
            var result = new List<ZoneAddress>();
            if ((Owners[id].Flags & OwnerFlags.Address) == 0)
            {
                return result;
            }

            for (var i = FirstIndex(addresses, id, a => a.Owner); i < addresses.Length && addresses[i].Owner == id; i++)
            {
                var a = addresses[i];
                result.Add(new ZoneAddress(name, a.ToAddress(v6), a.Ttl, Unpack(a.Position)));
            }

            return result;
        }

        /// <summary>Adds the last label of every NS target outside the zone (each target id once) to <paramref name="labels"/>.</summary>
        public void OutOfZoneTargetTopLabels(HashSet<string> labels)
        {
            var seen = new HashSet<int>();
            foreach (var ns in cutNs)
            {
                if (ns.InZone || !seen.Add(ns.Target))
                {
                    continue;
                }

                var wire = Names.Get(ns.Target);
                var last = -1;
                for (var pos = 0; wire[pos] != 0; pos += wire[pos] + 1)
                {
                    last = pos;
                }

                if (last < 0)
                {
                    continue;
                }

                var label = wire.Slice(last + 1, wire[last]);
                labels.Add(System.Text.Ascii.IsValid(label) && !label.ContainsAnyExcept(PlainLabel)
                    ? System.Text.Encoding.ASCII.GetString(label)
                    : Names.ToName(ns.Target).Labels[^1]);
            }
        }

        public Delegation Delegation(int cut)
        {
            var cutName = Names.ToName(cut);
            var nameservers = new List<ZoneNameserver>();
            var glue = new List<ZoneAddress>();
            for (var i = FirstIndex(cutNs, cut, n => n.Owner); i < cutNs.Length && cutNs[i].Owner == cut; i++)
            {
                var ns = cutNs[i];
                var target = Names.ToName(ns.Target);
                nameservers.Add(new ZoneNameserver(cutName, target, ns.Ttl, Unpack(ns.Position)));
                if (ns.InZone && !SeenBefore(i))
                {
                    glue.AddRange(AddressesOf(ns.Target, target));
                }
            }

            return new Delegation(cutName, Unpack(Owners[cut].FirstAny), nameservers, glue);

            // An earlier NS record of the same cut with the same target (cutNs is sorted by owner).
            bool SeenBefore(int i)
            {
                for (var k = i - 1; k >= 0 && cutNs[k].Owner == cutNs[i].Owner; k--)
                {
                    if (cutNs[k].Target == cutNs[i].Target)
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        public CnameOwner CnameOwner(int owner, List<ZonePosition> positions)
        {
            var info = Owners[owner];
            if ((info.Flags & OwnerFlags.CnameIncompatible) == 0)
            {
                return new CnameOwner(Names.ToName(owner), positions, null, null);
            }

            var other = info.First(owner, OwnerFlags.CnameIncompatible, laterFirsts);
            return new CnameOwner(Names.ToName(owner), positions, other.Type, Unpack(other.Position));
        }

        /// <summary>The first index in <paramref name="items"/> (sorted by owner) whose owner is <paramref name="owner"/> or above.</summary>
        public int FirstIndex<T>(T[] items, int owner, Func<T, int> ownerOf)
        {
            int lo = 0, hi = items.Length;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (ownerOf(items[mid]) < owner)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return lo;
        }
    }
}
