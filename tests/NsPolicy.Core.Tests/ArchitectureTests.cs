using System.Text.RegularExpressions;

namespace NsPolicy.Core.Tests;

/// <summary>
/// Dependencies inside NsPolicy.Core point one way: a namespace may use only namespaces in lower
/// layers (the order the README's Development section draws). Read from the source: each file's
/// namespace, its <c>using NsPolicy.Core.X</c> directives and any <c>NsPolicy.Core.X.</c> written out.
/// </summary>
public sealed partial class ArchitectureTests
{
    /// <summary>Layers, lowest first. A namespace uses only namespaces of lower layers; one layer's namespaces do not use each other.</summary>
    public static readonly string[][] Layers =
    [
        ["Findings", "Evidence", "Secrets"],
        ["Yaml"],
        ["Policy"],
        ["Checks"],
        ["Validation"],
        ["Changes"],
        ["Checking"],
        ["Live"],
        ["Init", "Inventory", "Reporting"],
        ["Accept"],
        ["GitHub"],
    ];

    private static string SourceRoot => Repository.PathOf("src", "NsPolicy.Core");

    [Fact]
    public void Every_namespace_of_core_has_a_layer()
    {
        var layered = Layers.SelectMany(l => l).ToHashSet(StringComparer.Ordinal);

        var unlayered = Edges().Select(e => e.From).Where(n => !layered.Contains(n)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        Assert.Equal([], unlayered);
    }

    [Fact]
    public void Namespaces_of_core_use_only_lower_layers()
    {
        var layer = Layers.SelectMany((names, i) => names.Select(n => (n, i))).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);

        var wrong = Edges()
            .Where(e => e.From != e.To && (!layer.TryGetValue(e.To, out var to) || !layer.TryGetValue(e.From, out var from) || to >= from))
            .Select(e => $"{e.File}: {e.From} uses {e.To}")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal([], wrong);
    }

    [Fact]
    public void The_reading_sees_usings_and_written_out_names()
    {
        var edges = Read("x.cs", "using NsPolicy.Core.Checks;\nusing System;\n\nnamespace NsPolicy.Core.Policy;\n\nclass A { NsPolicy.Core.Live.LiveStage? s; }\n").Where(e => e.To != e.From).ToList();

        Assert.Equal(["Checks", "Live"], edges.Select(e => e.To).Order(StringComparer.Ordinal));
        Assert.All(edges, e => Assert.Equal("Policy", e.From));
    }

    private sealed record Edge(string File, string From, string To);

    private static IEnumerable<Edge> Edges() =>
        Directory.EnumerateFiles(SourceRoot, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => Read(Path.GetRelativePath(Repository.Root, f).Replace('\\', '/'), File.ReadAllText(f)));

    private static IEnumerable<Edge> Read(string file, string text)
    {
        var ns = NamespaceLine().Match(text);
        Assert.True(ns.Success, $"{file} declares no NsPolicy.Core namespace");
        var from = ns.Groups[1].Value;
        yield return new Edge(file, from, from);
        foreach (var to in CoreName().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal))
        {
            yield return new Edge(file, from, to);
        }
    }

    [GeneratedRegex(@"^namespace NsPolicy\.Core(?:\.([A-Za-z]+))?", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"(?<![A-Za-z0-9_.])NsPolicy\.Core\.([A-Z][A-Za-z]+)\b")]
    private static partial Regex CoreName();
}
