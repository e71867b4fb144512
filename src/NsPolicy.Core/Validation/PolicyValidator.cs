using NsPolicy.Core.Checks;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;
using NsPolicy.Dns.Files;

namespace NsPolicy.Core.Validation;

/// <summary>The policy file could not be read at all (missing, a directory, no permission).</summary>
public sealed class PolicyUnreadableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The result of validating one policy file.</summary>
public sealed record ValidationReport(string File, PolicyDocument? Policy, IReadOnlyList<RatedFinding> Findings);

/// <summary>
/// Validates a policy file: reads it (bounded), loads it, gathers the facts the checks need
/// (which referenced files exist, today's date), then runs every policy check.
/// </summary>
public sealed class PolicyValidator(TimeProvider time)
{
    /// <summary>Files the policy names may lie outside its repository (--allow-include-outside).</summary>
    public bool AllowOutside { get; init; }

    /// <param name="path">The file to read, and the name findings carry.</param>
    public Task<ValidationReport> ValidateFileAsync(string path, CancellationToken cancellationToken) =>
        ValidateFileAsync(path, path, cancellationToken);

    /// <param name="path">The file to read; referenced files are resolved against its directory.</param>
    /// <param name="displayPath">The name findings carry, e.g. the path relative to the repository.</param>
    public async Task<ValidationReport> ValidateFileAsync(string path, string displayPath, CancellationToken cancellationToken)
    {
        var (document, findings, today) = await CheckFileAsync(path, displayPath, cancellationToken).ConfigureAwait(false);
        return new ValidationReport(displayPath, document, FindingRater.Rate(findings, document, today));
    }

    /// <summary>Loads the policy and runs every policy check; the findings are not rated yet, so callers can add their own first.</summary>
    internal async Task<(PolicyDocument? Document, List<Finding> Findings, DateOnly Today)> CheckFileAsync(string path, string displayPath, CancellationToken cancellationToken)
    {
        var (bytes, size) = await ReadBoundedAsync(path, cancellationToken).ConfigureAwait(false);
        var load = size > PolicyLoader.MaxBytes
            ? new PolicyLoadResult(null, [PolicyLoader.TooLarge(displayPath, size)])
            : await PolicyLoader.LoadAsync(displayPath, bytes, cancellationToken).ConfigureAwait(false);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var findings = new List<Finding>(load.Findings);
        if (load.Document is { } document)
        {
            var (missing, refused) = ReferencedFiles(document, Path.GetDirectoryName(path) ?? string.Empty, FileAccessPolicy.ForRepositoryOf(path, AllowOutside));
            var facts = new PolicyFacts(today, missing, CheckCatalogue.Codes) { RefusedFiles = refused };
            var context = new PolicyCheckContext(document, facts);
            foreach (var check in CheckCatalogue.PolicyChecks)
            {
                findings.AddRange(DeclaredFindings.Of(check, check.Rules, check.Run(context)));
            }
        }

        return (load.Document, findings, today);
    }

    /// <summary>The files the policy names that do not exist, and those the file-access policy refuses (with why).</summary>
    private static (HashSet<string> Missing, Dictionary<string, string> Refused) ReferencedFiles(PolicyDocument document, string baseDirectory, FileAccessPolicy access)
    {
        var missing = new HashSet<string>(StringComparer.Ordinal);
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        var named = document.Zones.Select(z => (Path: z.ZoneFile?.Value, Limit: FileAccessPolicy.MaxZoneFileBytes))
            .Append((Path: document.Settings.RootHints?.Value, Limit: FileAccessPolicy.MaxRootHintsBytes));
        foreach (var (path, limit) in named)
        {
            if (path is null || missing.Contains(path) || refused.ContainsKey(path))
            {
                continue;
            }

            switch (access.Check(Path.Combine(baseDirectory, path), limit, out _, out _))
            {
                case null:
                    break;
                case FileAccessPolicy.MissingReason:
                    missing.Add(path);
                    break;
                case { } problem:
                    refused[path] = problem;
                    break;
            }
        }

        return (missing, refused);
    }

    private async Task<(byte[] Bytes, long Size)> ReadBoundedAsync(string path, CancellationToken cancellationToken)
    {
        // The policy itself: a regular file whose real path is inside the folder (or git work tree)
        // it was named in, so a symbolic link cannot make nspolicy read /proc/self/environ as a
        // policy; its size is judged below (a finding, not a refusal).
        if (FileAccessPolicy.ForRepositoryOf(path, AllowOutside).Check(path, long.MaxValue, out var real, out _) is { } problem)
        {
            throw new PolicyUnreadableException($"{path}: cannot read the policy file: it {problem}");
        }

        try
        {
            // Opened by the real path that was checked, so a link put at the named path after the check is not followed.
            await using var stream = new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            var limit = PolicyLoader.MaxBytes + 1;
            if (stream.CanSeek && stream.Length > limit)
            {
                // Too large to be a policy: reported by size, without reading it.
                return ([], stream.Length);
            }

            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > limit)
                {
                    break;
                }
            }

            return (buffer.ToArray(), buffer.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PolicyUnreadableException($"{path}: cannot read the policy file: {e.Message}", e);
        }
    }
}
