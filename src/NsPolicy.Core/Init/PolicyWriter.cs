// Writes captured delegations as a version 1 policy (schemas/nspolicy.schema.json): commented,
// deterministic (zones, names, addresses and DS sorted; LF), with a nameserver set for every list
// of nameservers that two or more zones share. Pure: baselines in, YAML text out.
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using NsPolicy.Core.Policy;
using NsPolicy.Dns;
using NsPolicy.Dns.Records;

namespace NsPolicy.Core.Init;

/// <summary>What the policy says about itself and the settings init used.</summary>
public sealed record PolicyWriterOptions
{
    /// <summary>Where the delegations came from, for the header: "the parents' referrals".</summary>
    public required string Origin { get; init; }

    /// <summary>The root hints file as the policy should name it (relative to the policy), when init used one.</summary>
    public string? RootHints { get; init; }

    /// <summary>For delegations read from the parents; <paramref name="rootHints"/> as the policy should name the hints used, if not the built-in ones.</summary>
    public static PolicyWriterOptions FromParents(string? rootHints) =>
        new() { Origin = "each zone's delegation as its parent's servers publish it", RootHints = rootHints };

    public static PolicyWriterOptions FromZoneFile(string displayName) => new() { Origin = $"the zone file {displayName}" };

    public static PolicyWriterOptions FromZoneFiles(IReadOnlyList<string> displayNames)
    {
        ArgumentNullException.ThrowIfNull(displayNames);
        return displayNames.Count == 1 ? FromZoneFile(displayNames[0]) : new() { Origin = $"the zone files {string.Join(", ", displayNames)}" };
    }
}

public static class PolicyWriter
{
    /// <summary>The schema's <c>$id</c>, named in the <c>yaml-language-server</c> line for editors.</summary>
    public const string SchemaUrl = "https://nspolicy.dev/schemas/nspolicy.schema.json";

    private const int CommentWidth = 100;

    private static readonly Regex Plain = new(@"^[A-Za-z0-9_./][A-Za-z0-9._/-]*$", RegexOptions.CultureInvariant);

    /// <summary>Plain scalars that YAML 1.1 or 1.2 would read as a number, a boolean or null.</summary>
    private static readonly Regex NotAString = new(
        @"^([-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|0x[0-9A-Fa-f_]+|0o?[0-7_]+|0b[01_]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$",
        RegexOptions.CultureInvariant);

    /// <summary>What the policy schema accepts as a host name.</summary>
    private static readonly Regex HostName = new(@"^(?!\.)[^\s.$@\\/]+(\.[^\s.$@\\/]+)*\.?$", RegexOptions.CultureInvariant);

    private static readonly Regex SetName = new(@"^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$", RegexOptions.CultureInvariant);

    /// <summary>True when a policy can spell <paramref name="name"/> (its schema allows no escapes, spaces, '/', '@' or '$').</summary>
    public static bool CanWrite(DnsName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return !name.IsRoot && HostName.IsMatch(name.ToString());
    }

