namespace NsPolicy.Cli;

/// <summary>
/// Input the command cannot work with, found after parsing (a file that cannot be read, options
/// that do not fit the environment). <see cref="NsPolicyApp"/> says the message on stderr and exits
/// with <see cref="ExitCodes.Usage"/>: every command's usage errors leave through that one place.
/// </summary>
internal sealed class UsageException : Exception
{
    /// <summary>The command line itself is wrong (options that do not fit together): the message is followed by where to find the usage, as the parser's errors are.</summary>
    public bool InCommandLine { get; init; }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException()
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
