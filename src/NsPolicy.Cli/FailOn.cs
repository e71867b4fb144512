using System.CommandLine;
using NsPolicy.Core.Findings;

namespace NsPolicy.Cli;

/// <summary><c>--fail-on</c>, the same for every command that reports findings.</summary>
internal static class FailOn
{
    public static Option<string> CreateOption()
    {
        var failOn = new Option<string>("--fail-on")
        {
            Description = "Exit with 1 when a finding at or above this severity is reported (none: never).",
            DefaultValueFactory = _ => "error",
        };
        failOn.AcceptOnlyFromAmong("error", "warning", "notice", "none");
        return failOn;
    }

    /// <summary>The lowest severity that fails the run; <see cref="Severity.Off"/> for <c>none</c>: nothing fails it.</summary>
    public static Severity Threshold(ParseResult parse, Option<string> option) =>
        parse.GetValue(option) is { } level && SeverityNames.TryParse(level, out var severity) ? severity : Severity.Off;
}
