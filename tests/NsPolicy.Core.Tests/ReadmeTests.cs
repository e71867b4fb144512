using NsPolicy.Core.Checks;
using NsPolicy.Core.Policy;
using NsPolicy.Core.Tests.Support;

namespace NsPolicy.Core.Tests;

public sealed class ReadmeTests
{
    private static string ReadmePath => Repository.PathOf("README.md");

    [Fact]
    public void Readme_policy_reference_matches_the_schema()
    {
        var schema = File.ReadAllText(Repository.PathOf("schemas", "nspolicy.schema.json"));
        AssertSection("policy-reference", ReadmeSections.PolicyReference(schema));
    }

    /// <summary>
    /// A merge whose conflict was left in a text file (the README above all, whose tests compare
    /// sections and would pass around the markers) fails here instead of landing.
    /// </summary>
    [Fact]
    public void No_text_file_of_the_repository_holds_a_merge_conflict_marker()
    {
        string[] extensions = [".md", ".cs", ".sh", ".yml", ".yaml", ".csproj", ".props", ".out", ".zone", ".mjs"];
        string[] skipped = ["bin", "obj", "TestResults", "node_modules", ".git", "artifacts"];
        var marked = new List<string>();
        var read = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Repository.Root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
        {
            var relative = Path.GetRelativePath(Repository.Root, file);
            if (!extensions.Contains(Path.GetExtension(file)) || relative.Split(Path.DirectorySeparatorChar).Any(skipped.Contains) || new FileInfo(file).Length > 4 << 20)
            {
                continue;
            }

            read.Add(relative);
            var number = 0;
            foreach (var line in File.ReadLines(file))
            {
                number++;
                if (line.StartsWith("<<<<<<< ", StringComparison.Ordinal) || line.StartsWith(">>>>>>> ", StringComparison.Ordinal) || line.StartsWith("||||||| ", StringComparison.Ordinal))
                {
                    marked.Add($"{relative}:{number}");
                }
            }
        }

        Assert.Contains("README.md", read);
        Assert.Contains(Path.Combine("src", "NsPolicy.Cli", "Program.cs"), read);
        Assert.Empty(marked);
    }

    [Fact]
    public void Readme_rule_table_matches_the_catalogue()
    {
        AssertSection("rules", ReadmeSections.RuleTable());
    }

    [Fact]
    public void Embedded_schema_is_the_schema_in_the_repository()
    {
        Assert.Equal(File.ReadAllText(Repository.PathOf("schemas", "nspolicy.schema.json")), PolicySchema.Text);
    }

    [Fact]
    public void Every_code_is_upper_snake_case_and_unique()
    {
        var codes = CheckCatalogue.Rules.Select(r => r.Code).ToList();
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(codes, c => Assert.Matches("^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$", c));
        Assert.All(CheckCatalogue.Rules, r => Assert.False(string.IsNullOrWhiteSpace(r.Explanation)));
    }

    private static void AssertSection(string name, string content)
    {
        var readme = File.ReadAllText(ReadmePath);
        var expected = ReadmeSections.Replace(readme, name, content);
        if (Golden.Updating)
        {
            File.WriteAllText(ReadmePath, expected);
            return;
        }

        Assert.True(expected == readme, $"README.md section '{name}' is out of date; run the tests with NSPOLICY_UPDATE_GOLDEN=1 to regenerate it:\n{content}");
    }
}
