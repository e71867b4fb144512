using NsPolicy.Dns.ZoneFiles;

namespace NsPolicy.Dns.Tests.Support;

/// <summary>Every record and every error of a zone file, in file order.</summary>
public sealed record ZoneFileResult(IReadOnlyList<ResourceRecord> Records, IReadOnlyList<ZoneFileError> Errors, IReadOnlyList<ZoneFileEntry> Entries)
{
    public bool IsValid => Errors.Count == 0;

    public IEnumerable<ZoneRecord> Placed => Entries.Where(e => !e.IsError).Select(e => e.Record);
}

/// <summary>Reads a whole zone file through <see cref="ZoneFileParser"/>'s one way in, for tests that look at everything at once.</summary>
public static class ZoneFileReading
{
    public static ZoneFileResult Parse(string path, DnsName origin, ZoneFileOptions? options = null)
    {
        using var parser = ZoneFileParser.Open(path, path, origin, options);
        return Drain(parser);
    }

    public static ZoneFileResult ParseText(string text, string displayName, DnsName origin, ZoneFileOptions? options = null)
    {
        using var reader = new StringReader(text);
        return Read(reader, displayName, origin, options);
    }

    public static ZoneFileResult Read(TextReader reader, string displayName, DnsName origin, ZoneFileOptions? options = null)
    {
        using var parser = ZoneFileParser.ForText(reader, displayName, origin, options);
        return Drain(parser);
    }

    private static ZoneFileResult Drain(ZoneFileParser parser)
    {
        var entries = new List<ZoneFileEntry>();
        while (parser.Next(out var entry))
        {
            entries.Add(entry);
        }

        return new ZoneFileResult(
            [.. entries.Where(e => !e.IsError).Select(e => e.Record.Record)],
            [.. entries.Where(e => e.IsError).Select(e => e.Error!)],
            entries);
    }
}
