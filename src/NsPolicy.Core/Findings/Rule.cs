namespace NsPolicy.Core.Findings;

/// <summary>
/// One finding code a check can emit: stable once released, with its default severity,
/// a one-line title and an explanation of why it matters and how to fix it.
/// </summary>
public sealed record Rule(string Code, Severity DefaultSeverity, string Title, string Explanation);
