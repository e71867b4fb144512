// `gen-zones --out DIR [--sizes 10000,100000,1000000]`: writes tld-N.zone and corp-N.zone for each
// size, deterministic (see ZoneGenerator), and prints one line per file: path, origin, records.
using System.Globalization;
using System.Text;

namespace NsPolicy.Benchmarks;

internal static class GenZonesCommand
{
    public static int Run(IReadOnlyList<string> args)
    {
        string? directory = null;
        int[] sizes = [10_000, 100_000, 1_000_000];
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--out" when i + 1 < args.Count:
                    directory = args[++i];
                    break;
                case "--sizes" when i + 1 < args.Count:
                    try
                    {
                        sizes = [.. args[++i].Split(',').Select(s => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture))];
                    }
                    catch (Exception e) when (e is FormatException or OverflowException)
                    {
                        return Usage($"--sizes {args[i]}: not a comma-separated list of record counts");
                    }

                    break;
                default:
                    return Usage($"unexpected argument '{args[i]}'");
            }
        }

        if (directory is null)
        {
            return Usage("gen-zones needs --out DIR");
        }

        if (sizes.Any(s => s < 16))
        {
            return Usage("every size must be at least 16 records");
        }

        Directory.CreateDirectory(directory);
        foreach (var size in sizes)
        {
            foreach (var kind in (ZoneKind[])[ZoneKind.Tld, ZoneKind.Corporate])
            {
                var path = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{(kind == ZoneKind.Tld ? "tld" : "corp")}-{size}.zone"));
                using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16) { NewLine = "\n" };
                var count = ZoneGenerator.Write(kind, size, writer);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path} {ZoneGenerator.OriginOf(kind)} {count}"));
            }
        }

        return 0;
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine("usage: gen-zones --out DIR [--sizes 10000,100000,1000000]");
        Console.Error.WriteLine(message);
        return 2;
    }
}
