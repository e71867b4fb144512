using System.CommandLine;
using System.Globalization;
using System.Text;
using NsPolicy.Core.Init;
using NsPolicy.Core.Live;
using NsPolicy.Core.Output;
using NsPolicy.Dns;
using NsPolicy.Dns.Files;
using NsPolicy.Dns.Resolution;
using NsPolicy.Dns.Transport;
using NsPolicy.Dns.ZoneFiles;
using NsPolicy.Dns.Zones;

namespace NsPolicy.Cli;

/// <summary>
/// <c>nspolicy init ZONE...</c> and <c>nspolicy init --zone-file FILE [--origin NAME]...</c>: write a
/// policy that captures today's delegation (NS set, glue, DS, nameserver count) as the baseline to commit.
/// </summary>
internal sealed class InitCommand(TextWriter stdout, TextWriter stderr, TimeProvider time, CliEnvironment environment)
{
    private const string ExitCodeHelp =
        "Exit codes: 0 the policy was written and nothing needs a decision; 1 something does (parent servers that disagree or did not answer, " +
        "missing glue, fewer than two nameservers, a zone not captured: each is said on stderr and as a comment in the policy; " +
        "when no zone could be captured nothing is written); 2 usage error, unreadable or invalid input, or the output exists without --force; 3 internal error.";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public Command Build()
    {
        var zones = new Argument<DnsName[]>("ZONE")
        {
            Description = "The zones whose delegation to capture, as their parents publish it.",
            Arity = ArgumentArity.ZeroOrMore,
            CustomParser = ParseZones,
        };
        var zoneFile = new Option<string[]>("--zone-file")
        {
            Description = "Capture the delegation from this zone file instead (apex NS, addresses of in-zone nameservers, SHA-256 DS of the SEP keys); no network. Repeat it for several zones.",
            HelpName = "FILE",
        };
        var origin = CliOptions.Name("--origin", "With one --zone-file: the zone's name (its apex). Default: the file's first $ORIGIN, or its SOA owner when written as an absolute name.");
        var rootHints = new Option<string?>("--root-hints")
        {
            Description = "Root hints file (named.root format) instead of the built-in IANA root servers; the policy's settings.root-hints names it.",
            HelpName = "FILE",
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Where to write the policy; - (the default) is standard output.",
            DefaultValueFactory = _ => "-",
            HelpName = "FILE",
        };
        var force = new Option<bool>("--force") { Description = "Overwrite --output when it exists." };
        var allowIncludeOutside = CliOptions.AllowIncludeOutside("Let the policy name root hints or zone files outside its repository (the git work tree that holds --output, else its folder), symbolic links followed. Without it such a file is a usage error here, as validate and check would refuse the policy; with it, give them --allow-include-outside too.");
        var timeout = CliOptions.Duration("--timeout", "Time to wait for one answer, e.g. 500ms or 2s; each of the 2 retries waits twice as long.", "2s");

        var command = new Command("init", "Write a policy that captures today's delegation of the given zones (the NS set, glue and DS at the parent; min-nameservers = the count found, at most 13), or of one zone file, as the baseline to commit. " + ExitCodeHelp)
        {
            zones,
            zoneFile,
            origin,
            rootHints,
            output,
            force,
            allowIncludeOutside,
            timeout,
        };
        command.Validators.Add(result =>
        {
            var fromFile = CliOptions.Given(result, zoneFile);
            if (fromFile == result.GetResult(zones) is { Tokens.Count: > 0 })
            {
                result.AddError("give either zones or --zone-file FILE [--origin NAME] (--zone-file may repeat)");
            }
            else if (CliOptions.Given(result, origin) && (result.GetValue(zoneFile)?.Length ?? 0) != 1)
            {
                result.AddError("--origin goes with one --zone-file; with several, each file states its origin ($ORIGIN or an absolute SOA owner)");
            }
            else if (fromFile && CliOptions.Given(result, rootHints))
            {
                result.AddError("--root-hints has no use with --zone-file, which asks no server");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            var names = parse.GetValue(zones) ?? [];
            var files = parse.GetValue(zoneFile) ?? [];
            var hintsPath = parse.GetValue(rootHints);
            var outputPath = parse.GetValue(output)!;
            string? outputFull = null;
            if (outputPath != "-")
            {
                outputFull = Path.GetFullPath(outputPath, environment.WorkingDirectory);
                if (AtomicFile.Refusal(outputFull) is { } refusal)
                {
                    throw new UsageException($"{outputPath}: {refusal}");
                }

                if (File.Exists(outputFull) && !parse.GetValue(force))
                {
                    throw new UsageException($"{outputPath} exists; nspolicy init overwrites it only with --force");
                }

                if (!Directory.Exists(Path.GetDirectoryName(outputFull)))
                {
                    throw new UsageException($"{outputPath}: the directory {Path.GetDirectoryName(outputFull)} does not exist");
                }
            }

            var policyFolder = outputFull is null ? environment.WorkingDirectory : Path.GetDirectoryName(outputFull)!;
            RefuseWhatValidateWould(files, hintsPath, policyFolder, parse.GetValue(allowIncludeOutside));
            var captured = files.Length > 0
                ? await FromZoneFilesAsync(files, parse.GetValue(origin), policyFolder, ct).ConfigureAwait(false)
                : await FromParentsAsync(names, hintsPath, parse.GetValue(timeout).Value, policyFolder, ct).ConfigureAwait(false);
            foreach (var (zone, problem) in captured.Problems)
            {
                await stderr.WriteLineAsync($"nspolicy: {zone}: {problem}").ConfigureAwait(false);
            }

            if (!captured.AnyCaptured)
            {
                await stderr.WriteLineAsync("nspolicy: no zone could be captured; nothing was written").ConfigureAwait(false);
                return ExitCodes.Findings;
            }

            var text = captured.Write();
            if (outputFull is null)
            {
                await stdout.WriteAsync(text).ConfigureAwait(false);
            }
            else
            {
                try
                {
                    await AtomicFile.WriteAsync(outputFull, text, environment.Masker, ct, overwrite: parse.GetValue(force)).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new UsageException($"{outputPath}: cannot write: {e.Message}");
                }
            }

            return captured.NeedsDecision ? ExitCodes.Findings : ExitCodes.Clean;
        });
        return command;
    }

    /// <summary>The ZONE arguments: names, none of them the root (which has no parent to capture from).</summary>
    private static DnsName[] ParseZones(System.CommandLine.Parsing.ArgumentResult result)
    {
        var zones = new List<DnsName>();
        foreach (var token in result.Tokens)
        {
            if (!DnsName.TryParse(token.Value, out var name, out var error))
            {
                result.AddError($"{token.Value}: {error}");
                return [];
            }

            if (name!.IsRoot)
            {
                result.AddError("the root zone has no parent to capture a delegation from");
                return [];
            }

            zones.Add(name);
        }

        return [.. zones];
    }

    private async Task<PolicyCapture> FromParentsAsync(DnsName[] zones, string? hintsPath, TimeSpan wait, string policyFolder, CancellationToken ct)
    {
        RootHints hints;
        string? hintsForPolicy = null;
        try
        {
            hints = hintsPath is null ? RootHints.Iana : await RootHints.LoadAsync(Path.GetFullPath(hintsPath, environment.WorkingDirectory), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new UsageException($"cannot read root hints: {e.Message}");
        }

        if (hintsPath is not null)
        {
            hintsForPolicy = Relative(policyFolder, hintsPath);
        }

        return await PolicyCapture.FromParentsAsync(zones, hints, hintsForPolicy, wait, environment.Guard, time, ct).ConfigureAwait(false);
    }

    /// <summary>Captures each zone file; the zone of each is <paramref name="origin"/> (one file only) or what the file states.</summary>
    private async Task<PolicyCapture> FromZoneFilesAsync(IReadOnlyList<string> paths, DnsName? origin, string policyFolder, CancellationToken ct)
    {
        var baselines = new List<ZoneBaseline>();
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path, environment.WorkingDirectory);
            if (Directory.Exists(full))
            {
                throw new UsageException($"{path}: cannot read the zone file: it is a directory");
            }

            ZoneModel zone;
            try
            {
                var apex = origin ?? StatedOrigin.Find(full)
                    ?? throw new UsageException($"{path}: the file states no origin (no $ORIGIN, and no SOA owner written as an absolute name before the first records); give --origin NAME");
                if (baselines.Any(b => b.Zone == apex))
                {
                    throw new UsageException($"{path}: zone {apex} is already captured from another --zone-file");
                }

                zone = await PolicyCapture.LoadZoneFileAsync(full, path, apex, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"{path}: cannot read the zone file: {e.Message}");
            }

            if (zone.Errors.Count > 0)
            {
                foreach (var e in zone.Errors)
                {
                    await stderr.WriteLineAsync($"{e}").ConfigureAwait(false);
                }

                throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{path}: {zone.Errors.Count} error(s) in the zone file; nothing was written"));
            }

            baselines.Add(ZoneFileBaseline.Capture(zone, path, Relative(policyFolder, path)));
        }

        return new PolicyCapture(baselines, PolicyWriterOptions.FromZoneFiles(paths));
    }

