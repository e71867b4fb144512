using NsPolicy.Dns.Records;

namespace NsPolicy.Dns.ZoneFiles;

/// <summary>
/// Parses names and remembers the last few, so an owner written out on consecutive lines, or an NS
/// target followed by its glue, is one <see cref="DnsName"/> instance: less work and less memory
/// for whoever keeps the records.
/// </summary>
internal sealed class RecentNames : INameParser
{
    private const int Size = 8;
    private readonly char[][] _texts = new char[Size][];
    private readonly int[] _lengths = new int[Size];
    private readonly DnsName?[] _origins = new DnsName?[Size];
    private readonly DnsName?[] _names = new DnsName?[Size];
    private int _next;

    public bool TryParse(ReadOnlySpan<char> text, DnsName origin, out DnsName? name, out string? error)
    {
        for (var k = 0; k < Size; k++)
        {
            if (ReferenceEquals(_origins[k], origin) && text.SequenceEqual(_texts[k].AsSpan(0, _lengths[k])))
            {
                name = _names[k];
                error = null;
                return true;
            }
        }

        if (!DnsName.TryParse(text, origin, out name, out error))
        {
            return false;
        }

        if (_texts[_next] is null || _texts[_next].Length < text.Length)
        {
            _texts[_next] = new char[Math.Max(64, text.Length)];
        }

        text.CopyTo(_texts[_next]);
        _lengths[_next] = text.Length;
        _origins[_next] = origin;
        _names[_next] = name;
        _next = (_next + 1) % Size;
        return true;
    }
}
