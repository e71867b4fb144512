using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace NsPolicy.Dns.Tests.Lab;

/// <summary>What dig printed, cut into the parts tests look at.</summary>
/// <param name="Status">NOERROR, NXDOMAIN, REFUSED, SERVFAIL…; null when no answer came.</param>
/// <param name="Flags">Header flags in lower case (qr, aa, tc, rd, ra, ad, cd).</param>
/// <param name="Answer">Answer section lines (AXFR: every record line).</param>
/// <param name="MessageSize">"MSG SIZE rcvd", or null.</param>
public sealed partial record LabDigResult(
    LabCommandResult Command,
    string? Status,
    IReadOnlySet<string> Flags,
    IReadOnlyList<string> Answer,
    IReadOnlyList<string> Authority,
    IReadOnlyList<string> Additional,
    int? MessageSize)
{
    public bool HasFlag(string flag) => Flags.Contains(flag);

    /// <summary>Record lines of a section whose type is <paramref name="type"/>.</summary>
    public static IEnumerable<string> OfType(IEnumerable<string> section, string type) =>
        section.Where(l => l.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries) is { Length: > 4 } f && f[3] == type);

    /// <summary>The last field (RDATA's end) of each record line of a section with type <paramref name="type"/>, lower case.</summary>
    public static IReadOnlyList<string> Data(IEnumerable<string> section, string type) =>
        OfType(section, type).Select(l => l.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[^1].ToLowerInvariant())
            .Order(StringComparer.Ordinal).ToList();

    public override string ToString() => Command.CommandLine + "\n" + Command.Output;

    internal static LabDigResult Parse(LabCommandResult command)
    {
        string? status = null;
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var answer = new List<string>();
        var authority = new List<string>();
        var additional = new List<string>();
        int? size = null;
        List<string>? section = null;
        var axfr = false;
        foreach (var line in command.StandardOutput.Split('\n'))
        {
            if (HeaderPattern().Match(line) is { Success: true } header)
            {
                status = header.Groups[1].Value;
            }
            else if (FlagsPattern().Match(line) is { Success: true } flagLine)
            {
                flags.UnionWith(flagLine.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
            else if (SizePattern().Match(line) is { Success: true } sizeLine)
            {
                size = int.Parse(sizeLine.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith(";; ANSWER SECTION", StringComparison.Ordinal))
            {
                section = answer;
            }
            else if (line.StartsWith(";; AUTHORITY SECTION", StringComparison.Ordinal))
            {
                section = authority;
            }
            else if (line.StartsWith(";; ADDITIONAL SECTION", StringComparison.Ordinal))
            {
                section = additional;
            }
            else if (line.StartsWith("; <<>> DiG", StringComparison.Ordinal) && line.Contains(" AXFR", StringComparison.OrdinalIgnoreCase))
            {
                axfr = true;
            }
            else if (line.Length == 0)
            {
                section = null;
            }
            else if (!line.StartsWith(';'))
            {
                (section ?? (axfr ? answer : null))?.Add(line);
            }
        }

        return new LabDigResult(command, status, flags, answer, authority, additional, size);
    }

    [GeneratedRegex(@"^;; ->>HEADER<<- opcode: \w+, status: (\w+),")]
    private static partial Regex HeaderPattern();

    [GeneratedRegex(@"^;; flags: ([a-z ]*);")]
    private static partial Regex FlagsPattern();

    [GeneratedRegex(@"^;; MSG SIZE\s+rcvd: (\d+)")]
    private static partial Regex SizePattern();
}

/// <summary>Runs BIND's dig against one explicit lab server, never the system's resolver.</summary>
public static class LabDig
{
    /// <summary>
    /// dig @server name type, with +time=2 +tries=1 +norec unless <paramref name="options"/> say
    /// otherwise (later options win). Options are dig's own, e.g. "+tcp", "+dnssec", "+noedns", "+rec", "+time=1".
    /// </summary>
    public static async Task<LabDigResult> QueryAsync(
        IPAddress server, string name, string type, IReadOnlyList<string> options, CancellationToken cancellationToken)
    {
        List<string> arguments = ["-4", "@" + server, "-p", "53", "+time=2", "+tries=1", "+norec", .. options, name, type];
        var result = await LabProcess.RunAsync("dig", arguments, null, TimeSpan.FromSeconds(15), cancellationToken).ConfigureAwait(false);
        return LabDigResult.Parse(result);
    }

    public static Task<LabDigResult> QueryAsync(IPAddress server, string name, string type, CancellationToken cancellationToken) =>
        QueryAsync(server, name, type, [], cancellationToken);
}
