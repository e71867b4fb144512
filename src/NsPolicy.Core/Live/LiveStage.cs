using System.Globalization;
using System.Net;
using NsPolicy.Core.Checking;
using NsPolicy.Core.Checks;
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;
using NsPolicy.Dns.Files;
using NsPolicy.Dns.Resolution;
using NsPolicy.Dns.Transport;

namespace NsPolicy.Core.Live;

/// <summary>What the command line says about the live stage; null values fall back to the policy's settings.</summary>
public sealed record LiveStageOptions
{
    /// <summary>The folder of the policy file: settings.root-hints is relative to it.</summary>
    public string PolicyDirectory { get; init; } = ".";

    /// <summary>Hides secrets in the evidence file written with --save-evidence.</summary>
    public Secrets.SecretMasker Masker { get; init; } = Secrets.SecretMasker.None;

    /// <summary>Files the policy names (settings.root-hints) may lie outside its repository (--allow-include-outside).</summary>
    public bool AllowOutside { get; init; }

    /// <summary>A root hints file (overrides settings.root-hints).</summary>
    public string? RootHintsPath { get; init; }

    /// <summary>Resolvers to ask (override settings.resolvers).</summary>
    public IReadOnlyList<IPAddress>? Resolvers { get; init; }

    /// <summary>Overrides settings.timeout.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Overrides settings.retries.</summary>
    public int? Retries { get; init; }

    public int Concurrency { get; init; } = 64;

    public EvidenceTarget Target { get; init; } = EvidenceTarget.Parent;

    /// <summary>Judge this evidence file instead of asking DNS.</summary>
    public string? EvidencePath { get; init; }

    /// <summary>Write the evidence to this file.</summary>
    public string? SaveEvidencePath { get; init; }

    public LiveCheckSettings Checks { get; init; } = LiveCheckSettings.Default;

    public IProgress<LiveProgress>? Progress { get; init; }

    /// <summary>Time allowed per zone; null: derived from timeout and retries.</summary>
    public TimeSpan? ZoneDeadline { get; init; }

    /// <summary>Overrides settings.ipv6 (default auto).</summary>
    public IPv6Mode? IPv6 { get; init; }
}

/// <summary>
/// The live stage of <c>nspolicy check</c>: gathers evidence for the selected zones (or reads a
/// saved evidence file), optionally saves it, and judges it with the live checks.
/// </summary>
public sealed class LiveStage(NetworkGuard guard, LiveStageOptions options, TimeProvider time) : ILiveStage
{
    /// <summary>The evidence of the last run, for callers that want to keep or show it.</summary>
    public DelegationEvidence? Evidence { get; private set; }

    /// <summary>Queries the last run sent (not counting the iterative resolver's); 0 when judging a file.</summary>
    public int QueriesSent { get; private set; }

    /// <exception cref="LiveInputException">Root hints or the evidence file cannot be read, the evidence lacks a zone, or the evidence cannot be saved.</exception>
    public async Task<IReadOnlyList<Finding>> RunAsync(PolicyDocument policy, IReadOnlyList<ZonePolicy> zones, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(zones);
        DelegationEvidence evidence;
        if (options.EvidencePath is { } input)
        {
            var loaded = await EvidenceJson.LoadAsync(input, cancellationToken).ConfigureAwait(false);
            var gathered = loaded.Zones.Select(z => z.Zone).ToHashSet();
            var missing = zones.Where(z => !gathered.Contains(z.Zone)).Select(z => z.Zone.ToString()).Distinct().ToList();
            if (missing.Count > 0)
            {
                throw new LiveInputException($"{input}: the evidence has nothing about zone {string.Join(", ", missing)}; gather it again with --save-evidence");
            }

            var wanted = zones.Select(z => z.Zone).ToHashSet();
            evidence = loaded with { Zones = [.. loaded.Zones.Where(z => wanted.Contains(z.Zone))] };
        }
        else
        {
            var collector = new LiveCollector(new DnsTransport(SocketDnsNetwork.Instance, guard, time), await CollectOptionsAsync(policy, cancellationToken).ConfigureAwait(false), time);
            evidence = await collector.CollectAsync(zones, options.Progress, cancellationToken).ConfigureAwait(false);
            QueriesSent = collector.QueriesSent;
        }

        if (options.SaveEvidencePath is { } output)
        {
            await EvidenceJson.SaveAsync(evidence, output, cancellationToken, options.Masker).ConfigureAwait(false);
        }

        Evidence = evidence;
        return LiveJudge.Judge(policy, evidence, options.Checks);
    }

    private async Task<LiveOptions> CollectOptionsAsync(PolicyDocument policy, CancellationToken cancellationToken)
    {
        var hintsPath = options.RootHintsPath
            ?? (policy.Settings.RootHints is { } setting ? Path.Combine(options.PolicyDirectory, setting.Value) : null);
        RootHints hints;
        try
        {
            // Hints named on the command line are the user's choice; hints the policy names stay in its repository.
            var access = options.RootHintsPath is not null ? FileAccessPolicy.Anywhere
                : FileAccessPolicy.ForRepositoryOf(Path.Combine(options.PolicyDirectory, "policy"), options.AllowOutside);
            hints = hintsPath is null ? RootHints.Iana : await RootHints.LoadAsync(hintsPath, cancellationToken, access).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LiveInputException($"{hintsPath}: cannot read the root hints: {e.Message}", e);
        }
        catch (FormatException e)
        {
            throw new LiveInputException(e.Message, e);
        }

        return new LiveOptions
        {
            Hints = hints,
            Resolvers = options.Resolvers ?? [.. policy.Settings.Resolvers.Select(r => r.Value)],
            Timeout = options.Timeout ?? policy.Settings.Timeout,
            Retries = options.Retries ?? policy.Settings.Retries,
            Concurrency = options.Concurrency,
            Target = options.Target,
            ZoneDeadline = options.ZoneDeadline,
            IPv6 = options.IPv6 ?? policy.Settings.IPv6?.Value switch
            {
                "on" => IPv6Mode.On,
                "off" => IPv6Mode.Off,
                _ => IPv6Mode.Auto,
            },
        };
    }

    /// <summary>"12 zones, 340 queries" for logs.</summary>
    public string Summary() => string.Create(CultureInfo.InvariantCulture, $"{Evidence?.Zones.Count ?? 0} zone(s), {QueriesSent} queries sent");
}
