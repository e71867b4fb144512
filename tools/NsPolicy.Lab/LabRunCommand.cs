using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using NsPolicy.Cli.Tests.Live;
using NsPolicy.Dns.Tests.Lab;

namespace NsPolicy.Lab;

/// <summary>What <c>nspolicy-lab run</c> was asked to do.</summary>
internal sealed record LabRunRequest(IReadOnlyList<string> Command)
{
    public int GeneratedZones { get; init; }

    public int? Slot { get; init; }

    /// <summary>A policy written for slot 0, handed to the command as NSPOLICY_LAB_POLICY (moved into the lab's slot).</summary>
    public string? PolicyPath { get; init; }

    public bool Keep { get; init; }

    /// <summary>A dual-stack lab (DnsLabOptions.Ipv6); only in a network namespace that has nothing but lo.</summary>
    public bool Ipv6 { get; init; }
}

/// <summary>
/// <c>nspolicy-lab run [--zones N] [--slot N] [--policy FILE] [--keep] -- COMMAND [ARG]...</c>:
/// starts the lab, runs the command with the lab's root hints and resolver in its environment,
/// stops the lab whatever happens (the command fails, Ctrl-C, SIGTERM) and exits with the
/// command's exit code: 2 on a usage error, 3 when the lab cannot start.
/// </summary>
internal sealed class LabRunCommand(TextWriter stderr)
{
    public const int UsageError = 2;
    public const int LabFailure = 3;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan GraceAfterSignal = TimeSpan.FromSeconds(5);

    private const string Usage = """
        usage: nspolicy-lab run [--zones N] [--slot N] [--policy FILE] [--ipv6] [--keep] -- COMMAND [ARG]...

        Starts the DNS lab (real BIND, NSD, Knot and Unbound on 127.20.0.0/16; see
        tests/NsPolicy.Dns.Tests/Lab/README.md), runs COMMAND, prints what it prints, stops the lab
        (also on failure, Ctrl-C or SIGTERM) and exits with COMMAND's exit code (2: usage error,
        3: the lab could not start). Needs root and the Debian packages of scripts/test.sh.

          --zones N      also serve N generated healthy zones bulk-0001.test. ... (benchmarks)
          --slot N       take lab slot N (0-15); default NSPOLICY_LAB_SLOT, else the first free one
          --policy FILE  a policy written for slot 0 (addresses 127.20.0.0/20); COMMAND gets it
                         as NSPOLICY_LAB_POLICY, moved into the lab's slot when that is not 0
          --ipv6         dual-stack lab: servers also on fd00:20:0:SLOT::/64, AAAA glue and root
                         hints, the IPv6 scenario zones; only inside a network namespace that has
                         nothing but lo: `unshare --net -- nspolicy-lab run --ipv6 -- ...`
          --keep         keep the lab's run directory (zones, keys, configs, logs)

        COMMAND's environment:
          NSPOLICY_LAB_ROOT_HINTS         root hints of the lab (master-file form)
          NSPOLICY_LAB_RESOLVER           address of the lab's validating resolver (Unbound)
          NSPOLICY_LAB_TRUST_ANCHOR       DS of the lab root's key
          NSPOLICY_LAB_DIR                the lab's run directory
          NSPOLICY_LAB_SLOT_USED          the slot the lab took
          NSPOLICY_LAB_SCENARIO_POLICY    a policy stating the intended delegation of every scenario zone
                                          (as the lab tests do; check one with --zone NAME)
          NSPOLICY_LAB_GENERATED_POLICY   with --zones: a policy stating the generated zones
          NSPOLICY_LAB_POLICY             with --policy: the policy to use
          NSPOLICY_LAB_IPV6_PREFIX        with --ipv6: the lab's IPv6 prefix (fd00:20:0:SLOT::/64); nspolicy
                                          asks it only when NSPOLICY_ALLOW_PREFIXES names it (the runner never sets it)
          NSPOLICY_LAB_RUNNER             this nspolicy-lab.dll (`dotnet $NSPOLICY_LAB_RUNNER delay ...`: the packet
                                          delayer of scripts/lib/lossy-network.sh; `delay --help` says more)
          NSPOLICY_LOOPBACK_ONLY=1        nspolicy sends nothing off loopback
        """;

    private readonly Lock gate = new();
    private Process? child;
    private PosixSignal? received;

    public async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var beforeCommand = args.TakeWhile(a => a != "--").ToList();
        if (beforeCommand.Any(a => a is "-h" or "--help" or "help"))
        {
            await stderr.WriteLineAsync(Usage).ConfigureAwait(false);
            return 0;
        }

        if (!TryParse(args, out var request, out var error))
        {
            await stderr.WriteLineAsync("nspolicy-lab: " + error + "\n\n" + Usage).ConfigureAwait(false);
            return UsageError;
        }

