namespace NsPolicy.Dns.ZoneFiles;

/// <summary>
/// One item <see cref="ZoneFileParser.Next"/> hands out, in file order: a record with its place, or
/// an error at its place. Loading goes on after an error, so one pass reports every error.
/// </summary>
public readonly struct ZoneFileEntry
{
    internal ZoneFileEntry(ZoneRecord record) => Record = record;

    internal ZoneFileEntry(ZoneFileError error) => Error = error;

    /// <summary>The record and where it was written; default when this entry is an error.</summary>
    public ZoneRecord Record { get; }

    /// <summary>What is wrong, and where; null when this entry is a record.</summary>
    public ZoneFileError? Error { get; }

    public bool IsError => Error is not null;

    public override string ToString() => Error?.ToString() ?? Record.ToString();
}
