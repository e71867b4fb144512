namespace NsPolicy.Cli;

internal static class Program
{
    public static Task<int> Main(string[] args) =>
        new NsPolicyApp(Console.Out, Console.Error, TimeProvider.System, new CliEnvironment()).RunAsync(args, CancellationToken.None);
}