        if (request.PolicyPath is { } policy && !File.Exists(policy))
        {
            await stderr.WriteLineAsync($"nspolicy-lab: --policy {policy}: no such file").ConfigureAwait(false);
            return UsageError;
        }

        if (request.Keep)
        {
            Environment.SetEnvironmentVariable("NSPOLICY_LAB_KEEP", "1");
        }

        using var stop = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => OnSignal(context, stop));
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => OnSignal(context, stop));
        using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context => OnSignal(context, stop));

        await stderr.WriteLineAsync(request.GeneratedZones > 0
            ? string.Create(CultureInfo.InvariantCulture, $"nspolicy-lab: starting the lab with {request.GeneratedZones} generated zones")
            : "nspolicy-lab: starting the lab").ConfigureAwait(false);
        DnsLab lab;
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            limit.CancelAfter(StartTimeout);
            lab = await DnsLab.StartWithOptionsAsync(new DnsLabOptions { Slot = request.Slot, GeneratedZones = request.GeneratedZones, Ipv6 = request.Ipv6 }, limit.Token)
                .ConfigureAwait(false);
        }
        catch (DnsLabException e)
        {
            await stderr.WriteLineAsync("nspolicy-lab: the lab did not start: " + e.Message).ConfigureAwait(false);
            return LabFailure;
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync(stop.IsCancellationRequested
                ? "nspolicy-lab: interrupted while the lab was starting; it is stopped"
                : string.Create(CultureInfo.InvariantCulture, $"nspolicy-lab: the lab did not start within {StartTimeout.TotalMinutes} minutes; it is stopped"))
                .ConfigureAwait(false);
            return stop.IsCancellationRequested ? ExitCodeOf(received) : LabFailure;
        }

        try
        {
            return await RunInLabAsync(lab, request, stop.Token).ConfigureAwait(false);
        }
        finally
        {
            await lab.DisposeAsync().ConfigureAwait(false);
            await stderr.WriteLineAsync(request.Keep
                ? "nspolicy-lab: lab stopped; its run directory is kept: " + lab.Directory
                : "nspolicy-lab: lab stopped").ConfigureAwait(false);
        }
    }

    internal static bool TryParse(IReadOnlyList<string> args, out LabRunRequest request, out string error)
    {
        request = new LabRunRequest([]);
        error = "";
        if (args.Count == 0 || args[0] != "run")
        {
            error = args.Count == 0 ? "missing command `run`" : $"unknown command `{args[0]}`; the commands are `run` and `delay`";
            return false;
        }

        var i = 1;
        for (; i < args.Count && args[i] != "--"; i++)
        {
            var option = args[i];
            if (option is "--keep")
            {
                request = request with { Keep = true };
                continue;
            }

            if (option is "--ipv6")
            {
                request = request with { Ipv6 = true };
                continue;
            }

            if (option is not ("--zones" or "--slot" or "--policy"))
            {
                error = $"unknown option `{option}`";
                return false;
            }

            if (i + 1 >= args.Count || args[i + 1] == "--")
            {
                error = $"{option} needs a value";
                return false;
            }

            var value = args[++i];
            switch (option)
            {
                case "--zones":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var zones) || zones > DnsLabOptions.MaxGeneratedZones)
                    {
                        error = string.Create(CultureInfo.InvariantCulture, $"--zones {value}: expected a number from 0 to {DnsLabOptions.MaxGeneratedZones}");
                        return false;
                    }

                    request = request with { GeneratedZones = zones };
                    break;
                case "--slot":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var slot) || slot > 15)
                    {
                        error = $"--slot {value}: expected a number from 0 to 15";
                        return false;
                    }

                    request = request with { Slot = slot };
                    break;
                default:
                    request = request with { PolicyPath = value };
                    break;
            }
        }

        if (i >= args.Count || i + 1 == args.Count)
        {
            error = "missing `-- COMMAND [ARG]...`";
            return false;
        }

        request = request with { Command = [.. args.Skip(i + 1)] };
        return true;
    }

    private async Task<int> RunInLabAsync(DnsLab lab, LabRunRequest request, CancellationToken stop)
    {
        var childZones = lab.Zones.Count - 2;
        await stderr.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"nspolicy-lab: lab ready in slot {lab.Addresses.Slot} after {lab.StartupDuration.TotalSeconds:0.0} s: {childZones} child zones of test. "
            + $"({lab.GeneratedZones.Count} generated), root hints {lab.RootHintsPath}, resolver {lab.ResolverAddress}")).ConfigureAwait(false);

        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["NSPOLICY_LAB_ROOT_HINTS"] = lab.RootHintsPath,
            ["NSPOLICY_LAB_RESOLVER"] = lab.ResolverAddress.ToString(),
            ["NSPOLICY_LAB_TRUST_ANCHOR"] = lab.TrustAnchorPath,
            ["NSPOLICY_LAB_DIR"] = lab.Directory,
            ["NSPOLICY_LAB_SLOT_USED"] = lab.Addresses.Slot.ToString(CultureInfo.InvariantCulture),
            ["NSPOLICY_LOOPBACK_ONLY"] = "1",
            ["NSPOLICY_LAB_RUNNER"] = typeof(LabRunCommand).Assembly.Location,
        };
        if (lab.Ipv6)
        {
            environment["NSPOLICY_LAB_IPV6_PREFIX"] = lab.Addresses.Ipv6Prefix;
        }

        var scenarioPolicy = Path.Combine(lab.Directory, "scenario-policy.yaml");
        await File.WriteAllTextAsync(
            scenarioPolicy,
            LabPolicy.Yaml(lab, lab.Zones.Keys.Where(z => z is not ("." or "test.") && !lab.GeneratedZones.Contains(z))),
            stop).ConfigureAwait(false);
        environment["NSPOLICY_LAB_SCENARIO_POLICY"] = scenarioPolicy;

        if (lab.GeneratedZones.Count > 0)
        {
            var path = Path.Combine(lab.Directory, "generated-policy.yaml");
            await File.WriteAllTextAsync(path, GeneratedPolicy.Yaml(lab), stop).ConfigureAwait(false);
            environment["NSPOLICY_LAB_GENERATED_POLICY"] = path;
        }

        if (request.PolicyPath is { } policy)
        {
            environment["NSPOLICY_LAB_POLICY"] = await PlacePolicyAsync(lab, policy, stop).ConfigureAwait(false);
        }

        var start = new ProcessStartInfo(request.Command[0]) { UseShellExecute = false };
        foreach (var argument in request.Command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        // A lab the command starts itself (a test run) must not be forced into the slot this one holds.
        start.Environment.Remove("NSPOLICY_LAB_SLOT");
        start.Environment.Remove("NSPOLICY_LAB_KEEP");

        Process process;
        lock (gate)
        {
            if (stop.IsCancellationRequested)
            {
                return ExitCodeOf(received);
            }

            try
            {
                process = Process.Start(start) ?? throw new Win32Exception("no process was started");
            }
            catch (Win32Exception e)
            {
                stderr.WriteLine($"nspolicy-lab: cannot run `{request.Command[0]}`: {e.Message}");
                return 127;
            }

            child = process;
        }

        using (process)
        {
            var exited = process.WaitForExitAsync(CancellationToken.None);
            try
            {
                await exited.WaitAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The signal was passed on; give the command a moment to finish, then end it.
                try
                {
                    await exited.WaitAsync(GraceAfterSignal, CancellationToken.None).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    await stderr.WriteLineAsync("nspolicy-lab: the command did not stop; killing it").ConfigureAwait(false);
                    process.Kill(entireProcessTree: true);
                    await exited.ConfigureAwait(false);
                }
            }

            lock (gate)
            {
                child = null;
            }

            return process.ExitCode;
        }
    }

    /// <summary>The policy itself when the lab is in slot 0, else a copy beside the lab with its addresses moved into the lab's slot.</summary>
    private static async Task<string> PlacePolicyAsync(DnsLab lab, string policy, CancellationToken cancellationToken)
    {
        if (lab.Addresses.Slot == 0)
        {
            return policy;
        }

        var text = await File.ReadAllTextAsync(policy, cancellationToken).ConfigureAwait(false);
        var folder = Path.Combine(lab.Directory, "policy");
        Directory.CreateDirectory(folder);
        var copy = Path.Combine(folder, Path.GetFileName(policy));
        await File.WriteAllTextAsync(copy, LabRelocation.ToSlot(text, lab.Addresses.Slot), cancellationToken).ConfigureAwait(false);
        return copy;
    }

    /// <summary>Keeps the runner alive to clean up, and passes SIGTERM on to the command.</summary>
    private void OnSignal(PosixSignalContext context, CancellationTokenSource stop)
    {
        context.Cancel = true;
        lock (gate)
        {
            received ??= context.Signal;
            if (child is { HasExited: false } running)
            {
                _ = SendSignal(running.Id, SignalTerminate);
            }
        }

        stop.Cancel();
    }

    private static int ExitCodeOf(PosixSignal? signal) => signal switch
    {
        PosixSignal.SIGHUP => 128 + 1,
        PosixSignal.SIGINT => 128 + 2,
        _ => 128 + SignalTerminate,
    };

    private const int SignalTerminate = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
