using System.Globalization;
using System.Text;
using NsPolicy.Dns.Tests.Lab;

namespace NsPolicy.Lab;

/// <summary>A policy stating the delegation of the lab's generated zones exactly as the lab builds it.</summary>
internal static class GeneratedPolicy
{
    public static string Yaml(DnsLab lab)
    {
        var yaml = new StringBuilder();
        yaml.Append("# Written by nspolicy-lab: the intended delegation of the lab's ")
            .Append(lab.GeneratedZones.Count.ToString(CultureInfo.InvariantCulture))
            .Append(" generated zones, which the lab serves without a fault\n")
            .Append("# (odd-numbered ones signed, with the DS records of this run of the lab).\n")
            .Append("version: 1\n")
            .Append("settings:\n")
            .Append("  resolvers: []\n")
            .Append("defaults:\n")
            .Append("  dnssec: unsigned\n")
            .Append("zones:\n");
        foreach (var name in lab.GeneratedZones)
        {
            var zone = lab.Zones[name];
            yaml.Append("  - zone: ").Append(zone.Name).Append('\n')
                .Append("    nameservers: [").AppendJoin(", ", zone.DelegatedNameservers).Append("]\n")
                .Append("    glue:\n");
            foreach (var (ns, addresses) in zone.Glue.OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                yaml.Append("      ").Append(ns).Append(": [").AppendJoin(", ", addresses).Append("]\n");
            }

            if (zone.ParentDsRecords.Count > 0)
            {
                yaml.Append("    dnssec: signed\n")
                    .Append("    ds:\n");
                foreach (var line in zone.ParentDsRecords)
                {
                    // "owner IN DS tag algorithm digest-type digest…" as dnssec-dsfromkey prints it.
                    var fields = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                    var at = Array.IndexOf(fields, "DS");
                    yaml.Append("      - { key-tag: ").Append(fields[at + 1])
                        .Append(", algorithm: ").Append(fields[at + 2])
                        .Append(", digest-type: ").Append(fields[at + 3])
                        .Append(", digest: ").Append(string.Concat(fields[(at + 4)..])).Append(" }\n");
                }
            }
        }

        return yaml.ToString();
    }
}