    /// <summary>
    /// The files the policy will name (root hints, zone files) go through the file-access policy
    /// validate and check apply to them, from the policy's folder: a file they would refuse (outside
    /// the policy's repository without --allow-include-outside, not a regular file) is a usage
    /// error now, not a policy that fails later.
    /// </summary>
    private void RefuseWhatValidateWould(IReadOnlyList<string> zoneFiles, string? hintsPath, string policyFolder, bool allowOutside)
    {
        var access = FileAccessPolicy.ForRepositoryOf(Path.Combine(policyFolder, "nspolicy.yaml"), allowOutside);
        var named = zoneFiles.Select(f => (Option: "--zone-file", Path: f, Limit: FileAccessPolicy.MaxZoneFileBytes));
        if (hintsPath is not null)
        {
            named = named.Append(("--root-hints", hintsPath, FileAccessPolicy.MaxRootHintsBytes));
        }

        foreach (var (option, path, limit) in named)
        {
            if (access.Check(Path.GetFullPath(path, environment.WorkingDirectory), limit, out _, out _) is { } problem and not FileAccessPolicy.MissingReason)
            {
                throw new UsageException($"{option} {Excerpt.Of(path, 80)}: the policy would name a file that validate and check refuse: it {problem}"
                    + (problem.Contains("--allow-include-outside", StringComparison.Ordinal) ? " (give it to validate and check as well)" : string.Empty));
            }
        }
    }

    /// <summary><paramref name="path"/> (as given on the command line) relative to the policy's folder, with '/'.</summary>
    private string Relative(string policyFolder, string path) =>
        Path.GetRelativePath(policyFolder, Path.GetFullPath(path, environment.WorkingDirectory)).Replace(Path.DirectorySeparatorChar, '/');

}
