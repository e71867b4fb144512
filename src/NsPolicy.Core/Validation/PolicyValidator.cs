using NsPolicy.Core.Checks;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;

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
            var facts = new PolicyFacts(today, MissingFiles(document, Path.GetDirectoryName(path) ?? string.Empty), CheckCatalogue.Codes);
            var context = new PolicyCheckContext(document, facts);
            foreach (var check in CheckCatalogue.PolicyChecks)
            {
                findings.AddRange(DeclaredFindings.Of(check, check.Rules, check.Run(context)));
            }
        }

        return (load.Document, findings, today);
    }

    private static HashSet<string> MissingFiles(PolicyDocument document, string baseDirectory)
    {
        var named = document.Zones.Select(z => z.ZoneFile?.Value)
            .Append(document.Settings.RootHints?.Value)
            .OfType<string>();
        return named.Where(p => !File.Exists(Path.Combine(baseDirectory, p))).ToHashSet(StringComparer.Ordinal);
    }

    private static async Task<(byte[] Bytes, long Size)> ReadBoundedAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
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
