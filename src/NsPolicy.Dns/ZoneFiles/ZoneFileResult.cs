namespace NsPolicy.Dns.ZoneFiles;

/// <summary>Every record loaded from a zone file, in file order, and every error met on the way.</summary>
public sealed record ZoneFileResult(IReadOnlyList<ResourceRecord> Records, IReadOnlyList<ZoneFileError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}
