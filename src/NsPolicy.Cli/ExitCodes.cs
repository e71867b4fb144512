namespace NsPolicy.Cli;

/// <summary>The process exit codes, as documented in the README.</summary>
internal static class ExitCodes
{
    /// <summary>Nothing at or above --fail-on.</summary>
    public const int Clean = 0;

    /// <summary>Findings at or above --fail-on.</summary>
    public const int Findings = 1;

    /// <summary>Usage error, input that cannot be read, or the GitHub API still failing after the retries.</summary>
    public const int Usage = 2;

    /// <summary>A bug in nspolicy.</summary>
    public const int Internal = 3;
}
