using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using NsPolicy.Cli.Tests.Demo;
using NsPolicy.Dns.Tests.Lab;

namespace NsPolicy.Cli.Tests.Live;

/// <summary>
/// End to end over real IPv6: nspolicy-lab starts a dual-stack lab in a network namespace of its
/// own (<c>unshare --net</c>: nothing but lo, the lab's fd00:20:0:SLOT::/64 addresses on it), and
/// nspolicy runs as a process in the same namespace (ipv6-lab-runs.sh): with and without
/// NSPOLICY_ALLOW_PREFIXES, --ipv6 off, the IPv6 scenario zones one by one, every scenario zone on a
/// clean and then on a lossy network (20 ± 5 ms each way and 1 % loss: netem, or on a kernel
/// without netem nspolicy-lab's netfilter-queue delayer and iptables' loss; scripts/lib/lossy-network.sh),
/// and with IPv6 switched off in the namespace. Each fact reads the reports and
/// evidence that one run of the script left. Needs root (as the whole lab does); fails loudly without.
/// </summary>
[Collection(DnsLabCollection.Name)]
public sealed class Ipv6LabTests
{
    /// <summary>Guards against hangs only; not a performance assertion.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(10);

    /// <summary>The key of the findings that belong to no zone, as in <see cref="LabScenarioTests.Expected"/>.</summary>
    private const string NoZone = "(no zone)";

    private static readonly SemaphoreSlim Gate = new(1);
    private static LabRuns? runs;

    [Fact]
    public async Task Guard_refuses_the_lab_IPv6_addresses_without_NSPOLICY_ALLOW_PREFIXES_and_auto_says_so_once()
    {
        var runs = await RunAsync();

        Assert.Equal(0, runs.ExitCode("refused"));
        Assert.Equal<string>(["NS_IPV6_UNTESTED"], runs.Codes("refused"));
        Assert.Equal("", runs.Stderr("refused"));
    }

    [Fact]
    public async Task Ipv6_off_asks_no_IPv6_and_reports_nothing_for_the_IPv6_zones()
    {
        var runs = await RunAsync();

        Assert.Equal(0, runs.ExitCode("off"));
        Assert.Equal<string>([], runs.Codes("off"));
    }

    [Fact]
    public async Task Healthy_dual_stack_zone_reports_nothing_and_every_IPv6_address_answered()
    {
        var runs = await RunAsync();
        var addresses = new LabAddresses(runs.Slot);
        var answered = runs.AnsweredServers("dual-stack");

        Assert.Equal(0, runs.ExitCode("dual-stack"));
        Assert.Equal<string>([], runs.Codes("dual-stack"));
        foreach (var host in new[] { LabHost.TldNsd, LabHost.TldKnot, LabHost.ChildBind, LabHost.ChildNsd, LabHost.ChildKnot })
        {
            Assert.Contains(addresses.Of6(host), answered);
            Assert.Contains(addresses.Of(host), answered);
        }
    }

    [Fact]
    public async Task Server_lame_only_over_IPv6_is_reported_lame_at_its_IPv6_address()
    {
        var runs = await RunAsync();
        var addresses = new LabAddresses(runs.Slot);

        Assert.Equal(1, runs.ExitCode("lame-v6"));
        Assert.Equal<string>(["CHILD_LAME"], runs.Codes("lame-v6"));
        Assert.Contains($"ns2.lame-v6.test. (IPv6 {addresses.Of6(LabHost.ChildKnot)}) is lame", runs.Messages("lame-v6").Single(), StringComparison.Ordinal);
        Assert.Contains(addresses.Of(LabHost.ChildNsd), runs.AnsweredServers("lame-v6"));
    }

