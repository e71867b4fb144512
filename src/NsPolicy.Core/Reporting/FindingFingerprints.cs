using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Reporting;

/// <summary>
/// Stable fingerprints: the same problem gets the same fingerprint in every run, however the
/// policy's lines move or a message is reworded. A fingerprint is the first 128 bits, in hex, of
/// SHA-256 over the code, the zone and the finding's subject (the file, when a check names no
/// subject). Findings that would share one are told apart by their order in the report.
/// </summary>
public static class FindingFingerprints
{
    public const string Version = "v1";

    /// <summary>One fingerprint per finding, in the order given.</summary>
    public static IReadOnlyList<string> Of(IReadOnlyList<RatedFinding> findings)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<string>(findings.Count);
        foreach (var f in findings)
        {
            var key = Key(f.Finding);
            var n = seen.TryGetValue(key, out var count) ? count + 1 : 0;
            seen[key] = n;
            result.Add(Hash(n == 0 ? key : key + "\n#" + n.ToString(CultureInfo.InvariantCulture)));
        }

        return result;
    }

    private static string Key(Finding finding) =>
        string.Join('\n', Version, finding.Code, finding.Zone?.ToString() ?? string.Empty, finding.Subject ?? "file:" + finding.Location.File.Replace('\\', '/'));

    private static string Hash(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 16));
}
