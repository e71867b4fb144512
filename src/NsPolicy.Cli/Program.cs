using System.Collections;
using NsPolicy.Core.Secrets;

namespace NsPolicy.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var masker = SecretMasker.For(Environment(), GitHubTokenArgument(args));
        var stdout = new ConsoleWriter(Console.Out, masker, "standard output");
        var stderr = new ConsoleWriter(Console.Error, masker, "standard error");
        // The logger writes to Console.Error itself: it goes through the masking writer too.
        Console.SetOut(stdout);
        Console.SetError(stderr);
        var app = new NsPolicyApp(stdout, stderr, TimeProvider.System, new CliEnvironment { Masker = masker });
        var code = await app.RunAsync(args, CancellationToken.None).ConfigureAwait(false);
        return NsPolicyApp.FinishOutput(stdout, stderr, code);
    }

    private static IEnumerable<KeyValuePair<string, string?>> Environment() =>
        System.Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .Select(e => new KeyValuePair<string, string?>((string)e.Key, e.Value as string));

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
