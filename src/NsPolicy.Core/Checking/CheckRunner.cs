using NsPolicy.Core.Changes;
using NsPolicy.Core.Checks;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;
using NsPolicy.Core.Validation;
using NsPolicy.Dns;

namespace NsPolicy.Core.Checking;

/// <summary>The request cannot be carried out as asked (e.g. --zone names a zone the policy does not list).</summary>
public sealed class CheckRequestException(string message) : Exception(message);

/// <summary>
/// Runs <c>nspolicy check</c>: loads and checks the policy, selects the zones, checks their zone
/// files, runs the live stage (unless offline), and rates all findings once at the end.
/// </summary>
public sealed class CheckRunner(TimeProvider time, ILiveStage? live)
{
    /// <summary>
    /// Where a --changed-since revision is extracted, so that the caller can read the same checkout
    /// afterwards (the pull-request comment); null: a checkout of the run's own, removed at its end.
    /// </summary>
    public BaseCheckouts? Checkouts { get; init; }

    /// <exception cref="PolicyUnreadableException">The policy file cannot be read.</exception>
    /// <exception cref="CheckRequestException">A requested zone is not in the policy, or live checks were asked for without a live stage.</exception>
    /// <exception cref="GitException">--changed-since was given outside a git work tree or with an unknown revision.</exception>
    public async Task<CheckReport> RunAsync(CheckRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Offline && live is null)
        {
            throw new CheckRequestException("live checks are not available in this build; run with --offline to check the policy and zone files only");
        }

        var (document, findings, today) = await new PolicyValidator(time) { AllowOutside = request.AllowIncludeOutsideRoot }
            .CheckFileAsync(request.PolicyPath, request.DisplayPath, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return new CheckReport(request.DisplayPath, null, FindingRater.Rate(findings, null, today));
        }

        var zones = Select(document, request.Zones);
        BaseZoneContents? baseContents = null;
        if (request.ChangedSince is { } revision)
        {
            using var own = Checkouts is null ? new BaseCheckouts() : null;
            var checkout = await (Checkouts ?? own!).ExtractAsync(request.PolicyPath, revision, cancellationToken).ConfigureAwait(false);
            var changed = await ChangedZones.FindAsync(checkout, request.PolicyPath, document, revision, request.AllowIncludeOutsideRoot, time, cancellationToken).ConfigureAwait(false);
            zones = [.. zones.Where(z => changed.Contains(z.Zone))];
            var withFiles = zones.Where(z => z.ZoneFile is not null).Select(z => z.Zone).Distinct().ToList();
            baseContents = await BaseZoneContents.LoadAsync(checkout, request.PolicyPath, revision, withFiles, request.AllowIncludeOutsideRoot, time, cancellationToken).ConfigureAwait(false);
        }

        if (request.Shard is { } shard)
        {
            zones = [.. zones.Where(z => shard.Contains(z.Zone))];
        }

        var policyDirectory = Path.GetDirectoryName(request.PolicyPath) is { Length: > 0 } directory ? directory : ".";
        var settings = new ZoneFileSettings(policyDirectory, Path.GetDirectoryName(request.DisplayPath) ?? string.Empty)
        {
            AllowIncludeOutsideRoot = request.AllowIncludeOutsideRoot,
        };
        findings.AddRange(await ZoneFileStage.RunAsync(document, zones, settings, cancellationToken, baseContents).ConfigureAwait(false));

        if (!request.Offline && live is not null && zones.Count > 0)
        {
            findings.AddRange(await live.RunAsync(document, zones, cancellationToken).ConfigureAwait(false));
        }

        if (request.Zones.Count > 0 || request.Shard is not null || request.ChangedSince is not null)
        {
            // Findings about zones that were not asked for are left out; findings about the policy
            // as a whole stay (in a sharded run, in shard 1 only, so a matrix reports them once).
            var selected = zones.Select(z => z.Zone).ToHashSet();
            var policyWide = request.Shard?.ReportsPolicyWideFindings ?? true;
            findings.RemoveAll(f => f.Zone is { } zone ? !selected.Contains(zone) : !policyWide);
        }

        return new CheckReport(request.DisplayPath, document, FindingRater.Rate(findings, document, today))
        {
            CheckedZones = [.. zones.Select(z => z.Zone).Distinct()],
        };
    }

    private static List<ZonePolicy> Select(PolicyDocument document, IReadOnlyList<DnsName> wanted)
    {
        if (wanted.Count == 0)
        {
            return [.. document.Zones];
        }

        var missing = wanted.Where(w => !document.Zones.Any(z => z.Zone == w)).Select(w => w.ToString()).ToList();
        if (missing.Count > 0)
        {
            throw new CheckRequestException($"{document.File}: the policy has no zone {string.Join(", ", missing)}");
        }

        var set = wanted.ToHashSet();
        return [.. document.Zones.Where(z => set.Contains(z.Zone))];
    }
}
