using System.CommandLine;
using System.Globalization;
using System.Net;
using NsPolicy.Core.Checks;
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Live;

namespace NsPolicy.Cli;

/// <summary>
/// The options of <c>nspolicy check</c> that steer the live stage: where resolution starts, whom to
/// ask, how long to wait, what to check against, and saving or replaying evidence.
/// </summary>
internal sealed class LiveCheckOptions
{
    private readonly Option<string?> rootHints = new("--root-hints")
    {
        Description = "Root hints file (named.root form) to resolve from, instead of settings.root-hints or the built-in IANA hints.",
        HelpName = "FILE",
    };

    private readonly Option<IPAddress[]> resolvers = CliOptions.Addresses(
        "--resolver", "A recursive resolver whose answers must agree and validate (repeatable); replaces settings.resolvers.");

    private readonly Option<int> concurrency = CliOptions.Count(
        "--concurrency", "N", "Queries in flight at once, and zones gathered at once.", 64, 1, int.MaxValue,
        n => string.Create(CultureInfo.InvariantCulture, $"--concurrency {n}: must be at least 1"));

    private readonly Option<Duration?> timeout = CliOptions.OptionalDuration(
        "--timeout", "Time to wait for one answer, e.g. 500ms or 2s (at most 300s); replaces settings.timeout.");

    private readonly Option<string> target = new("--target")
    {
        Description = "parent: check the live delegation at the parent. policy: check that the policy's nameservers, reached through the policy's glue, are ready to be delegated to.",
        DefaultValueFactory = _ => "parent",
    };

    private readonly Option<string?> saveEvidence = new("--save-evidence")
    {
        Description = "Write everything gathered from DNS to this JSON file (replay it with --evidence).",
        HelpName = "FILE",
    };

    private readonly Option<string?> evidence = new("--evidence")
    {
        Description = "Judge a saved evidence file instead of asking DNS (no network; the file decides the target).",
        HelpName = "FILE",
    };

    private readonly Option<Duration> signatureWindow = CliOptions.LongDuration(
        "--signature-window", "Report DNSKEY, SOA and NS signatures that expire within this time, e.g. 7d, 48h.", "7d");

    private readonly Option<string?> ipv6 = new("--ipv6")
    {
        Description = "Ask nameservers at their IPv6 addresses too: auto (when this host has an IPv6 route, checked once), on, or off; replaces settings.ipv6 (default auto).",
    };

    public LiveCheckOptions()
    {
        target.AcceptOnlyFromAmong("parent", "policy");
        ipv6.AcceptOnlyFromAmong("auto", "on", "off");
    }

    /// <summary>Adds the options; <c>--evidence</c> and <paramref name="offline"/> exclude each other.</summary>
    public void AddTo(Command command, Option<bool> offline)
    {
        command.Options.Add(rootHints);
        command.Options.Add(resolvers);
        command.Options.Add(concurrency);
        command.Options.Add(timeout);
        command.Options.Add(target);
        command.Options.Add(ipv6);
        command.Options.Add(saveEvidence);
        command.Options.Add(evidence);
        command.Options.Add(signatureWindow);
        CliOptions.Exclusive(command, evidence, offline, "--evidence replays the live checks; it cannot be combined with --offline");
    }

    /// <summary>The live stage the options ask for.</summary>
    public LiveStage CreateStage(ParseResult parse, string policyPath, bool allowOutside, CliEnvironment environment, TextWriter stderr, TimeProvider time)
    {
        var addresses = parse.GetValue(resolvers) ?? [];
        var replay = parse.GetValue(evidence);
        var options = new LiveStageOptions
        {
            PolicyDirectory = Path.GetDirectoryName(Path.GetFullPath(policyPath, environment.WorkingDirectory)) ?? ".",
            AllowOutside = allowOutside,
            Masker = environment.Masker,
            RootHintsPath = parse.GetValue(rootHints) is { } hints ? Path.GetFullPath(hints, environment.WorkingDirectory) : null,
            Resolvers = addresses.Length > 0 ? addresses : null,
            Timeout = parse.GetValue(timeout)?.Value,
            Concurrency = parse.GetValue(concurrency),
            Target = parse.GetValue(target) == "policy" ? EvidenceTarget.Policy : EvidenceTarget.Parent,
            IPv6 = parse.GetValue(ipv6) switch
            {
                "auto" => IPv6Mode.Auto,
                "on" => IPv6Mode.On,
                "off" => IPv6Mode.Off,
                _ => null,
            },
            EvidencePath = replay is null ? null : Path.GetFullPath(replay, environment.WorkingDirectory),
            SaveEvidencePath = parse.GetValue(saveEvidence) is { } save ? Path.GetFullPath(save, environment.WorkingDirectory) : null,
            Checks = new LiveCheckSettings { SignatureWindow = parse.GetValue(signatureWindow).Value },
            Progress = environment.ErrorIsTerminal ? new ProgressLine(stderr) : null,
        };
        return new LiveStage(environment.Guard, options, time);
    }

    /// <summary>"checked 12/40 zones", rewritten in place on a terminal's stderr, erased at the end.</summary>
    private sealed class ProgressLine(TextWriter stderr) : IProgress<LiveProgress>
    {
        private readonly Lock gate = new();

        public void Report(LiveProgress value)
        {
            lock (gate)
            {
                stderr.Write(value.ZonesDone < value.ZonesTotal
                    ? string.Create(CultureInfo.InvariantCulture, $"\rnspolicy: checked {value.ZonesDone}/{value.ZonesTotal} zones")
                    : "\r\u001b[K");
                stderr.Flush();
            }
        }
    }
}
