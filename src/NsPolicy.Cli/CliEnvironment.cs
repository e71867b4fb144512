namespace NsPolicy.Cli;

/// <summary>What the CLI reads from its surroundings, read once, so tests can set it.</summary>
internal sealed record CliEnvironment
{
    public CliEnvironment()
    {
        NoColor = Environment.GetEnvironmentVariable("NO_COLOR") is { Length: > 0 };
        OutputIsTerminal = !Console.IsOutputRedirected;
    }

    public bool NoColor { get; init; }

    public bool OutputIsTerminal { get; init; }
}
