namespace NsPolicy.Dns.ZoneFiles;

/// <summary>How a master file is loaded.</summary>
public sealed record ZoneFileOptions
{
    /// <summary>The default options: $INCLUDE limited to the including file's folder tree, depth 8.</summary>
    public static ZoneFileOptions Default { get; } = new();

    /// <summary>
    /// $INCLUDE targets must lie inside this folder. When null, the folder of the top-level file is
    /// the root (for <see cref="ZoneFileParser.ForText"/>, <see cref="BaseDirectory"/>).
    /// </summary>
    public string? RootDirectory { get; init; }

    /// <summary>Allows $INCLUDE paths (and the zone file) that leave <see cref="RootDirectory"/>, symbolic links followed.</summary>
    public bool AllowIncludeOutsideRoot { get; init; }

    /// <summary>The largest file (the zone file, and each file it includes) that is read, in bytes.</summary>
    public long MaxFileBytes { get; init; } = Files.FileAccessPolicy.MaxZoneFileBytes;

    /// <summary>How deep $INCLUDE may nest; the top-level file is depth 0.</summary>
    public int MaxIncludeDepth { get; init; } = 8;

    /// <summary>Folder that relative $INCLUDE paths of text given to <see cref="ZoneFileParser.ForText"/> start from.</summary>
    public string? BaseDirectory { get; init; }

    /// <summary>The zone's class; records of another class are errors (RFC 1035 §5.2).</summary>
    public RecordClass Class { get; init; } = RecordClass.IN;
}
