using System.Collections;
using NsPolicy.Core.Secrets;

namespace NsPolicy.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var variables = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => e.Value as string, StringComparer.Ordinal);
        return await RunAsync(args, Console.Out, Console.Error, variables, new CliEnvironment(), TimeProvider.System).ConfigureAwait(false);
    }

    /// <summary>
    /// One run as <c>Main</c> does it, on the given console and surroundings (the tests run nspolicy
    /// in-process through here): every secret of <paramref name="variables"/> and --github-token
    /// masked on both streams, the exit code after the last output is flushed.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter console, TextWriter errors, IReadOnlyDictionary<string, string?> variables, CliEnvironment environment, TimeProvider time)
    {
        var masker = SecretMasker.For(variables, GitHubTokenArgument(args));
        var stdout = new ConsoleWriter(console, masker, "standard output");
        var stderr = new ConsoleWriter(errors, masker, "standard error");
        var app = new NsPolicyApp(stdout, stderr, time, environment with { Masker = masker });
        var code = await app.RunAsync(args, CancellationToken.None).ConfigureAwait(false);
        return NsPolicyApp.FinishOutput(stdout, stderr, code);
    }

    /// <summary>The value of --github-token, read before anything is parsed, so no output can show it.</summary>
    private static string? GitHubTokenArgument(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--github-token" && i + 1 < args.Length)
            {
                return args[i + 1];
            }

            if (args[i].StartsWith("--github-token=", StringComparison.Ordinal))
            {
                return args[i]["--github-token=".Length..];
            }
        }

        return null;
    }
}
