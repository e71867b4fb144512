// The facts the zone checks read, worked out by ZoneModelBuilder once every record is in: which
// nameservers lack addresses or name a CNAME, misplaced DS records, MX/SRV targets that are CNAMEs
// or addresses, and RRsets with different TTLs. Worked out on name ids, so a zone of many
// delegations costs no name objects unless something is found.
using NsPolicy.Dns.Records;

namespace NsPolicy.Dns.Zones;

public sealed partial class ZoneModelBuilder
{
    /// <summary>
    /// An IPv4 address written where a name belongs: its first four labels are decimal octets and it
    /// ends there or in the (non-reverse) origin it was completed with; or a label holds a ':' (IPv6).
    /// </summary>
    internal static bool LooksLikeAddress(DnsName name, DnsName origin)
    {
        // Most targets are host names: decided on the raw labels, without formatting the name.
        if (name.LabelCount == 0 || (!char.IsAsciiDigit((char)name.GetLabel(0)[0]) && !AnyLabelHasColon(name)))
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

        static bool AnyLabelHasColon(DnsName name)
        {
            for (var i = 0; i < name.LabelCount; i++)
            {
                if (name.GetLabel(i).Contains((byte)':'))
                {
                    return true;
                }
            }

            return false;
        }
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

    private ZoneNameserver Materialize(PackedNs ns) =>
        new(_names.ToName(ns.Owner), _names.ToName(ns.Target), ns.Ttl, Unpack(ns.Position));

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
}
