using NsPolicy.Dns.ZoneFiles;
using NsPolicy.Dns.Zones;

namespace NsPolicy.Core.Policy;

/// <summary>Where a policy's zone files are, how findings name them, and how their $INCLUDEs are guarded.</summary>
/// <param name="PolicyDirectory">The folder of the policy file: zone-file paths start there.</param>
/// <param name="DisplayDirectory">That folder as findings name it (the folder part of the policy's display path; empty for the current folder).</param>
public sealed record ZoneFileSettings(string PolicyDirectory, string DisplayDirectory)
{
    /// <summary>$INCLUDE targets must stay inside this folder; null means the policy's folder (the repository root).</summary>
    public string? IncludeRoot { get; init; }

    /// <summary>Lets $INCLUDE leave <see cref="IncludeRoot"/>.</summary>
    public bool AllowIncludeOutsideRoot { get; init; }

    public string DisplayPath(string relative) =>
        (DisplayDirectory.Length == 0 ? relative : Path.Combine(DisplayDirectory, relative)).Replace('\\', '/');

    /// <summary>The path of the zone file <paramref name="zone"/> names, when it names one that exists.</summary>
    public string? ExistingFile(ZonePolicy zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return zone.ZoneFile is { } file && Path.Combine(PolicyDirectory, file.Value) is var path && File.Exists(path) ? path : null;
    }

    /// <summary>Reads the serial and the record digest of the zone file <paramref name="zone"/> names (see <see cref="ExistingFile"/>), on the thread pool.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public Task<ZoneContent> LoadContentAsync(ZonePolicy zone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var file = zone.ZoneFile?.Value ?? throw new ArgumentException($"zone {zone.Zone} names no zone file", nameof(zone));
        return Task.Run(() => ZoneContent.Load(Path.Combine(PolicyDirectory, file), DisplayPath(file), zone.Zone, Options()), cancellationToken);
    }

    /// <summary>Loads the zone file <paramref name="zone"/> names (see <see cref="ExistingFile"/>), on the thread pool.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public Task<ZoneModel> LoadAsync(ZonePolicy zone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var file = zone.ZoneFile?.Value ?? throw new ArgumentException($"zone {zone.Zone} names no zone file", nameof(zone));
        return Task.Run(() => ZoneModel.Load(Path.Combine(PolicyDirectory, file), DisplayPath(file), zone.Zone, Options()), cancellationToken);
    }

    private ZoneFileOptions Options() => new()
    {
        RootDirectory = Path.GetFullPath(IncludeRoot ?? PolicyDirectory),
        AllowIncludeOutsideRoot = AllowIncludeOutsideRoot,
    };
}
