using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Reporting;

/// <summary>Counts of reported findings per severity; acknowledged ones are counted apart.</summary>
public sealed record FindingSummary(int Errors, int Warnings, int Notices, int Acknowledged)
{
    public static FindingSummary Of(IEnumerable<RatedFinding> findings)
    {
        var list = findings.ToList();
        return new FindingSummary(
            list.Count(f => f.Counts && f.Severity == Severity.Error),
            list.Count(f => f.Counts && f.Severity == Severity.Warning),
            list.Count(f => f.Counts && f.Severity == Severity.Notice),
            list.Count(f => f.Acknowledgement is not null));
    }

    /// <summary>Whether any counted finding is at or above <paramref name="threshold"/>.</summary>
    public static bool Fails(IEnumerable<RatedFinding> findings, Severity threshold) =>
        threshold != Severity.Off && findings.Any(f => f.Counts && f.Severity >= threshold);
}
