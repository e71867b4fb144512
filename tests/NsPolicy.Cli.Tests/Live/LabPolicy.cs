using System.Globalization;
using System.Text;
using NsPolicy.Dns.Tests.Lab;

namespace NsPolicy.Cli.Tests.Live;

/// <summary>
/// Writes a policy that states the intended delegation of every lab child zone: the NS set and glue
/// the lab's parent publishes, its DS records, and whether the zone is meant to be signed. The
/// faults the lab builds into the zones are what the live checks must find.
/// </summary>
internal static class LabPolicy
{
    /// <summary>Zones whose intent is "signed" although the parent has no DS: the fault is the missing DS.</summary>
    private static readonly HashSet<string> MeantSigned = new(StringComparer.Ordinal) { "no-ds.test." };

    public static string Yaml(DnsLab lab, IEnumerable<string> zones)
    {
        var yaml = new StringBuilder();
        yaml.Append("version: 1\n");
        yaml.Append("settings:\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  resolvers: [{lab.ResolverAddress}]\n");
        yaml.Append("  timeout: 500ms\n");
        yaml.Append("  retries: 1\n");
        yaml.Append("zones:\n");
        foreach (var name in zones.Order(StringComparer.Ordinal))
        {
            var zone = lab.Zones[name];
            yaml.Append(CultureInfo.InvariantCulture, $"  - zone: {zone.Name}\n");
            yaml.Append(CultureInfo.InvariantCulture, $"    nameservers: [{string.Join(", ", zone.DelegatedNameservers)}]\n");
            if (zone.Glue.Count > 0)
            {
                yaml.Append("    glue:\n");
                foreach (var (ns, addresses) in zone.Glue.OrderBy(g => g.Key, StringComparer.Ordinal))
                {
                    yaml.Append(CultureInfo.InvariantCulture, $"      {ns}: [{string.Join(", ", addresses)}]\n");
                }
            }

            if (zone.ParentDsRecords.Count > 0)
            {
                yaml.Append("    ds:\n");
                foreach (var line in zone.ParentDsRecords)
                {
                    var f = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                    var at = Array.FindIndex(f, t => t == "DS");
                    yaml.Append(CultureInfo.InvariantCulture,
                        $"      - {{ key-tag: {f[at + 1]}, algorithm: {f[at + 2]}, digest-type: {f[at + 3]}, digest: {string.Concat(f[(at + 4)..])} }}\n");
                }
            }

            if (MeantSigned.Contains(zone.Name))
            {
                yaml.Append("    dnssec: signed\n");
            }
        }

        return yaml.ToString();
    }
}
