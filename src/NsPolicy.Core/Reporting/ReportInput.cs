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

    /// <summary>What a live run gathered, when there was one; the Markdown diagrams draw the delegation as found.</summary>
    public DelegationEvidence? Evidence { get; init; }

    /// <summary>The findings in report order (file, line, column, code, message).</summary>
    public IReadOnlyList<RatedFinding> Sorted => FindingRater.Sort(Findings);

    /// <summary>The repository-relative, forward-slash form of a finding's file.</summary>
    public string RepositoryPath(string file) => Paths?.Relative(file) ?? file.Replace('\\', '/');
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
