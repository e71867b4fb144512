using NsPolicy.Dns.Tests.Lab;

namespace NsPolicy.Cli.Tests.Demo;

/// <summary>
/// nspolicy-lab (tools/NsPolicy.Lab), which scripts/demo.sh and scripts/bench-live.sh run: it starts
/// a lab of its own, hands the command the lab's root hints, returns the command's exit code and
/// leaves nothing running. In the lab's collection so that its lab does not compete for the cores
/// with the other lab tests.
/// </summary>
[Collection(DnsLabCollection.Name)]
public sealed class LabRunnerTests
{
    [Fact]
    public async Task Runner_gives_the_command_the_lab_and_its_exit_code_and_stops_the_lab_after_it()
    {
        const string Script = """
            echo "dir=$NSPOLICY_LAB_DIR loopback=$NSPOLICY_LOOPBACK_ONLY slot=$NSPOLICY_LAB_SLOT_USED"
            grep -c '^  - zone: bulk-' "$NSPOLICY_LAB_GENERATED_POLICY"
            dotnet "$0" query www.good.test. A --root-hints "$NSPOLICY_LAB_ROOT_HINTS" || exit 9
            exit 5
            """;

        var result = await LabRunnerProcess.RunAsync("run", "--zones", "3", "--", "sh", "-c", Script, LabRunnerProcess.NspolicyPath);

        Assert.True(result.ExitCode == 5, result.Stdout + result.Stderr);
        var lines = result.Stdout.Split('\n');
        var dir = lines[0].Split(' ')[0]["dir=".Length..];
        Assert.StartsWith(Path.Combine(Path.GetTempPath(), "nspolicy-dns-lab", "run-"), dir, StringComparison.Ordinal);
        Assert.Contains("loopback=1", lines[0], StringComparison.Ordinal);
        Assert.Equal("3", lines[1]);
        Assert.Contains("www.good.test.", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("nspolicy-lab: lab stopped", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir), "the lab's run directory is still there: " + dir);
    }

    [Fact]
    public async Task Runner_refuses_an_IPv6_lab_outside_a_network_namespace_that_has_nothing_but_lo()
    {
        // The test host has more than lo (CI's machine has eth0): fd00:: addresses must not go on its lo.
        var result = await LabRunnerProcess.RunAsync("run", "--ipv6", "--", "true");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("the IPv6 lab runs only in a network namespace of its own that has nothing but lo (start it under `unshare --net`)", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("lab ready", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("run", "--zones", "many", "--", "true")]
    [InlineData("run", "--slot", "16", "--", "true")]
    [InlineData("run", "--policy", "no-such-policy.yaml", "--", "true")]
    [InlineData("start", "--", "true")]
    public async Task Runner_usage_errors_exit_2_without_starting_a_lab(params string[] args)
    {
        var result = await LabRunnerProcess.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("nspolicy-lab: ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("starting the lab", result.Stderr, StringComparison.Ordinal);
    }
}
