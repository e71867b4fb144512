using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Output;
using NsPolicy.Core.Reporting;
using NsPolicy.Dns;

namespace NsPolicy.Cli;

/// <summary>One report to write: a format, and a file (null: standard output).</summary>
internal sealed record ReportTarget(ReportFormat Format, string? Path);

/// <summary>
/// The <c>--format FORMAT [--output FILE]</c> pairs that <c>validate</c> and <c>check</c> share.
/// Each <c>--output</c> belongs to the <c>--format</c> before it; a format without one goes to
/// standard output (at most one may). Files are written whole or not at all (a temporary file
/// beside the target, then a rename). Under GitHub Actions the github format also appends the
/// job summary to GITHUB_STEP_SUMMARY, and the counts and report paths go to GITHUB_OUTPUT.
/// </summary>
internal sealed class ReportOutputs(TextWriter stdout, TextWriter stderr, CliEnvironment environment)
{
    public Option<string[]> Format { get; } = CreateFormat();

    public Option<string[]> Output { get; } = new("--output", "-o")
    {
        Description = "Write the report of the --format before it to FILE instead of standard output ('-': standard output).",
        HelpName = "FILE",
        AllowMultipleArgumentsPerToken = false,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Format);
        command.Options.Add(Output);
    }

    /// <summary>
    /// Pairs formats with files in command-line order (the parser checked each format name);
    /// a <see cref="UsageException"/> when the pairs make no sense.
    /// </summary>
    public IReadOnlyList<ReportTarget> Resolve(ParseResult parse)
    {
        var targets = new List<ReportTarget>();
        var formatNames = Names(Format);
        var outputNames = Names(Output);
        var anyFormat = parse.Tokens.Any(t => t.Type == TokenType.Option && formatNames.Contains(t.Value));
        foreach (var (option, value) in parse.Tokens.Zip(parse.Tokens.Skip(1)).Where(p => p.First.Type == TokenType.Option).Select(p => (p.First.Value, p.Second.Value)))
        {
            if (formatNames.Contains(option))
            {
                targets.Add(new ReportTarget(
                    ReportFormats.TryParse(value, out var format) ? format : throw new UsageException($"unknown format '{Excerpt.Of(value)}'; use one of {string.Join(", ", ReportFormats.Names)}") { InCommandLine = true },
                    null));
            }
            else if (outputNames.Contains(option))
            {
                if (targets.Count == 0 && anyFormat)
                {
                    throw new UsageException($"--output {value} must follow the --format it is for, e.g. --format sarif --output {value}") { InCommandLine = true };
                }

                if (targets.Count == 0)
                {
                    targets.Add(new ReportTarget(ReportFormat.Text, null));
                }

                if (targets[^1].Path is not null)
                {
                    throw new UsageException($"--format {targets[^1].Format.ToName()} has two --output files ({targets[^1].Path} and {value}); repeat --format for each file") { InCommandLine = true };
                }

                targets[^1] = targets[^1] with { Path = value };
            }
        }

        targets = targets.Count == 0
            ? [new ReportTarget(ReportFormat.Text, null)]
            : [.. targets.Select(t => t.Path == "-" ? t with { Path = null } : t)];
        var toStdout = targets.Where(t => t.Path is null).ToList();
        if (toStdout.Count > 1)
        {
            throw new UsageException($"only one format can go to standard output, but {string.Join(" and ", toStdout.Select(t => t.Format.ToName()))} have no --output FILE") { InCommandLine = true };
        }

        if (targets.FirstOrDefault(t => t.Path is not null && AtomicFile.Refusal(environment.FullPath(t.Path)) is not null) is { Path: { } refused })
        {
            throw new UsageException($"--output {refused}: {AtomicFile.Refusal(environment.FullPath(refused))}");
        }

        var twice = targets.Where(t => t.Path is not null)
            .GroupBy(t => environment.FullPath(t.Path!), OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal)
            .FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new UsageException($"two formats would write the same file {twice.First().Path}") { InCommandLine = true };
        }

        return targets;
    }

    /// <summary>
    /// Writes every report, the job summary and the step outputs. False (after saying why on
    /// stderr) when a file cannot be written; reports already written stay whole.
    /// </summary>
    public async Task<bool> WriteAsync(IReadOnlyList<ReportTarget> targets, ReportInput input, CancellationToken cancellationToken)
    {
        input = input with { Paths = new RepositoryPaths(environment.WorkingDirectory, environment.RepositoryRoot), Findings = input.Findings.Masked(environment.Masker) };
        // Under Actions the text report names files from the workspace, as annotations do: the
        // problem matcher resolves its paths there, whatever the step's working-directory.
        var textInput = environment.InGitHubActions && environment.GitHubWorkspace is not null ? input.WithRepositoryPaths() : input;
        string? stdoutText = null;
        foreach (var target in targets)
        {
            var report = target.Format == ReportFormat.Text ? textInput : input;
            if (target.Path is null)
            {
                stdoutText = target.Format == ReportFormat.Text
                    ? TextReporter.Render(report, color: environment.OutputIsTerminal && !environment.NoColor)
                    : target.Format.Render(report);
                continue;
            }

            if (!await TryAsync(target.Path, () => AtomicFile.WriteAsync(environment.FullPath(target.Path), target.Format.Render(report), environment.Masker, cancellationToken)).ConfigureAwait(false))
            {
                return false;
            }
        }

        // Under Actions the job summary is written whatever the formats; elsewhere only for github.
        if (environment.GitHubStepSummary is { } summary && (environment.InGitHubActions || targets.Any(t => t.Format == ReportFormat.GitHub))
            && !await TryAsync(summary, () => File.AppendAllTextAsync(summary, environment.Masker.Apply(GitHubReporter.Summary(input)), Utf8, cancellationToken)).ConfigureAwait(false))
        {
            return false;
        }

        if (environment.GitHubOutput is { } outputs
            && !await TryAsync(outputs, () => File.AppendAllTextAsync(outputs, environment.Masker.Apply(StepOutputs(targets, input)), Utf8, cancellationToken)).ConfigureAwait(false))
        {
            return false;
        }

        if (stdoutText is not null)
        {
            await stdout.WriteAsync(stdoutText.AsMemory(), cancellationToken).ConfigureAwait(false);
            await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private static Option<string[]> CreateFormat()
    {
        var format = new Option<string[]>("--format", "-f")
        {
            Description = "Report format: text (default), json, sarif, github (annotations, plus the job summary under Actions) or markdown. Repeat it to write several reports, each followed by its own --output FILE.",
            HelpName = "FORMAT",
            AllowMultipleArgumentsPerToken = false,
        };
        format.AcceptOnlyFromAmong([.. ReportFormats.Names]);
        return format;
    }

    private static HashSet<string> Names(Option option) => [option.Name, .. option.Aliases];

    /// <summary>
    /// Step outputs: counts per severity, and the full path of each report written to a file
    /// (as <c>FORMAT-report</c>), in GitHub's multi-line syntax so no path can break the file.
    /// </summary>
    private string StepOutputs(IReadOnlyList<ReportTarget> targets, ReportInput input)
    {
        var s = FindingSummary.Of(input.Findings);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"errors={s.Errors}\nwarnings={s.Warnings}\nnotices={s.Notices}\nacknowledged={s.Acknowledged}\n");
        foreach (var target in targets.Where(t => t.Path is not null))
        {
            var path = environment.FullPath(target.Path!);
            var delimiter = "NSPOLICY_" + Guid.NewGuid().ToString("N");
            sb.Append(CultureInfo.InvariantCulture, $"{target.Format.ToName()}-report<<{delimiter}\n{path}\n{delimiter}\n");
        }

        return sb.ToString();
    }

    private async Task<bool> TryAsync(string path, Func<Task> write)
    {
        try
        {
            await write().ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"nspolicy: {path}: cannot write: {e.Message}").ConfigureAwait(false);
            return false;
        }
    }
}
