using System.CommandLine;
using System.Globalization;
using System.Text;
using NsPolicy.Core.Init;
using NsPolicy.Core.Live;
using NsPolicy.Dns;
using NsPolicy.Dns.Resolution;
using NsPolicy.Dns.Transport;
using NsPolicy.Dns.ZoneFiles;
using NsPolicy.Dns.Zones;

namespace NsPolicy.Cli;

/// <summary>
/// <c>nspolicy init ZONE...</c> and <c>nspolicy init --zone-file FILE --origin NAME</c>: write a
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
        var zones = new Argument<string[]>("ZONE")
        {
            Description = "The zones whose delegation to capture, as their parents publish it.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var zoneFile = new Option<string?>("--zone-file")
        {
            Description = "Capture the delegation from this zone file instead (apex NS, addresses of in-zone nameservers, SHA-256 DS of the SEP keys); no network.",
            HelpName = "FILE",
        };
        var origin = new Option<string?>("--origin")
        {
            Description = "With --zone-file: the zone's name (its apex).",
            HelpName = "NAME",
        };
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
        var timeout = new Option<string>("--timeout")
        {
            Description = "Time to wait for one answer, e.g. 500ms or 2s; each of the 2 retries waits twice as long.",
            DefaultValueFactory = _ => "2s",
            HelpName = "D",
        };

        var command = new Command("init", "Write a policy that captures today's delegation of the given zones (the NS set, glue and DS at the parent; min-nameservers = the count found), or of one zone file, as the baseline to commit. " + ExitCodeHelp)
        {
            zones,
            zoneFile,
            origin,
            rootHints,
            output,
            force,
            timeout,
        };
        command.SetAction(async (parse, ct) =>
        {
            var names = parse.GetValue(zones) ?? [];
            var file = parse.GetValue(zoneFile);
            var originText = parse.GetValue(origin);
            var hintsPath = parse.GetValue(rootHints);
            var outputPath = parse.GetValue(output)!;
            if ((file is null && names.Length == 0) || (file is not null && names.Length > 0))
            {
                return await UsageAsync("give either zones or --zone-file FILE --origin NAME").ConfigureAwait(false);
            }

            if ((file is null) != (originText is null))
            {
                return await UsageAsync("--zone-file and --origin go together").ConfigureAwait(false);
            }

            if (file is not null && hintsPath is not null)
            {
                return await UsageAsync("--root-hints has no use with --zone-file, which asks no server").ConfigureAwait(false);
            }

            if (!LiveDuration.TryParse(parse.GetValue(timeout), out var wait))
            {
                return await UsageAsync($"--timeout {parse.GetValue(timeout)}: expected a duration of at most {LiveDuration.MaxTimeoutText} such as 500ms or 2s").ConfigureAwait(false);
            }

            string? outputFull = null;
            if (outputPath != "-")
            {
                outputFull = Path.GetFullPath(outputPath, environment.WorkingDirectory);
                if (Directory.Exists(outputFull))
                {
                    return await UsageAsync($"{outputPath}: is a directory").ConfigureAwait(false);
                }

                if (File.Exists(outputFull) && !parse.GetValue(force))
                {
                    return await UsageAsync($"{outputPath} exists; nspolicy init overwrites it only with --force").ConfigureAwait(false);
                }

                if (!Directory.Exists(Path.GetDirectoryName(outputFull)))
                {
                    return await UsageAsync($"{outputPath}: the directory {Path.GetDirectoryName(outputFull)} does not exist").ConfigureAwait(false);
                }
            }

            var policyFolder = outputFull is null ? environment.WorkingDirectory : Path.GetDirectoryName(outputFull)!;
            var captured = file is not null
                ? await FromZoneFileAsync(file, originText!, policyFolder, ct).ConfigureAwait(false)
                : await FromParentsAsync(names, hintsPath, wait, policyFolder, ct).ConfigureAwait(false);
            if (captured.Exit is { } exit)
            {
                return exit;
            }

            var baselines = captured.Zones;
            foreach (var zone in baselines.OrderBy(z => z.Zone))
            {
                foreach (var problem in zone.Problems)
                {
                    await stderr.WriteLineAsync($"nspolicy: {zone.Zone}: {problem}").ConfigureAwait(false);
                }
            }

            if (!baselines.Any(z => z.Captured))
            {
                await stderr.WriteLineAsync("nspolicy: no zone could be captured; nothing was written").ConfigureAwait(false);
                return ExitCodes.Findings;
            }

            var text = PolicyWriter.Write(baselines, captured.Options!);
            if (outputFull is null)
            {
                await stdout.WriteAsync(text).ConfigureAwait(false);
            }
            else
            {
                try
                {
                    await WriteAtomicallyAsync(outputFull, text, parse.GetValue(force), ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return await UsageAsync($"{outputPath}: cannot write: {e.Message}").ConfigureAwait(false);
                }
            }

            return baselines.Any(z => z.Problems.Count > 0) ? ExitCodes.Findings : ExitCodes.Clean;
        });
        return command;
    }

    private async Task<Captured> FromParentsAsync(string[] texts, string? hintsPath, TimeSpan wait, string policyFolder, CancellationToken ct)
    {
        var zones = new List<DnsName>();
        foreach (var text in texts)
        {
            if (!DnsName.TryParse(text, out var name, out var error))
            {
                return new Captured(await UsageAsync($"{text}: {error}").ConfigureAwait(false));
            }

            if (name!.IsRoot)
            {
                return new Captured(await UsageAsync("the root zone has no parent to capture a delegation from").ConfigureAwait(false));
            }

            zones.Add(name);
        }

        RootHints hints;
        string? hintsForPolicy = null;
        try
        {
            hints = hintsPath is null ? RootHints.Iana : await RootHints.LoadAsync(Path.GetFullPath(hintsPath, environment.WorkingDirectory), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return new Captured(await UsageAsync($"cannot read root hints: {e.Message}").ConfigureAwait(false));
        }

        if (hintsPath is not null)
        {
            hintsForPolicy = Relative(policyFolder, hintsPath);
        }

        var collector = new LiveCollector(new DnsTransport(environment.Guard), new LiveOptions { Hints = hints, Timeout = wait }, time);
        var evidence = await collector.CollectReferralsAsync(zones, ct).ConfigureAwait(false);
        return new Captured(
            [.. evidence.Zones.Select(ReferralBaseline.Capture)],
            PolicyWriterOptions.FromParents(hintsForPolicy));
    }

    private async Task<Captured> FromZoneFileAsync(string path, string originText, string policyFolder, CancellationToken ct)
    {
        if (!DnsName.TryParse(originText, out var apex, out var error))
        {
            return new Captured(await UsageAsync($"--origin {originText}: {error}").ConfigureAwait(false));
        }

        var full = Path.GetFullPath(path, environment.WorkingDirectory);
        if (Directory.Exists(full))
        {
            return new Captured(await UsageAsync($"{path}: cannot read the zone file: it is a directory").ConfigureAwait(false));
        }

        ZoneModel zone;
        try
        {
            zone = await Task.Run(() => ZoneModel.Load(full, path, apex!, ZoneFileOptions.Default), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Captured(await UsageAsync($"{path}: cannot read the zone file: {e.Message}").ConfigureAwait(false));
        }

        if (zone.Errors.Count > 0)
        {
            foreach (var e in zone.Errors)
            {
                await stderr.WriteLineAsync($"{e}").ConfigureAwait(false);
            }

            return new Captured(await UsageAsync(string.Create(CultureInfo.InvariantCulture,
                $"{path}: {zone.Errors.Count} error(s) in the zone file; nothing was written")).ConfigureAwait(false));
        }

        return new Captured(
            [ZoneFileBaseline.Capture(zone, path, Relative(policyFolder, path))],
            PolicyWriterOptions.FromZoneFile(path));
    }

    /// <summary><paramref name="path"/> (as given on the command line) relative to the policy's folder, with '/'.</summary>
    private string Relative(string policyFolder, string path) =>
        Path.GetRelativePath(policyFolder, Path.GetFullPath(path, environment.WorkingDirectory)).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>A temporary file beside the target, renamed over it: readers see the old file or the whole new one. Without <paramref name="overwrite"/> the rename fails when the target appeared meanwhile.</summary>
    private static async Task WriteAtomicallyAsync(string full, string content, bool overwrite, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(full)!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await File.WriteAllTextAsync(temp, content, Utf8, cancellationToken).ConfigureAwait(false);
            File.Move(temp, full, overwrite);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private async Task<int> UsageAsync(string message)
    {
        await stderr.WriteLineAsync($"nspolicy: {message}").ConfigureAwait(false);
        return ExitCodes.Usage;
    }

    /// <summary>What was captured, or the exit code when something stopped it.</summary>
    private sealed record Captured(IReadOnlyList<ZoneBaseline> Zones, PolicyWriterOptions? Options, int? Exit = null)
    {
        public Captured(int exit)
            : this([], null, exit)
        {
        }
    }
}