    [Fact]
    public async Task Server_unreachable_only_over_IPv6_is_reported_unreachable_at_its_IPv6_address()
    {
        var runs = await RunAsync();
        var addresses = new LabAddresses(runs.Slot);

        Assert.Equal(1, runs.ExitCode("unreachable-v6"));
        Assert.Equal<string>(["CHILD_UNREACHABLE"], runs.Codes("unreachable-v6"));
        Assert.Contains($"ns2.unreachable-v6.test. (IPv6 {addresses.Of6(LabHost.Closed)}) does not answer", runs.Messages("unreachable-v6").Single(), StringComparison.Ordinal);
        Assert.Contains(addresses.Of(LabHost.ChildNsd), runs.AnsweredServers("unreachable-v6"));
    }

    [Fact]
    public async Task Poisoned_AAAA_glue_in_the_lab_prefix_is_reported_and_never_asked()
    {
        var runs = await RunAsync();
        var poison = LabCatalogue.PoisonAddress6(new LabAddresses(runs.Slot));

        Assert.Equal<string>(["NS_NO_IPV6", "PARENT_GLUE_OUT_OF_BAILIWICK", "PARENT_GLUE_OUT_OF_BAILIWICK"], runs.CodesByZone("clean")["poison-variants.oob-parent.test."]);
        Assert.Contains(runs.Messages("clean"), m => m.Contains($"hands out {poison} for ns2.provider.test.", StringComparison.Ordinal));
        Assert.DoesNotContain(poison, runs.AskedServers("clean"));
        Assert.Contains(new LabAddresses(runs.Slot).Of6(LabHost.ChildBind), runs.AskedServers("clean"));
    }

