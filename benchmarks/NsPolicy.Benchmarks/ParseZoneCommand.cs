// `parse-zone FILE --origin NAME`: the zone-file parser alone over a file, streaming, reporting
// records, errors, wall time and records per second. scripts/bench-zones.sh uses it to measure the
// parser apart from the checks.
using System.Diagnostics;
using System.Globalization;
using NsPolicy.Dns;
using NsPolicy.Dns.ZoneFiles;

namespace NsPolicy.Benchmarks;

internal static class ParseZoneCommand
{
    public static int Run(IReadOnlyList<string> args)
    {
        string? file = null;
        string? origin = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--origin" when i + 1 < args.Count:
                    origin = args[++i];
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
        foreach (var record in ZoneFileParser.Read(file, originName!, null, e =>
                 {
                     if (errors++ < 10)
                     {
                         Console.Error.WriteLine(e);
                     }
                 }))
        {
            records++;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{file}: {records} records, {errors} errors, {elapsed.TotalSeconds:0.000} s, {records / elapsed.TotalSeconds:0} records/s"));
        return errors == 0 ? 0 : 1;
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine("usage: parse-zone FILE --origin NAME");
        Console.Error.WriteLine(message);
        return 2;
    }
}
