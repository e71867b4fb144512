namespace NsPolicy.Dns.Zones;

/// <summary>
/// Where records were written, packed in 64 bits each: the index of the file (in the order files
/// were first met), the line (32 bits) and the column (16 bits, longer lines cap it).
/// </summary>
internal sealed class ZonePositions
{
    private const int LineBits = 32;
    private const int ColumnBits = 16;
    private string? _lastFile;
    private int _lastFileIndex;

    /// <summary>The files met so far: the zone file and what it included, as positions name them.</summary>
    public List<string> Files { get; } = [];

    public void AddFile(string file)
    {
        if (!Files.Contains(file))
        {
            Files.Add(file);
        }
    }

    public long Pack(string file, int line, int column)
    {
        // Records come file by file, and the parser hands over the same string for one file.
        if (!ReferenceEquals(file, _lastFile))
        {
            _lastFileIndex = Files.IndexOf(file);
            if (_lastFileIndex < 0)
            {
                _lastFileIndex = Files.Count;
                Files.Add(file);
            }

            _lastFile = file;
        }

        return ((long)_lastFileIndex << (LineBits + ColumnBits)) | ((long)(uint)line << ColumnBits) | (uint)Math.Min(column, ushort.MaxValue);
    }

    public ZonePosition Unpack(long position) => Unpack(Files, position);

    public static ZonePosition Unpack(IReadOnlyList<string> files, long position) => new(
        files[(int)(position >> (LineBits + ColumnBits))],
        (int)(uint)(position >> ColumnBits),
        (int)(position & ushort.MaxValue));
}