    [Fact]
    public async Task Serial_stale_only_over_IPv6_is_reported_at_the_IPv6_address()
    {
        var runs = await RunAsync();
        var addresses = new LabAddresses(runs.Slot);

        Assert.Equal<string>(["CHILD_SOA_SERIAL_MISMATCH"], runs.CodesByZone("clean")["serial-v6.test."]);
        Assert.Contains(
            $"2025010101 from ns2.serial-v6.test. (IPv6 {addresses.Of6(LabHost.ChildKnot)}); 2025010105 from ns1.serial-v6.test. ({addresses.Of(LabHost.ChildBind)})",
            runs.Messages("clean").Single(m => m.Contains("serial-v6.test.", StringComparison.Ordinal)),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_scenario_zone_reports_its_codes_in_the_dual_stack_lab()
    {
        var runs = await RunAsync();
        var expected = LabScenarioTests.Expected().ToDictionary(row => (string)row[0], row => (string[])row[1], StringComparer.Ordinal);
        expected["dual-stack.test."] = [];
        expected["lame-v6.test."] = ["CHILD_LAME"];
        expected["unreachable-v6.test."] = ["CHILD_UNREACHABLE"];
        expected["v6-only-ns.test."] = [];
        expected["serial-v6.test."] = ["CHILD_SOA_SERIAL_MISMATCH"];
        var ipv6Zones = LabCatalogue.Ipv6Children().Select(z => z.Name).ToHashSet(StringComparer.Ordinal);
        var byZone = runs.CodesByZone("clean");

        Assert.Equal(1, runs.ExitCode("clean"));
        foreach (var (zone, codes) in expected)
        {
            // With IPv6 asked, a zone none of whose nameservers has an IPv6 address also gets the notice, once.
            // (Not when no nameserver has an address at all: cycle-a and cycle-b.test.)
            string[] withIpv6 = zone == NoZone || ipv6Zones.Contains(zone) || zone.StartsWith("cycle-", StringComparison.Ordinal) ? codes : [.. codes, "NS_NO_IPV6"];
            Assert.Equal(
                zone + ": " + string.Join(' ', withIpv6.Order(StringComparer.Ordinal)),
                zone + ": " + string.Join(' ', byZone.GetValueOrDefault(zone, [])));
        }

        Assert.Empty(byZone.Keys.Except(expected.Keys, StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_lossy_network_gives_exactly_the_findings_of_the_clean_one()
    {
        var runs = await RunAsync();

        Assert.True(runs.Dropped > 0, "the lossy network dropped nothing: " + runs.Network);
        Assert.Equal("", runs.NetworkOff);
        Assert.Equal(runs.ExitCode("clean"), runs.ExitCode("lossy"));
        Assert.Equal(runs.CodesByZone("clean"), runs.CodesByZone("lossy"));
        Assert.Equal(runs.Messages("clean").Select(WithoutTime), runs.Messages("lossy").Select(WithoutTime));
    }

    [Fact]
    public async Task The_lossy_network_holds_every_DNS_packet_20_ms_plus_or_minus_5_each_way()
    {
        var runs = await RunAsync();

        Assert.Contains(runs.Network, (string[])["nfqueue delay 20ms ±5ms loss 1%", "netem delay 20ms 5ms loss 1%"]);
        // A lower bound only: a query and its answer are each held at least 15 ms, whatever the load.
        foreach (var dig in (string[])["udp-4", "udp-6", "tcp-4", "tcp-6"])
        {
            var output = runs.Dig(dig);
            var time = Regex.Match(output, @"^;; Query time: (\d+) msec$", RegexOptions.Multiline);
            Assert.True(time.Success, $"dig over {dig} got no answer:\n{output}");
            var milliseconds = int.Parse(time.Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.True(milliseconds >= 2 * 15, $"dig over {dig}: a round trip of {milliseconds} ms, less than twice the least delay (15 ms)");
        }

        if (runs.Network.StartsWith("netem ", StringComparison.Ordinal))
        {
            return; // The kernel's netem delays; there is no delayer to ask.
        }

        var delays = runs.Delays();
        Assert.True(delays["packets"] > 0, "the delayer held no packet");
        Assert.Equal(delays["packets"], delays["released"]);
        Assert.InRange(delays["drawn-min-ms"], 15, 25);
        Assert.InRange(delays["drawn-max-ms"], 15, 25);
        Assert.True(delays["held-min-ms"] >= 15, $"a packet was released after {delays["held-min-ms"]} ms, before its drawn delay");
        Assert.Equal(0, delays["queue-full-drops"]);
        Assert.Equal(0, delays["not-handed-over"]);
        Assert.Equal(0, delays["overruns"]);
    }

    [Fact]
    public async Task Without_IPv6_in_the_namespace_auto_says_so_once_and_off_says_nothing()
    {
        var runs = await RunAsync();

        Assert.Equal(0, runs.ExitCode("no-ipv6-auto"));
        Assert.Equal<string>(["NS_IPV6_UNTESTED"], runs.Codes("no-ipv6-auto"));
        Assert.Equal(0, runs.ExitCode("no-ipv6-off"));
        Assert.Equal<string>([], runs.Codes("no-ipv6-off"));
    }

    /// <summary>A signature finding names the time of the check ("not at 2026-12-04 20:05:11 UTC"); the runs are seconds apart.</summary>
    private static string WithoutTime(string message) =>
        Regex.Replace(message, @"not at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", "not at (time of the check)");

    private static async Task<LabRuns> RunAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (runs is not null)
            {
                return runs;
            }

            var output = Directory.CreateTempSubdirectory("nspolicy-ipv6-lab-").FullName;
            var start = new ProcessStartInfo("unshare")
            {
                WorkingDirectory = Repository.Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in (string[])[
                "--net", "--", "dotnet", LabRunnerProcess.RunnerPath, "run", "--ipv6", "--",
                "bash", Repository.PathOf("tests", "NsPolicy.Cli.Tests", "Live", "ipv6-lab-runs.sh"), LabRunnerProcess.NspolicyPath, output, Repository.Root])
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["NO_COLOR"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            start.Environment.Remove("NSPOLICY_LAB_SLOT");
            start.Environment.Remove("NSPOLICY_LAB_KEEP");
            start.Environment.Remove("NSPOLICY_ALLOW_PREFIXES");
            var (exit, stdout, stderr) = await ProcessRunner.RunAsync(start, HangGuard, "unshare --net -- nspolicy-lab run --ipv6 -- ipv6-lab-runs.sh");
            Assert.True(exit == 0, $"the IPv6 lab runs failed (exit {exit}; they need root for unshare --net):\n{stdout}{stderr}");
            runs = new LabRuns(output);
            return runs;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>What ipv6-lab-runs.sh left in its output directory.</summary>
    private sealed class LabRuns(string directory)
    {
        public int Slot { get; } = int.Parse(File.ReadAllText(Path.Combine(directory, "slot")).Trim(), CultureInfo.InvariantCulture);

        public string Network { get; } = File.ReadAllText(Path.Combine(directory, "network")).Trim();

        /// <summary>What lossy_network_off said on stderr (empty: the delayer ended well).</summary>
        public string NetworkOff { get; } = File.ReadAllText(Path.Combine(directory, "network-off")).Trim();

        public long Dropped { get; } = long.Parse(File.ReadAllText(Path.Combine(directory, "dropped")).Trim(), CultureInfo.InvariantCulture);

        public string Dig(string transport) => File.ReadAllText(Path.Combine(directory, "dig-" + transport));

        /// <summary>The delayer's statistics ("name value" lines; see nspolicy-lab delay).</summary>
        public Dictionary<string, double> Delays() =>
            File.ReadLines(Path.Combine(directory, "delays"))
                .Select(line => line.Split(' '))
                .ToDictionary(f => f[0], f => double.Parse(f[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);

        public int ExitCode(string run) =>
            int.Parse(File.ReadAllText(Path.Combine(directory, run + ".exit")).Trim(), CultureInfo.InvariantCulture);

        public string Stderr(string run) => File.ReadAllText(Path.Combine(directory, run + ".err"));

        /// <summary>Every finding's code, sorted (a multiset).</summary>
        public string[] Codes(string run) => [.. Findings(run).Select(f => f.Code).Order(StringComparer.Ordinal)];

        public string[] Messages(string run) => [.. Findings(run).Select(f => f.Message).Order(StringComparer.Ordinal)];

        /// <summary>Per zone, every finding's code, sorted (a multiset).</summary>
        public SortedDictionary<string, string[]> CodesByZone(string run) =>
            new(Findings(run).GroupBy(f => f.Zone).ToDictionary(g => g.Key, g => g.Select(f => f.Code).Order(StringComparer.Ordinal).ToArray()), StringComparer.Ordinal);

        /// <summary>The servers of every query in the run's evidence that got an answer.</summary>
        public HashSet<IPAddress> AnsweredServers(string run) => Servers(run, result => result == "answer");

        /// <summary>The servers of every query in the run's evidence that was sent (whatever came back).</summary>
        public HashSet<IPAddress> AskedServers(string run) => Servers(run, result => result != "notAsked");

        private HashSet<IPAddress> Servers(string run, Func<string?, bool> wanted)
        {
            using var evidence = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, run + ".evidence.json")));
            var servers = new HashSet<IPAddress>();
            Walk(evidence.RootElement);
            return servers;

            void Walk(JsonElement element)
            {
                if (element.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in element.EnumerateArray())
                    {
                        Walk(item);
                    }
                }
                else if (element.ValueKind == JsonValueKind.Object)
                {
                    if (element.TryGetProperty("transport", out _) && element.TryGetProperty("server", out var server) &&
                        element.TryGetProperty("result", out var result) && wanted(result.GetString()))
                    {
                        servers.Add(IPAddress.Parse(server.GetString()!));
                    }

                    foreach (var property in element.EnumerateObject())
                    {
                        Walk(property.Value);
                    }
                }
            }
        }

        private List<(string Zone, string Code, string Message)> Findings(string run)
        {
            using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, run + ".json")));
            return [.. report.RootElement.GetProperty("findings").EnumerateArray().Select(f => (
                f.TryGetProperty("zone", out var zone) && zone.GetString() is { } name ? name : NoZone,
                f.GetProperty("code").GetString()!,
                f.GetProperty("message").GetString()!))];
        }
    }
}
