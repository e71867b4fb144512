// A zone's structure (RFC 1034 §4.2.1, RFC 6672 §2.4), worked out once every record has been seen,
// since records may come in any order: taking names in id order, each name's nearest enclosing
// zone cut or DNAME is looked up label by label from the apex down. A name below a cut holds
// occluded data unless it holds only addresses that some NS record names (glue, RFC 9471 §2); a
// cut holds occluded data when it has records other than NS, DS, glue and DNSSEC; everything below
// a DNAME is occluded.
using NsPolicy.Dns.Records;

namespace NsPolicy.Dns.Zones;

internal static class ZoneStructure
{
    /// <summary>
    /// The zone cuts (NS owners below the apex that no cut or DNAME above encloses), marked
    /// <see cref="OwnerFlags.Cut"/>, and every occluded name at its first occluded record.
    /// <paramref name="owners"/> must already carry <see cref="OwnerFlags.NsTarget"/>.
    /// </summary>
    public static (int[] Cuts, PackedOcclusion[] Occluded) Find(NameTable names, ChunkedList<OwnerInfo> owners, Dictionary<long, FirstRecord> laterFirsts, int apex, int apexLabels)
    {
        var cuts = new List<int>();
        var occluded = new List<PackedOcclusion>();
        var ancestors = new RecentSuffixes(names);
        var depths = CutDepths(names, owners, apex, apexLabels);
        Span<int> starts = stackalloc int[128];
        for (var id = 0; id < names.Count; id++)
        {
            ref var info = ref owners[id];
            if (id == apex || (info.Flags & OwnerFlags.Record) == 0)
            {
                continue;
            }

            var wire = names.Get(id);
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
                // Only depths below the apex where some name holds NS or DNAME records can enclose.
                var depth = labels - apexLabels - removed;
                if (depth is > 0 and < 64 && (depths & (1UL << depth)) == 0)
                {
                    continue;
                }

                var ancestor = removed == labels - apexLabels ? apex : ancestors.Find(wire[starts[removed]..]);
                if (ancestor < 0)
                {
                    continue;
                }

                var flags = owners[ancestor].Flags;
                if ((flags & OwnerFlags.Dname) != 0 || (ancestor != apex && (flags & OwnerFlags.Ns) != 0))
                {
                    enclosing = ancestor;
                    byDname = (flags & OwnerFlags.Dname) != 0 && (ancestor == apex || (flags & OwnerFlags.Ns) == 0);
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
                    var first = info.First(id, OwnerFlags.NonAddress, laterFirsts);
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
                    var first = info.First(id, OwnerFlags.NonDelegation, laterFirsts);
                    occluded.Add(new PackedOcclusion(id, id, first.Position, first.Type, OcclusionKind.Delegation));
                }
            }
        }

        return ([.. cuts], [.. occluded]);
    }

    /// <summary>
    /// Bit d set: some name d labels below the apex holds NS or DNAME records (bit 0 is the apex;
    /// names 64 labels down or deeper are always looked up).
    /// </summary>
    private static ulong CutDepths(NameTable names, ChunkedList<OwnerInfo> owners, int apex, int apexLabels)
    {
        var depths = 1UL;
        for (var id = 0; id < names.Count; id++)
        {
            if (id == apex || (owners[id].Flags & (OwnerFlags.Ns | OwnerFlags.Dname)) == 0)
            {
                continue;
            }

            var wire = names.Get(id);
            var labels = 0;
            for (var pos = 0; wire[pos] != 0; pos += wire[pos] + 1)
            {
                labels++;
            }

            var depth = labels - apexLabels;
            if (depth is > 0 and < 64)
            {
                depths |= 1UL << depth;
            }
        }

        return depths;
    }
}
