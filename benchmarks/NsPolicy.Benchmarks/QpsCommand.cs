// `qps --server ADDR --name NAME [--type A] [--port 53] [--concurrency 1,16,256] [--seconds 10]
// [--timeout-ms 1000]`: drives DnsTransport against one server with N queries always outstanding
// (N workers, each sending its next query when the last one ends) for S seconds per level, and
// prints one line per level. The network guard is loopback-only: this is a load generator, and
// nothing of it may leave the machine.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using NsPolicy.Dns;
using NsPolicy.Dns.Transport;

namespace NsPolicy.Benchmarks;

internal static class QpsCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        IPAddress? server = null;
        DnsName? name = null;
        var type = RecordType.A;
        var port = 53;
        int[] levels = [1, 16, 256];
        var seconds = 10.0;
        var timeoutMs = 1000;
        try
        {
            for (var i = 0; i < args.Count; i++)
            {
                var value = i + 1 < args.Count ? args[i + 1] : null;
                switch (args[i])
                {
                    case "--server" when value is not null:
                        server = IPAddress.Parse(value);
                        break;
                    case "--name" when value is not null:
                        name = DnsName.Parse(value);
                        break;
                    case "--type" when value is not null:
                        type = RecordType.TryParse(value, out var t) ? t : throw new FormatException($"unknown type {value}");
                        break;
                    case "--port" when value is not null:
                        port = int.Parse(value, CultureInfo.InvariantCulture);
                        break;
                    case "--concurrency" when value is not null:
                        levels = [.. value.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
                        break;
                    case "--seconds" when value is not null:
                        seconds = double.Parse(value, CultureInfo.InvariantCulture);
                        break;
                    case "--timeout-ms" when value is not null:
                        timeoutMs = int.Parse(value, CultureInfo.InvariantCulture);
                        break;
                    default:
                        return Usage($"unexpected argument '{args[i]}'");
                }

                i++;
            }
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return Usage(e.Message);
        }

        if (server is null || name is null)
        {
            return Usage("qps needs --server ADDR and --name NAME");
        }

        if (!NetworkGuard.Loopback.Allows(server))
        {
            return Usage($"{server} is not a loopback address; the load generator only targets this machine");
        }

        if (levels.Any(l => l < 1) || seconds <= 0 || timeoutMs < 1)
        {
            return Usage("concurrency, seconds and timeout must be positive");
        }

        var transport = new DnsTransport(NetworkGuard.Loopback);
        var endPoint = new IPEndPoint(server, port);
        var question = new DnsQuestion(name, type);
        var options = QueryOptions.Default with { Timeout = TimeSpan.FromMilliseconds(timeoutMs), Retries = 0 };

        // Warm-up: JIT, socket paths, the server's caches.
        await MeasureAsync(transport, endPoint, question, options, concurrency: 16, TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        foreach (var level in levels)
        {
            var result = await MeasureAsync(transport, endPoint, question, options, level, TimeSpan.FromSeconds(seconds)).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"nspolicy concurrency={level} seconds={result.Elapsed.TotalSeconds:0.00} queries={result.Queries} answers={result.Answers} lost={result.Queries - result.Answers} qps={result.Answers / result.Elapsed.TotalSeconds:0} cpu-us-per-query={result.Cpu.TotalMicroseconds / Math.Max(1, result.Queries):0.0} bytes-per-query={result.Allocated / Math.Max(1, result.Queries)}"));
            if (result.FirstError is not null)
            {
                Console.Error.WriteLine($"first failure at concurrency {level}: {result.FirstError}");
            }
        }

        return 0;
    }

    private static async Task<Result> MeasureAsync(DnsTransport transport, IPEndPoint server, DnsQuestion question, QueryOptions options, int concurrency, TimeSpan duration)
    {
        long queries = 0;
        long answers = 0;
        string? firstError = null;
        var cpu = Environment.CpuUsage.TotalTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        async Task WorkerAsync()
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var outcome = await transport.QueryAsync(server, question, options, CancellationToken.None).ConfigureAwait(false);
                Interlocked.Increment(ref queries);
                if (outcome.IsAnswer)
                {
                    Interlocked.Increment(ref answers);
                }
                else
                {
                    Interlocked.CompareExchange(ref firstError, $"{outcome.Status}: {outcome.Error}", null);
                }
            }
        }

        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            workers[w] = Task.Run(WorkerAsync);
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        return new Result(Interlocked.Read(ref queries), Interlocked.Read(ref answers), Stopwatch.GetElapsedTime(started), Environment.CpuUsage.TotalTime - cpu, GC.GetTotalAllocatedBytes(precise: false) - allocated, firstError);
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine("usage: qps --server ADDR --name NAME [--type A] [--port 53] [--concurrency 1,16,256] [--seconds 10] [--timeout-ms 1000]");
        Console.Error.WriteLine(message);
        return 2;
    }

    private sealed record Result(long Queries, long Answers, TimeSpan Elapsed, TimeSpan Cpu, long Allocated, string? FirstError);
}
