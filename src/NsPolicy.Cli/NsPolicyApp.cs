using System.CommandLine;
using System.Globalization;
using System.Reflection;
using NsPolicy.Core.Checks;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;
using NsPolicy.Core.Reporting;
using NsPolicy.Core.Validation;
using NsPolicy.Dns;

namespace NsPolicy.Cli;

/// <summary>
/// The command line: parses arguments, wires Core to the console, and turns outcomes into exit
/// codes (0 clean, 1 findings at or above --fail-on, 2 usage or unreadable input, 3 internal).
/// Results go to <c>stdout</c>; diagnostics (errors, warnings, --verbose lines) go to <c>stderr</c>.
/// </summary>
internal sealed class NsPolicyApp(TextWriter stdout, TextWriter stderr, TimeProvider time, CliEnvironment environment)
{
    public static string Version { get; } =
        typeof(NsPolicyApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    private readonly Option<bool> verbose = new("--verbose", "-v")
    {
        Description = "Log what nspolicy does to stderr.",
        Recursive = true,
    };

    private readonly Option<bool> quiet = new("--quiet", "-q")
    {
        Description = "Log nothing but errors to stderr.",
        Recursive = true,
    };

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var root = BuildCommands();
        ParseResult? parse = null;
        try
        {
            // No response files: '@' introduces a server in 'nspolicy query NAME @SERVER', as in dig.
            parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
            if (parse.Errors.Count > 0)
            {
                return await UsageErrorAsync(parse, root, parse.Errors.Select(e => e.Message), inCommandLine: true).ConfigureAwait(false);
            }

            if (environment.GuardError is { } guardError)
            {
                return await UsageErrorAsync(parse, root, [guardError], inCommandLine: false).ConfigureAwait(false);
            }

            var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
            return await parse.InvokeAsync(config, cancellationToken).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            return await UsageErrorAsync(parse, root, [e.Message], e.InCommandLine).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("nspolicy: cancelled").ConfigureAwait(false);
            return ExitCodes.Internal;
        }
        catch (OutputFailedException e)
        {
            return ReportOutputFailure(stderr, e);
        }
#pragma warning disable CA1031 // The last line of defence: any bug becomes exit code 3 with a message, not a crash dump.
        catch (Exception e)
#pragma warning restore CA1031
        {
            await stderr.WriteLineAsync($"nspolicy: internal error: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            if (parse?.GetValue(verbose) == true)
            {
                await stderr.WriteLineAsync(e.ToString()).ConfigureAwait(false);
            }

            await stderr.WriteLineAsync("This is a bug in nspolicy; please report it with the command line and input.").ConfigureAwait(false);
            return ExitCodes.Internal;
        }
    }

    /// <summary>
    /// The one way usage errors leave (exit 2): each message on stderr and, when the command line
    /// itself is wrong, where to find the usage of the command.
    /// </summary>
    private async Task<int> UsageErrorAsync(ParseResult? parse, RootCommand root, IEnumerable<string> messages, bool inCommandLine)
    {
        foreach (var message in messages)
        {
            await stderr.WriteLineAsync($"nspolicy: {message}").ConfigureAwait(false);
        }

        if (inCommandLine && parse is not null)
        {
            var command = parse.CommandResult.Command == root ? "nspolicy" : $"nspolicy {parse.CommandResult.Command.Name}";
            await stderr.WriteLineAsync($"Run '{command} --help' for usage.").ConfigureAwait(false);
        }

        return ExitCodes.Usage;
    }

    /// <summary>
    /// Flushes what is left of standard output and error after a command; when standard output
    /// cannot be written (a full disk, a closed pipe) the exit code is 2 with a message.
    /// </summary>
    public static int FinishOutput(TextWriter stdout, TextWriter stderr, int code)
    {
        try
        {
            stdout.Flush();
        }
        catch (OutputFailedException e)
        {
            return ReportOutputFailure(stderr, e);
        }

        try
        {
            stderr.Flush();
        }
        catch (OutputFailedException)
        {
            // Nowhere left to say it.
        }

        return code;
    }

    private static int ReportOutputFailure(TextWriter stderr, OutputFailedException e)
    {
        try
        {
            stderr.WriteLine($"nspolicy: {e.Message}");
            stderr.Flush();
        }
        catch (OutputFailedException)
        {
            // Standard error failed too: the exit code is all that is left.
        }

        return ExitCodes.Usage;
    }

    private RootCommand BuildCommands()
    {
        var root = new RootCommand("nspolicy keeps DNS delegations honest: it checks a committed YAML policy (expected nameservers, glue, DS records, limits) against zone files and live DNS.")
        {
            verbose,
            quiet,
        };
        root.Subcommands.Add(ValidateCommand());
        root.Subcommands.Add(SchemaCommand());
        root.Subcommands.Add(RulesCommand());
        root.Subcommands.Add(ExplainCommand());
        root.Subcommands.Add(new QueryCommand(stdout, stderr, environment).Build());
        root.Subcommands.Add(new CheckCommand(stdout, stderr, time, environment).Build());
        root.Subcommands.Add(new InventoryCommand(stdout, stderr, time, environment).Build());
        root.Subcommands.Add(new CheckZoneCommand(stdout, stderr, time, environment).Build());
        root.Subcommands.Add(new DiffCommand(stdout, time, environment).Build());
        root.Subcommands.Add(new InitCommand(stdout, stderr, time, environment).Build());
        return root;
    }

    private Command ValidateCommand()
    {
        var policy = CliOptions.Policy("The policy file to validate.");
        var allowIncludeOutside = CliOptions.AllowIncludeOutside("Let the policy's zone files and root hints be files outside the repository (the git work tree that holds the policy, else its folder), symbolic links followed; as for check. Only regular files count either way.");
        var reports = new ReportOutputs(stdout, stderr, environment);
        var failOn = FailOn.CreateOption();

        var command = new Command("validate", "Check the policy file itself: YAML, schema, and consistency (duplicate zones, glue, DS, sets, acknowledgements; the zone files and root hints it names exist and may be read). No network.")
        {
            policy,
            allowIncludeOutside,
            failOn,
        };
        reports.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var targets = reports.Resolve(parse);

            var path = parse.GetValue(policy)!;
            await DebugAsync(parse, $"validating {path}").ConfigureAwait(false);
            ValidationReport report;
            try
            {
                report = await new PolicyValidator(time) { AllowOutside = parse.GetValue(allowIncludeOutside) }.ValidateFileAsync(environment.FullPath(path), path, ct).ConfigureAwait(false);
            }
            catch (PolicyUnreadableException e)
            {
                throw new UsageException(e.Message);
            }

            if (!await reports.WriteAsync(targets, new ReportInput(Version, path, report.Policy, report.Findings), ct).ConfigureAwait(false))
            {
                return ExitCodes.Usage;
            }

            var threshold = parse.GetValue(failOn);
            await DebugAsync(parse, string.Create(CultureInfo.InvariantCulture, $"{report.Findings.Count} finding(s); failing on {threshold}")).ConfigureAwait(false);
            return FailOn.ExitCode(report.Findings, threshold);
        });
        return command;
    }

    private Command SchemaCommand()
    {
        var command = new Command("schema", "Print the policy JSON Schema (for editors and other tools).");
        command.SetAction(async (_, _) =>
        {
            await stdout.WriteAsync(PolicySchema.Text).ConfigureAwait(false);
            return ExitCodes.Clean;
        });
        return command;
    }

    private Command RulesCommand()
    {
        var command = new Command("rules", "List every finding code with its default severity and title.");
        command.SetAction(async (_, _) =>
        {
            var width = CheckCatalogue.Rules.Max(r => r.Code.Length);
            foreach (var rule in CheckCatalogue.Rules.OrderBy(r => r.Code, StringComparer.Ordinal))
            {
                await stdout.WriteAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{rule.Code.PadRight(width)}  {rule.DefaultSeverity.ToName(),-7}  {rule.Title}\n")).ConfigureAwait(false);
            }

            return ExitCodes.Clean;
        });
        return command;
    }

    private Command ExplainCommand()
    {
        var code = new Argument<string>("CODE") { Description = "A finding code, e.g. POLICY_GLUE_MISSING." };
        var command = new Command("explain", "Explain a finding code: why it matters and how to fix it.") { code };
        command.SetAction(async (parse, _) =>
        {
            var name = parse.GetValue(code)!.Trim().ToUpperInvariant();
            var rule = CheckCatalogue.Find(name) ?? throw new UsageException($"unknown code '{Excerpt.Of(name)}'; 'nspolicy rules' lists them");

            await stdout.WriteAsync($"{rule.Code} ({rule.DefaultSeverity.ToName()}): {rule.Title}\n\n{rule.Explanation}\n").ConfigureAwait(false);
            return ExitCodes.Clean;
        });
        return command;
    }

    /// <summary>With --verbose (and not --quiet): <c>nspolicy: debug: MESSAGE</c> on stderr.</summary>
    private async Task DebugAsync(ParseResult parse, string message)
    {
        if (parse.GetValue(verbose) && !parse.GetValue(quiet))
        {
            await stderr.WriteAsync($"nspolicy: debug: {message}\n").ConfigureAwait(false);
        }
    }
}
