using NsPolicy.Core.Checks;
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;

namespace NsPolicy.Core.Reporting;

/// <summary>
/// Everything a reporter turns into output: the tool version, the policy file as the user named
/// it, the loaded policy (null when it did not load) and the rated findings. Reporters are pure
/// functions of this record.
/// </summary>
public sealed record ReportInput(string ToolVersion, string PolicyFile, PolicyDocument? Policy, IReadOnlyList<RatedFinding> Findings)
{
    /// <summary>
    /// How finding paths become repository-relative paths for SARIF and annotations; null keeps
    /// them as the findings carry them.
    /// </summary>
    public RepositoryPaths? Paths { get; init; }

    /// <summary>
    /// What part of the work this run covers, for SARIF's <c>automationDetails.id</c>: e.g.
    /// <c>nspolicy/check/shard-2-of-4/</c>, so the jobs of a matrix each upload their own analysis
    /// instead of replacing one another's. Null: <c>nspolicy/</c>.
    /// </summary>
    public string? Category { get; init; }

    /// <summary>What a live run gathered, when there was one; the Markdown diagrams draw the delegation as found.</summary>
    public DelegationEvidence? Evidence { get; init; }

    /// <summary>The findings in report order (file, line, column, code, message).</summary>
    public IReadOnlyList<RatedFinding> Sorted => FindingRater.Sort(Findings);

    /// <summary>The repository-relative, forward-slash form of a finding's file.</summary>
    public string RepositoryPath(string file) => Paths?.Relative(file) ?? file.Replace('\\', '/');

    /// <summary>The finding's message with the file it names in the repository-relative form of <see cref="RepositoryPath"/>.</summary>
    public string RepositoryMessage(Finding finding) =>
        finding.MentionedFile is { Length: > 0 } file
            ? finding.Message.Replace(file, RepositoryPath(file), StringComparison.Ordinal)
            : finding.Message;

    /// <summary>
    /// This input with every finding's file, in its location and its message, in repository-relative
    /// form: for the text report under GitHub Actions, whose problem matcher takes paths relative
    /// to the workspace whatever directory nspolicy ran in.
    /// </summary>
    public ReportInput WithRepositoryPaths() => Paths is null ? this : this with
    {
        Paths = null,
        Findings = [.. Findings.Select(f => f with
        {
            Finding = f.Finding with
            {
                Location = f.Location with { File = RepositoryPath(f.Location.File) },
                Message = RepositoryMessage(f.Finding),
                MentionedFile = f.Finding.MentionedFile is { } file ? RepositoryPath(file) : null,
            },
        })],
    };
}

/// <summary>
/// Where nspolicy ran relative to the repository: finding files are relative to
/// <see cref="WorkingDirectory"/> (or absolute); code scanning and annotations want them relative
/// to <see cref="Root"/>. Both are absolute paths, given by the caller; nothing here reads the
/// file system or the current directory. A file outside the repository keeps a relative path
/// (<c>../x.yaml</c>), which code scanning will not match to a file but which leaks no absolute path.
/// </summary>
public sealed record RepositoryPaths(string WorkingDirectory, string Root)
{
    public string Relative(string file)
    {
        var full = Path.IsPathRooted(file) ? file : Path.Combine(WorkingDirectory, file);
        var relative = Path.GetRelativePath(Root, full);
        // Never an absolute path in a report: a file on another drive is named by its file name alone.
        return (Path.IsPathRooted(relative) ? Path.GetFileName(relative) : relative).Replace('\\', '/');
    }
}
