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
            .Append(" generated zones, which the lab serves without a fault.\n")
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
        }

        return yaml.ToString();
    }
}
