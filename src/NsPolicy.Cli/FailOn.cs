using System.CommandLine;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Reporting;

namespace NsPolicy.Cli;

/// <summary><c>--fail-on</c>, the same for every command that reports findings, and the exit code it gives.</summary>
internal static class FailOn
{
    /// <summary>The lowest severity that fails the run; <see cref="Severity.Off"/> for <c>none</c>: nothing fails it.</summary>
    public static Option<Threshold> CreateOption()
    {
        var failOn = new Option<Threshold>("--fail-on")
        {
            Description = "Exit with 1 when a finding at or above this severity is reported (none: never).",
            DefaultValueFactory = _ => new Threshold(Severity.Error, "error"),
            CustomParser = result => result.Tokens[^1].Value is var name && SeverityNames.TryParse(name, out var severity)
                ? new Threshold(severity, name)
                : new Threshold(Severity.Off, name),
        };
        failOn.AcceptOnlyFromAmong("error", "warning", "notice", "none");
        return failOn;
    }

    /// <summary>The exit code of a run that reported <paramref name="findings"/>.</summary>
    public static int ExitCode(IEnumerable<RatedFinding> findings, Threshold threshold) =>
        FindingSummary.Fails(findings, threshold.Severity) ? ExitCodes.Findings : ExitCodes.Clean;

    /// <summary>A <c>--fail-on</c> value: the severity (<see cref="Severity.Off"/> for none) and its name, which help shows.</summary>
    internal readonly record struct Threshold(Severity Severity, string Name)
    {
        public override string ToString() => Name;
    }
}
