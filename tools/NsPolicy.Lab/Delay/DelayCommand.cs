using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace NsPolicy.Lab.Delay;

/// <summary>What <c>nspolicy-lab delay</c> was asked to do.</summary>
internal sealed record DelayRequest(string StatisticsPath)
{
    public ushort Queue { get; init; }

    public double DelayMs { get; init; } = 20;

    public double JitterMs { get; init; } = 5;
}

/// <summary>
/// <c>nspolicy-lab delay --stats FILE [--queue N] [--delay MS] [--jitter MS]</c>: the delay of the
/// lab's slow network on a kernel without netem (scripts/lib/lossy-network.sh). Binds netfilter
/// queue N of this network namespace, prints one line "ready ..." on stdout once it holds the queue,
/// delays every packet there (<see cref="PacketDelayer"/>) until SIGTERM or SIGINT, then writes what
/// it did to FILE. Exit 0; 1 when the queue could not be bound, the kernel refused a message or
/// packets were lost in the queue by accident (full, overrun: said on stderr); 2 on a usage error.
/// </summary>
internal sealed class DelayCommand(TextWriter stdout, TextWriter stderr)
{
    private const int Failure = 1;
    private const int UsageError = 2;
    private const uint QueueMaxLength = 65536;
    private const int ReceiveBufferBytes = 16 * 1024 * 1024;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200);

    private const string Usage = """
        usage: nspolicy-lab delay --stats FILE [--queue N] [--delay MS] [--jitter MS]

        Holds every packet that iptables/ip6tables send to netfilter queue N (NFQUEUE --queue-num N,
        default 0) of this network namespace for a delay drawn uniformly from [MS-JITTER, MS+JITTER]
        milliseconds (default 20 and 5), then accepts it. Prints "ready ..." on stdout once it holds
        the queue; on SIGTERM or SIGINT it accepts what it still holds when due, writes what it did to
        FILE ("name value" lines) and exits: 0, or 1 when it failed or packets were lost in the queue
        by accident. Used by scripts/lib/lossy-network.sh on kernels without netem. Needs root.
        """;

    public int Run(IReadOnlyList<string> args)
    {
        if (args.Skip(1).Any(a => a is "-h" or "--help"))
        {
            stderr.WriteLine(Usage);
            return 0;
        }

        if (!TryParse(args, out var request, out var error))
        {
            stderr.WriteLine("nspolicy-lab delay: " + error + "\n\n" + Usage);
            return UsageError;
        }

        using var stop = new CancellationTokenSource();
        // The script that started it may end without stopping it: its end stops the delayer too.
        if (SetParentDeathSignal(ParentDeathSignal, SignalTerminate) != 0 || ParentProcessId() == 1)
        {
            stderr.WriteLine("nspolicy-lab delay: the process that started it is gone (or prctl(PR_SET_PDEATHSIG) failed); not starting");
            return Failure;
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
        try
        {
            using var queue = NetfilterQueue.Bind(request.Queue, QueueMaxLength, ReceiveBufferBytes, Tick);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ready: netfilter queue {queue.Number}, {request.DelayMs} ms ± {request.JitterMs} ms"));
            stdout.Flush();
            var statistics = new PacketDelayer(queue, request.DelayMs, request.JitterMs, new Random()).Run(stop.Token);
            var (queueDropped, userDropped) = KernelDrops(request.Queue);
            File.WriteAllText(request.StatisticsPath, Report(statistics, queueDropped, userDropped));
            if (queueDropped + userDropped + statistics.Overruns > 0)
            {
                stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"nspolicy-lab delay: packets were lost in netfilter queue {request.Queue} by accident: {queueDropped} with the queue full, {userDropped} not handed over, {statistics.Overruns} receive overruns"));
                return Failure;
            }

            return 0;
        }
        catch (Exception e) when (e is NetfilterQueueException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine("nspolicy-lab delay: " + e.Message);
            return Failure;
        }
    }

    internal static bool TryParse(IReadOnlyList<string> args, out DelayRequest request, out string error)
    {
        request = new DelayRequest("");
        error = "";
        string? statistics = null;
        ushort queue = 0;
        double delay = 20, jitter = 5;
        for (var i = 1; i < args.Count; i++)
        {
            var option = args[i];
            if (option is not ("--stats" or "--queue" or "--delay" or "--jitter"))
            {
                error = $"unknown option `{option}`";
                return false;
            }

            if (i + 1 >= args.Count)
            {
                error = $"{option} needs a value";
                return false;
            }

            var value = args[++i];
            switch (option)
            {
                case "--stats":
                    statistics = value;
                    break;
                case "--queue" when ushort.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out queue):
                    break;
                case "--delay" when double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out delay) && delay <= 10_000:
                    break;
                case "--jitter" when double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out jitter):
                    break;
                default:
                    error = $"{option} {value}: expected " + (option == "--queue" ? "a queue number from 0 to 65535" : "milliseconds from 0 to 10000");
                    return false;
            }
        }

        if (statistics is null)
        {
            error = "missing --stats FILE";
            return false;
        }

        if (jitter > delay)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"--jitter {jitter} is more than --delay {delay}: a delay cannot be negative");
            return false;
        }

        request = new DelayRequest(statistics) { Queue = queue, DelayMs = delay, JitterMs = jitter };
        return true;
    }

    private const int ParentDeathSignal = 1; // PR_SET_PDEATHSIG
    private const int SignalTerminate = 15;

    [DllImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static extern int SetParentDeathSignal(int option, nint signal);

    [DllImport("libc", EntryPoint = "getppid")]
    private static extern int ParentProcessId();

    /// <summary>"name value" lines; the delays in milliseconds (drawn: as drawn; held: arrival in the delayer to verdict).</summary>
    private static string Report(DelayStatistics statistics, long queueDropped, long userDropped)
    {
        var text = new StringBuilder();
        Line("packets", statistics.Packets);
        Line("released", statistics.ReleasedPackets);
        Line("drawn-min-ms", statistics.Packets == 0 ? 0 : statistics.DrawnMinMs);
        Line("drawn-max-ms", statistics.Packets == 0 ? 0 : statistics.DrawnMaxMs);
        Line("drawn-mean-ms", statistics.Packets == 0 ? 0 : statistics.DrawnSumMs / statistics.Packets);
        Line("held-min-ms", statistics.ReleasedPackets == 0 ? 0 : statistics.HeldMinMs);
        Line("held-max-ms", statistics.ReleasedPackets == 0 ? 0 : statistics.HeldMaxMs);
        Line("queue-full-drops", queueDropped);
        Line("not-handed-over", userDropped);
        Line("overruns", statistics.Overruns);
        return text.ToString();

        void Line(string name, double value) => text.Append(name).Append(' ').Append(value.ToString("0.###", CultureInfo.InvariantCulture)).Append('\n');
    }

    /// <summary>
    /// The kernel's own counts for the queue (/proc/net/netfilter/nfnetlink_queue of this namespace:
    /// number, port id, waiting, copy mode, copy range, dropped because full, dropped because not
    /// handed over, last id, 1).
    /// </summary>
    private static (long QueueDropped, long UserDropped) KernelDrops(ushort queue)
    {
        foreach (var line in File.ReadLines("/proc/net/netfilter/nfnetlink_queue"))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 7 && fields[0] == queue.ToString(CultureInfo.InvariantCulture))
            {
                return (long.Parse(fields[5], CultureInfo.InvariantCulture), long.Parse(fields[6], CultureInfo.InvariantCulture));
            }
        }

        throw new NetfilterQueueException($"netfilter queue {queue} is not in /proc/net/netfilter/nfnetlink_queue while bound");
    }
}
