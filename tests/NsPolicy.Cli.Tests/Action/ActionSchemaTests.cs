using NJsonSchema;

namespace NsPolicy.Cli.Tests.Action;

/// <summary>
/// action.yml matches GitHub's action metadata schema and every example workflow matches the
/// workflow schema (both from ../shared/schemas beside the repository).
/// </summary>
public sealed class ActionSchemaTests
{
    private static Task<JsonSchema> SchemaAsync(string name) =>
        JsonSchema.FromFileAsync(Path.GetFullPath(Repository.PathOf("..", "shared", "schemas", name)));

    public static TheoryData<string> Workflows() =>
        new(Directory.GetFiles(Repository.PathOf("examples", "workflows"), "*.yml").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal));

    [Fact]
    public async Task Action_metadata_matches_the_action_schema()
    {
        var json = YamlToJson.Convert(await File.ReadAllTextAsync(Repository.PathOf("action.yml")))!.ToJsonString();

        var errors = (await SchemaAsync("github-action.schema.json")).Validate(json);

        Assert.Empty(errors.Select(e => $"{e.Path}: {e.Kind}"));
    }

    [Theory]
    [MemberData(nameof(Workflows))]
    public async Task Example_workflow_matches_the_workflow_schema(string file)
    {
        var json = YamlToJson.Convert(await File.ReadAllTextAsync(Repository.PathOf("examples", "workflows", file)))!.ToJsonString();

        var errors = (await SchemaAsync("github-workflow.schema.json")).Validate(json);

        Assert.Empty(errors.Select(e => $"{e.Path}: {e.Kind}"));
    }

    [Fact]
    public async Task The_schemas_reject_broken_metadata()
    {
        var action = await SchemaAsync("github-action.schema.json");
        var workflow = await SchemaAsync("github-workflow.schema.json");

        Assert.NotEmpty(action.Validate("""{"name":"x","description":"y","runs":{"using":"composite","steps":"not a list"}}"""));
        Assert.NotEmpty(workflow.Validate("""{"on":"push","jobs":{"a":{"runs-on":"ubuntu-latest","steps":[{"uses":1}]}}}"""));
    }

    [Fact]
    public async Task The_examples_are_the_three_the_readme_names()
    {
        var readme = await File.ReadAllTextAsync(Repository.PathOf("README.md"));

        foreach (var file in new[] { "pull-request.yml", "scheduled.yml", "matrix.yml" })
        {
            Assert.True(File.Exists(Repository.PathOf("examples", "workflows", file)), file);
            Assert.Contains($"examples/workflows/{file}", readme, StringComparison.Ordinal);
        }
    }
}
