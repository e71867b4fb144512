namespace NsPolicy.Dns.Zones;

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
