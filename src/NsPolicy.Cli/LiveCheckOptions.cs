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

    private readonly Option<string[]> resolvers = new("--resolver")
    {
        Description = "A recursive resolver whose answers must agree and validate (repeatable); replaces settings.resolvers.",
        HelpName = "ADDR",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<int> concurrency = new("--concurrency")
    {
        Description = "Queries in flight at once, and zones gathered at once.",
        DefaultValueFactory = _ => 64,
        HelpName = "N",
    };

    private readonly Option<string?> timeout = new("--timeout")
    {
        Description = "Time to wait for one answer, e.g. 500ms or 2s (at most 300s); replaces settings.timeout.",
        HelpName = "D",
    };

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

    private readonly Option<string> signatureWindow = new("--signature-window")
    {
        Description = "Report DNSKEY signatures that expire within this time, e.g. 7d, 48h.",
        DefaultValueFactory = _ => "7d",
        HelpName = "D",
    };

    public LiveCheckOptions()
    {
        target.AcceptOnlyFromAmong("parent", "policy");
    }

    public void AddTo(Command command)
    {
        command.Options.Add(rootHints);
        command.Options.Add(resolvers);
        command.Options.Add(concurrency);
        command.Options.Add(timeout);
        command.Options.Add(target);
        command.Options.Add(saveEvidence);
        command.Options.Add(evidence);
        command.Options.Add(signatureWindow);
    }

    /// <summary>The live stage the options ask for, or a usage error.</summary>
    public LiveStage? CreateStage(ParseResult parse, string policyPath, bool offline, CliEnvironment environment, TextWriter stderr, TimeProvider time, out string? error)
    {
        error = null;
        var addresses = new List<IPAddress>();
        foreach (var text in parse.GetValue(resolvers) ?? [])
        {
            if (!IPAddress.TryParse(text, out var address))
            {
                error = $"--resolver {text}: not an IP address";
                return null;
            }

            addresses.Add(address);
        }

        TimeSpan? wait = null;
        if (parse.GetValue(timeout) is { } timeoutText)
        {
            if (!LiveDuration.TryParse(timeoutText, out var parsed))
            {
                error = $"--timeout {timeoutText}: expected a duration of at most {LiveDuration.MaxTimeoutText} such as 500ms or 2s";
                return null;
            }

            wait = parsed;
        }

        var windowText = parse.GetValue(signatureWindow)!;
        if (!LiveDuration.TryParseLong(windowText, out var window))
        {
            error = $"--signature-window {windowText}: expected a duration such as 7d, 48h or 3600s";
            return null;
        }

        var parallel = parse.GetValue(concurrency);
        if (parallel < 1)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"--concurrency {parallel}: must be at least 1");
            return null;
        }

        var replay = parse.GetValue(evidence);
        if (replay is not null && offline)
        {
            error = "--evidence replays the live checks; it cannot be combined with --offline";
            return null;
        }

        var options = new LiveStageOptions
        {
            PolicyDirectory = Path.GetDirectoryName(Path.GetFullPath(policyPath, environment.WorkingDirectory)) ?? ".",
            RootHintsPath = parse.GetValue(rootHints) is { } hints ? Path.GetFullPath(hints, environment.WorkingDirectory) : null,
            Resolvers = addresses.Count > 0 ? addresses : null,
            Timeout = wait,
            Concurrency = parallel,
            Target = parse.GetValue(target) == "policy" ? EvidenceTarget.Policy : EvidenceTarget.Parent,
            EvidencePath = replay is null ? null : Path.GetFullPath(replay, environment.WorkingDirectory),
            SaveEvidencePath = parse.GetValue(saveEvidence) is { } save ? Path.GetFullPath(save, environment.WorkingDirectory) : null,
            Checks = new LiveCheckSettings { SignatureWindow = window },
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
