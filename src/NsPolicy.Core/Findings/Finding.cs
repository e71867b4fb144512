namespace NsPolicy.Core.Findings;

/// <summary>
/// What a check found: the code, where the expectation was stated, and one plain sentence.
/// Severity is not chosen here; <see cref="Rated"/> gives it from the rule and the policy.
/// </summary>
public sealed record Finding(string Code, SourceLocation Location, string Message, string? Zone = null)
{
    public string? Expected { get; init; }

    public string? Found { get; init; }
}

/// <summary>A finding with the severity it carries after defaults, overrides and acknowledgements.</summary>
public sealed record RatedFinding(Finding Finding, Severity Severity, Acknowledged? Acknowledgement)
{
    public string Code => Finding.Code;

    public SourceLocation Location => Finding.Location;

    /// <summary>Whether this finding counts toward the exit code and the fail-on threshold.</summary>
    public bool Counts => Acknowledgement is null && Severity != Severity.Off;
}

/// <summary>An acknowledgement from the policy that covers a finding.</summary>
public sealed record Acknowledged(string Reason, DateOnly Until);
