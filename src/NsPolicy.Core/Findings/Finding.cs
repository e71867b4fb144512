using NsPolicy.Dns;

namespace NsPolicy.Core.Findings;

/// <summary>
/// What a check found: the code, where the expectation was stated, and one plain sentence.
/// Severity is not chosen here; <see cref="Rated"/> gives it from the rule and the policy.
/// </summary>
public sealed record Finding(string Code, SourceLocation Location, string Message, DnsName? Zone = null)
{
    public string? Expected { get; init; }

    public string? Found { get; init; }

    /// <summary>
    /// What the finding is about, stable across edits of the policy: a nameserver name, an address,
    /// a DS key tag, a code. With the code and the zone it makes the finding's fingerprint, which
    /// tells reports, code scanning and issues that two runs found the same thing. Never a line
    /// number or message wording.
    /// </summary>
    public string? Subject { get; init; }

    /// <summary>
    /// The file the message names, written in the message as locations write files (relative to
    /// the working directory, or absolute), so reports that show repository-relative locations
    /// (annotations, SARIF) can name it the same way in the message.
    /// </summary>
    public string? MentionedFile { get; init; }
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
