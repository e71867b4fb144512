// `parse-zone FILE --origin NAME [--model]`: the zone-file parser alone over a file, streaming, or
// with --model the parser feeding the zone model (NsPolicy.Dns.Zones) that the zone checks read,
// reporting records, errors, wall time, records per second and allocation (with --model also what
// the model holds once loaded, and the peak working set). scripts/bench-zones.sh
// uses it to measure those stages apart from the CLI and the checks.
using System.Diagnostics;
using System.Globalization;
using NsPolicy.Dns;
using NsPolicy.Dns.ZoneFiles;
using NsPolicy.Dns.Zones;

namespace NsPolicy.Benchmarks;

internal static class ParseZoneCommand
{
    public static int Run(IReadOnlyList<string> args)
    {
        string? file = null;
        string? origin = null;
        var model = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--origin" when i + 1 < args.Count:
                    origin = args[++i];
                    break;
                case "--model":
                    model = true;
                    break;
                default:
                    if (file is not null || args[i].StartsWith('-'))
                    {
                        return Usage($"unexpected argument '{args[i]}'");
                    }

                    file = args[i];
                    break;
            }
        }

        if (file is null || origin is null)
        {
            return Usage("parse-zone needs FILE and --origin NAME");
        }

        if (!DnsName.TryParse(origin, out var originName, out var error))
        {
            return Usage($"--origin {origin}: {error}");
        }

        var started = Stopwatch.GetTimestamp();
        long records = 0;
        long errors = 0;
        var what = "records";
        ZoneModel? kept = null;
        if (model)
        {
            var zone = ZoneModel.Load(file, originName!);
            records = zone.RecordCount;
            errors = zone.Errors.Count;
            foreach (var e in zone.Errors.Take(10))
            {
                Console.Error.WriteLine(e);
            }

            what = string.Create(CultureInfo.InvariantCulture, $"records into the zone model ({zone.DelegationCount} delegations)");
            kept = zone;
        }
        else
        {
            using var parser = ZoneFileParser.Open(file, file, originName!);
            while (parser.Next(out var entry))
            {
                if (entry.Error is not { } bad)
                {
                    records++;
                }
                else if (errors++ < 10)
                {
                    Console.Error.WriteLine(bad);
                }
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{file}: {records} {what}, {errors} errors, {elapsed.TotalSeconds:0.000} s, {records / elapsed.TotalSeconds:0} records/s, {GC.GetTotalAllocatedBytes() / (double)Math.Max(1, records):0} bytes allocated per record, {GC.CollectionCount(0)} gen0 collections ({GC.CollectionCount(1)} of them gen1, {GC.CollectionCount(2)} gen2), {GC.GetTotalPauseDuration().TotalSeconds:0.000} s paused for the GC"));
        if (kept is not null)
        {
            // After the timing: a full collection shows what the model itself holds.
            var committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
            using var process = Process.GetCurrentProcess();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"zone model holds {GC.GetTotalMemory(forceFullCollection: true) / 1048576.0:0.0} MiB; GC heap committed {committed / 1048576.0:0.0} MiB before that collection; peak working set {process.PeakWorkingSet64 / 1048576.0:0.0} MiB"));
            GC.KeepAlive(kept);
        }

        return errors == 0 ? 0 : 1;
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine("usage: parse-zone FILE --origin NAME [--model]");
        Console.Error.WriteLine(message);
        return 2;
    }
}