    /// <summary>
    /// The policy for the captured zones, with a comment for each problem and for each zone that
    /// could not be captured. At least one zone must have been captured.
    /// </summary>
    public static string Write(IReadOnlyList<ZoneBaseline> zones, PolicyWriterOptions options)
    {
        ArgumentNullException.ThrowIfNull(zones);
        ArgumentNullException.ThrowIfNull(options);
        var sorted = zones.OrderBy(z => z.Zone).ToList();
        var captured = sorted.Where(z => z.Captured).ToList();
        if (captured.Count == 0)
        {
            throw new ArgumentException("no zone was captured; a policy needs at least one", nameof(zones));
        }

        var sets = NameSets(captured);
        var yaml = new StringBuilder();
        yaml.Append("# yaml-language-server: $schema=").Append(SchemaUrl).Append('\n');
        Comment(yaml, string.Empty, $"Written by nspolicy init from {options.Origin}.");
        Comment(yaml, string.Empty, "Review it (CHECK comments need a decision), then commit it; nspolicy check reports any drift.");
        yaml.Append("version: 1\n");
        if (options.RootHints is { } hints)
        {
            yaml.Append("settings:\n");
            yaml.Append("  root-hints: ").Append(Scalar(hints)).Append("   # the root hints init used\n");
        }

        if (sets.Count > 0)
        {
            yaml.Append("nameserver-sets:\n");
            foreach (var (list, name) in sets.OrderBy(s => s.Value, StringComparer.Ordinal))
            {
                Sequence(yaml, "  ", name, list.Names.Select(n => Scalar(Name(n))));
            }
        }

        yaml.Append("zones:\n");
        var first = true;
        foreach (var zone in sorted)
        {
            if (!first)
            {
                yaml.Append('\n');
            }

            first = false;
            if (!zone.Captured)
            {
                foreach (var problem in zone.Problems)
                {
                    Comment(yaml, "  ", $"{Name(zone.Zone)}: {problem}");
                }

                continue;
            }

            Comment(yaml, "  ", $"{Name(zone.Zone)}: {zone.Source}");
            foreach (var problem in zone.Problems)
            {
                Comment(yaml, "  ", "CHECK: " + problem);
            }

            yaml.Append("  - zone: ").Append(Scalar(Name(zone.Zone))).Append('\n');
            yaml.Append(Nameservers(zone.Nameservers, sets.TryGetValue(new NameList(zone.Nameservers), out var set) ? set : null, "    "));
            yaml.Append(Glue(zone.Glue, "    "));
            yaml.Append(Ds(zone.Ds, "    "));
            yaml.Append(MinNameservers(zone.Nameservers.Count));
            if (zone.Ds.Count > 0)
            {
                yaml.Append("    dnssec: signed\n");
            }

            if (zone.ZoneFile is { } file)
            {
                yaml.Append("    zone-file: ").Append(Scalar(file)).Append('\n');
            }
        }

        return yaml.ToString();
    }

    /// <summary>
    /// The <c>nameservers</c> key of a zone entry, its lines indented by <paramref name="indent"/>:
    /// <c>[$set]</c> when <paramref name="set"/> names a nameserver set, else the names.
    /// </summary>
    public static string Nameservers(IReadOnlyList<DnsName> nameservers, string? set, string indent)
    {
        ArgumentNullException.ThrowIfNull(nameservers);
        var yaml = new StringBuilder();
        Sequence(yaml, indent, "nameservers", set is not null ? ["$" + set] : nameservers.Select(n => Scalar(Name(n))));
        return yaml.ToString();
    }

    /// <summary>The <c>glue</c> key of a zone entry, or nothing when there is no glue.</summary>
    public static string Glue(IReadOnlyList<BaselineGlue> glue, string indent)
    {
        ArgumentNullException.ThrowIfNull(glue);
        var yaml = new StringBuilder();
        if (glue.Count > 0)
        {
            yaml.Append(indent).Append("glue:\n");
            foreach (var entry in glue.OrderBy(g => g.Nameserver))
            {
                Sequence(yaml, indent + "  ", Scalar(Name(entry.Nameserver)), entry.Addresses.Select(Address));
            }
        }

        return yaml.ToString();
    }

    /// <summary>The <c>ds</c> key of a zone entry, or nothing when there is no DS.</summary>
    public static string Ds(IReadOnlyList<DsRData> ds, string indent)
    {
        ArgumentNullException.ThrowIfNull(ds);
        var yaml = new StringBuilder();
        if (ds.Count > 0)
        {
            yaml.Append(indent).Append("ds:\n");
            foreach (var record in ds)
            {
                yaml.Append(CultureInfo.InvariantCulture,
                    $"{indent}  - {{ key-tag: {record.KeyTag}, algorithm: {(byte)record.Algorithm}, digest-type: {(byte)record.DigestType}, digest: {Scalar(Convert.ToHexString(record.Digest.AsSpan()))} }}\n");
            }
        }

        return yaml.ToString();
    }

    /// <summary>Comment lines at <paramref name="indent"/>, wrapped as init wraps its own.</summary>
    public static string Comment(string text, string indent)
    {
        ArgumentNullException.ThrowIfNull(text);
        var yaml = new StringBuilder();
        Comment(yaml, indent, text);
        return yaml.ToString();
    }

    /// <summary>A set name for every list of nameservers that at least two zones share.</summary>
    /// <summary>
    /// The count found as the zone's minimum; above the schema's maximum, the maximum, so that the
    /// policy written validates (a delegation to 40 names still passes with 13 of them left).
    /// </summary>
    private static string MinNameservers(int count) => count switch
    {
        < 2 => string.Create(CultureInfo.InvariantCulture, $"    min-nameservers: {count}   # fewer than two nameservers exist\n"),
        > ZonePolicy.MaxMinNameservers => string.Create(CultureInfo.InvariantCulture,
            $"    min-nameservers: {ZonePolicy.MaxMinNameservers}   # {count} nameservers exist; the schema allows at most {ZonePolicy.MaxMinNameservers}\n"),
        _ => string.Create(CultureInfo.InvariantCulture, $"    min-nameservers: {count}\n"),
    };

