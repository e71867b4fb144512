using System.Diagnostics;

namespace NsPolicy.Cli.Tests.Demo;

/// <summary>
/// <c>nspolicy-lab delay</c>, the packet delayer of scripts/lib/lossy-network.sh on a kernel without
/// netem, fails loudly: usage errors exit 2, a queue it cannot bind exits 1 naming the queue and the
/// kernel's answer; lossy-network.sh fails closed when the delayer dies. That it delays (every packet held its drawn 15-25 ms, round trips of at least
/// 30 ms) is shown on the lab's lossy network in <see cref="Live.Ipv6LabTests"/>.
/// </summary>
public sealed class LabDelayerTests
{
    /// <summary>Guards against hangs only; not a performance assertion.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(120);

    [Theory]
    [InlineData("missing --stats FILE", "delay")]
    [InlineData("--jitter 30 is more than --delay 20: a delay cannot be negative", "delay", "--stats", "s", "--jitter", "30")]
    [InlineData("--queue 70000: expected a queue number from 0 to 65535", "delay", "--stats", "s", "--queue", "70000")]
    [InlineData("--delay -1: expected milliseconds from 0 to 10000", "delay", "--stats", "s", "--delay", "-1")]
    [InlineData("unknown option `--loss`", "delay", "--stats", "s", "--loss", "1")]
    public async Task Delayer_usage_errors_exit_2_and_say_what_is_wrong(string message, params string[] args)
    {
        var result = await LabRunnerProcess.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("nspolicy-lab delay: " + message + "\n", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Lossy_network_fails_closed_when_its_delayer_dies_and_says_so_when_turned_off()
    {
        // Nothing listens on 127.0.0.1:53 in a fresh namespace: a query that gets there is refused
        // (ICMP port unreachable); one that the dead delayer's queue swallows times out (5 s: dig's
        // generous wait, so that a busy machine's delayed refusal still comes within it).
        const string Script = """
            set -u
            ip link set lo up
            source "$1/scripts/lib/lossy-network.sh"
            ask() { dig @127.0.0.1 . SOA +time=5 +tries=1 | grep -E '^;; (communications error|no servers)' | head -n 1; }
            echo "clean: $(ask)"
            lossy_network_on 20 5 0
            echo "delayed: $(ask)"
            kill -KILL "$lossy_network_delayer"
            echo "delayer killed: $(ask)"
            lossy_network_off "$2/stats"
            echo "off: $?"
            echo "after: $(ask)"
            """;
        using var directory = new TempDirectory();
        var start = new ProcessStartInfo("unshare")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--net", "--", "bash", "-c", Script, "lossy-network-test", Repository.Root, directory.Path])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NSPOLICY_LAB_RUNNER"] = LabRunnerProcess.RunnerPath;
        var (exit, stdout, stderr) = await ProcessRunner.RunAsync(start, HangGuard, "unshare --net -- lossy network with a killed delayer");

        Assert.True(exit == 0, $"the script failed (exit {exit}; it needs root for unshare --net):\n{stdout}{stderr}");
        Assert.Equal(
            [
                "clean: ;; communications error to 127.0.0.1#53: connection refused",
                "nfqueue delay 20ms ±5ms loss 0%",
                "delayed: ;; communications error to 127.0.0.1#53: connection refused",
                "delayer killed: ;; communications error to 127.0.0.1#53: timed out",
                "off: 137",
                "after: ;; communications error to 127.0.0.1#53: connection refused",
                "",
            ],
            stdout.Split('\n'));
        Assert.Contains("lossy-network: the delayer failed (exit 137)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delayer_that_cannot_bind_its_queue_exits_1_naming_the_queue_and_the_kernel_answer()
    {
        // In a network namespace of its own: a first delayer holds queue 7, a second one asks for it too.
        const string Script = """
            set -u
            ip link set lo up
            mkfifo "$2/ready"
            dotnet "$1" delay --queue 7 --stats "$2/first" <"/dev/null" >"$2/ready" 2>"$2/first.err" &
            first=$!
            read -r line <"$2/ready"
            echo "first: $line"
            dotnet "$1" delay --queue 7 --stats "$2/second"
            echo "second exit: $?"
            kill -TERM "$first"
            wait "$first"
            echo "first exit: $?"
            cat "$2/first.err" "$2/first"
            """;
        using var directory = new TempDirectory();
        var start = new ProcessStartInfo("unshare")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--net", "--", "bash", "-c", Script, "delayer-test", LabRunnerProcess.RunnerPath, directory.Path])
        {
            start.ArgumentList.Add(argument);
        }

        var (exit, stdout, stderr) = await ProcessRunner.RunAsync(start, HangGuard, "unshare --net -- two delayers on one queue");

        Assert.True(exit == 0, $"the script failed (exit {exit}; it needs root for unshare --net):\n{stdout}{stderr}");
        var lines = stdout.Split('\n');
        Assert.Equal("first: ready: netfilter queue 7, 20 ms ± 5 ms", lines[0]);
        Assert.Equal("second exit: 1", lines[1]);
        Assert.Equal("first exit: 0", lines[2]);
        Assert.Equal("packets 0", lines[3]);
        Assert.Contains("queue-full-drops 0", stdout, StringComparison.Ordinal);
        Assert.Equal(
            "nspolicy-lab delay: binding netfilter queue 7: the kernel refused: Operation not permitted (errno 1); "
            + "another process holds this queue in this network namespace, or this one lacks CAP_NET_ADMIN\n",
            stderr);
    }
}
