using System.Globalization;
using System.CommandLine;
using NsPolicy.Core.Changes;
using NsPolicy.Core.Checking;
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Init;
using NsPolicy.Core.Reporting;
using NsPolicy.Core.Validation;

namespace NsPolicy.Cli;

/// <summary>
/// <c>nspolicy check</c>: the policy checks, the zone-file checks and (unless <c>--offline</c>) the
/// live checks, for every zone or the ones named with <c>--zone</c>.
/// </summary>
internal sealed class CheckCommand(TextWriter stdout, TextWriter stderr, TimeProvider time, CliEnvironment environment)
{
    private const string ExitCodeHelp =
        "Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it; 2 usage error, unreadable input, or the GitHub API failing after retries; 3 a bug in nspolicy.";

    public Command Build()
    {
        var policy = CliOptions.Policy("The policy file. Zone files are resolved against its folder.");
        var zones = CliOptions.Names("--zone", "-z", "Check only this zone (repeatable). Default: every zone in the policy.");
        var offline = new Option<bool>("--offline")
        {
            Description = "No network: check the policy and the zone files only.",
        };
        var changedSince = new Option<string?>("--changed-since")
        {
            Description = "Check only the zones whose policy entry or zone file (or a file it includes) changed since this git revision, and check that a changed zone file increased its SOA serial (RFC 1982).",
            HelpName = "REF",
        };
        var allowIncludeOutside = CliOptions.AllowIncludeOutside("Let the policy's zone files, root hints and $INCLUDE name files outside the repository (the git work tree that holds the policy, else its folder), symbolic links followed. Only regular files are read either way.");
        var shard = CliOptions.Shard("Check only the K-th of N parts of the zones, split by a hash of each zone's name (for a job matrix; findings about the policy as a whole come with shard 1).");
        var reports = new ReportOutputs(stdout, stderr, environment);
        var failOn = FailOn.CreateOption();

        var command = new Command("check", "Check the delegation of each zone: the policy itself, the zone files it names (zone-file, relative to the policy), and live DNS (parent referral, authoritative servers). " + ExitCodeHelp)
        {
            policy,
            zones,
            offline,
            shard,
            changedSince,
            allowIncludeOutside,
            failOn,
        };
        reports.AddTo(command);
        var github = new GitHubOptions();
        github.AddTo(command);

        // Live stage options (--root-hints, --resolver, --concurrency, --timeout, --target, --save-evidence, --evidence, --signature-window).
        var liveOptions = new LiveCheckOptions();
        liveOptions.AddTo(command, offline);
        command.Validators.Add(result =>
        {
            if (result.GetValue(github.OpenPr) && result.GetValue(offline))
            {
                result.AddError("--open-pr proposes the live delegation, so it cannot be used with --offline");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            var targets = reports.Resolve(parse);
            if (!github.TryPrepare(parse, environment, out var gitHubPlan, out var gitHubError))
            {
                throw new UsageException(gitHubError!);
            }

            var path = parse.GetValue(policy)!;
            var request = new CheckRequest(environment.FullPath(path), path)
            {
                Offline = parse.GetValue(offline),
                Zones = parse.GetValue(zones) ?? [],
                Shard = parse.GetValue(shard),
                AllowIncludeOutsideRoot = parse.GetValue(allowIncludeOutside),
                ChangedSince = parse.GetValue(changedSince),
            };
            var live = liveOptions.CreateStage(parse, path, request.AllowIncludeOutsideRoot, environment, stderr, time);
            using var checkouts = new BaseCheckouts();
            CheckReport report;
            try
            {
                report = await new CheckRunner(time, live) { Checkouts = checkouts }.RunAsync(request, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is LiveInputException or PolicyUnreadableException or CheckRequestException)
            {
                throw new UsageException(e.Message);
            }
            catch (GitException e)
            {
                throw new UsageException($"--changed-since: {e.Message}");
            }

            if (!await reports.WriteAsync(targets, new ReportInput(NsPolicyApp.Version, report.PolicyFile, report.Policy, report.Findings)
            {
                // One code-scanning analysis per shard, so a matrix's uploads do not replace one another.
                Category = request.Shard is { } s ? string.Create(CultureInfo.InvariantCulture, $"nspolicy/check/shard-{s.Index}-of-{s.Count}/") : "nspolicy/check/",
            }, ct).ConfigureAwait(false))
            {
                return ExitCodes.Usage;
            }

            var accept = gitHubPlan is { OpenPullRequests: true } ? AcceptRequestFor(path, report, live.Evidence) : null;
            if (gitHubPlan is not null && await new GitHubPublisher(stderr, time) { Accept = accept, Masker = environment.Masker, Checkouts = checkouts }.PublishAsync(gitHubPlan, report, request, ct).ConfigureAwait(false) is { } failed)
            {
                return failed;
            }

            return FailOn.ExitCode(report.Findings, parse.GetValue(failOn));
        });
        return command;
    }

    /// <summary>The policy's path in its git repository and the live delegation of each zone this run checked.</summary>
    private AcceptRequest AcceptRequestFor(string policyPath, CheckReport report, DelegationEvidence? evidence)
    {
        if (report.Policy is null || evidence is null)
        {
            return new AcceptRequest(null, [], "the policy did not load or no live evidence was gathered");
        }

        if (evidence.Target != EvidenceTarget.Parent)
        {
            return new AcceptRequest(null, [], "the evidence is from --target policy, which does not ask the parent");
        }

        var full = Path.GetFullPath(policyPath, environment.WorkingDirectory);
        var root = Path.GetDirectoryName(full);
        while (root is not null && !Directory.Exists(Path.Combine(root, ".git")) && !File.Exists(Path.Combine(root, ".git")))
        {
            root = Path.GetDirectoryName(root);
        }

        if (root is null)
        {
            return new AcceptRequest(null, [], $"{policyPath} is not in a git work tree, so its path in the repository is not known");
        }

        var checkedZones = (report.CheckedZones ?? []).ToHashSet();
        var live = evidence.Zones.Where(z => checkedZones.Contains(z.Zone)).Select(ReferralBaseline.Capture).ToList();
        return new AcceptRequest(Path.GetRelativePath(root, full).Replace(Path.DirectorySeparatorChar, '/'), live);
    }
}