    private static Dictionary<NameList, string> NameSets(IReadOnlyList<ZoneBaseline> zones)
    {
        var shared = zones
            .GroupBy(z => new NameList(z.Nameservers))
            .Where(g => g.Count() >= 2)
            .Select(g => g.Key)
            .OrderBy(l => l.Key, StringComparer.Ordinal)
            .ToList();
        var names = new Dictionary<NameList, string>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var unnamed = 0;
        foreach (var list in shared)
        {
            var stem = Stem(list.Names) ?? string.Create(CultureInfo.InvariantCulture, $"set-{++unnamed}");
            var name = stem;
            for (var n = 2; !taken.Add(name); n++)
            {
                name = string.Create(CultureInfo.InvariantCulture, $"{stem[..Math.Min(stem.Length, 58)]}-{n}");
            }

            names[list] = name;
        }

        return names;
    }

    /// <summary>"provider-example-net" when every nameserver sits in provider.example.net; null otherwise.</summary>
    private static string? Stem(IReadOnlyList<DnsName> names)
    {
        var domains = names.Select(n => n.LabelCount > 1 ? n.Parent : n).Distinct().ToList();
        if (domains.Count != 1 || domains[0].IsRoot)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (var c in Name(domains[0]))
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-');
        }

        var stem = text.ToString().TrimStart('-', '_');
        stem = stem[..Math.Min(stem.Length, 63)].TrimEnd('-', '_');
        return SetName.IsMatch(stem) ? stem : null;
    }

    /// <summary>A name as policies usually spell it: A-labels, lower case, no trailing dot.</summary>
    private static string Name(DnsName name) => name.ToString().TrimEnd('.');

    private static string Address(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? Quote(address.ToString()) : address.ToString();

    /// <summary>"key: [a, b]", or a block sequence when that line would be longer than a comment line.</summary>
    private static void Sequence(StringBuilder yaml, string indent, string key, IEnumerable<string> items)
    {
        var list = items.ToList();
        var flow = $"{indent}{key}: [{string.Join(", ", list)}]";
        if (flow.Length <= CommentWidth)
        {
            yaml.Append(flow).Append('\n');
            return;
        }

        yaml.Append(indent).Append(key).Append(":\n");
        foreach (var item in list)
        {
            yaml.Append(indent).Append("  - ").Append(item).Append('\n');
        }
    }

    /// <summary>The text as a plain scalar when YAML reads it back as that same string, else double-quoted.</summary>
    private static string Scalar(string text) => Plain.IsMatch(text) && !NotAString.IsMatch(text) ? text : Quote(text);

    private static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    quoted.Append("\\\"");
                    break;
                case '\\':
                    quoted.Append("\\\\");
                    break;
                case < ' ' or '\u007f':
                    quoted.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
                    break;
                default:
                    quoted.Append(c);
                    break;
            }
        }

        return quoted.Append('"').ToString();
    }

    /// <summary>Comment lines, wrapped at word boundaries; control characters are shown as '?'.</summary>
    private static void Comment(StringBuilder yaml, string indent, string text)
    {
        var clean = new string([.. text.Select(c => char.IsControl(c) ? '?' : c)]);
        var line = new StringBuilder();
        foreach (var word in clean.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && indent.Length + 2 + line.Length + 1 + word.Length > CommentWidth)
            {
                yaml.Append(indent).Append("# ").Append(line).Append('\n');
                line.Clear().Append("  ");
            }
            else if (line.Length > 0)
            {
                line.Append(' ');
            }

            line.Append(word);
        }

        if (line.Length > 0)
        {
            yaml.Append(indent).Append("# ").Append(line).Append('\n');
        }
    }

    /// <summary>A sorted list of nameserver names, compared by value.</summary>
    private sealed class NameList(IReadOnlyList<DnsName> names) : IEquatable<NameList>
    {
        public IReadOnlyList<DnsName> Names { get; } = [.. names.Distinct().Order()];

        public string Key => string.Join(" ", Names);

        public bool Equals(NameList? other) => other is not null && Names.SequenceEqual(other.Names);

        public override bool Equals(object? obj) => Equals(obj as NameList);

        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);
    }
}
