using System.Globalization;
using System.Net;
using System.Net.Sockets;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Yaml;
using NsPolicy.Dns;

namespace NsPolicy.Core.Policy;

/// <summary>
/// Builds the policy model from a schema-valid YAML tree. Names and addresses that the schema's
/// patterns let through but that are not valid are reported here and left out of the model.
/// </summary>
internal sealed class PolicyBinder(string file)
{
    public const string NameInvalidCode = "POLICY_NAME_INVALID";
    public const string AddressInvalidCode = "POLICY_ADDRESS_INVALID";

    private readonly List<Finding> findings = [];

    public IReadOnlyList<Finding> Findings => findings;

    public PolicyDocument Bind(YamlMapping root)
    {
        var settings = BindSettings(root["settings"] as YamlMapping);
        var defaults = root["defaults"] as YamlMapping;
        var defaultMin = IntAt(defaults, "min-nameservers") is { } m ? m : new Located<int>(2, root.Start);
        var defaultTtl = TtlAt(defaults, "ns-ttl", new Located<TtlRange>(TtlRange.Default, root.Start));
        var defaultDnssec = DnssecAt(defaults, "dnssec") ?? new Located<DnssecExpectation>(DnssecExpectation.Any, root.Start);

        var sets = new List<NameserverSet>();
        if (root["nameserver-sets"] is YamlMapping setsNode)
        {
            foreach (var (key, value) in setsNode.Entries)
            {
                var names = ((YamlSequence)value).Items.Cast<YamlScalar>()
                    .Select(HostName).OfType<Located<DnsName>>().ToList();
                sets.Add(new NameserverSet(key.Value, key.Start, names));
            }
        }

        var zones = new List<ZonePolicy>();
        foreach (var item in ((YamlSequence)root["zones"]!).Items)
        {
            var zone = BindZone((YamlMapping)item, sets, defaultMin, defaultTtl, defaultDnssec);
            if (zone is not null)
            {
                zones.Add(zone);
            }
        }

        return new PolicyDocument(file, 1, settings, sets, zones);
    }

    private ZonePolicy? BindZone(
        YamlMapping node,
        List<NameserverSet> sets,
        Located<int> defaultMin,
        Located<TtlRange> defaultTtl,
        Located<DnssecExpectation> defaultDnssec)
    {
        var zoneNode = (YamlScalar)node["zone"]!;
        var zone = Name(zoneNode);

        var nameservers = new List<NameserverEntry>();
        var references = new List<SetReference>();
        foreach (var entry in ((YamlSequence)node["nameservers"]!).Items.Cast<YamlScalar>())
        {
            if (entry.Value.StartsWith('$'))
            {
                var setName = entry.Value[1..];
                references.Add(new SetReference(setName, entry.Start));
                var set = sets.FirstOrDefault(s => s.Name == setName);
                if (set is not null)
                {
                    nameservers.AddRange(set.Nameservers.Select(n => new NameserverEntry(n.Value, entry.Start, setName)));
                }

                continue;
            }

            if (HostName(entry) is { } name)
            {
                nameservers.Add(new NameserverEntry(name.Value, name.Position, null));
            }
        }

        var glue = new List<GlueEntry>();
        if (node["glue"] is YamlMapping glueNode)
        {
            foreach (var (key, value) in glueNode.Entries)
            {
                var addresses = ((YamlSequence)value).Items.Cast<YamlScalar>().Select(Address).OfType<Located<IPAddress>>().ToList();
                if (HostName(key) is { } host)
                {
                    glue.Add(new GlueEntry(host.Value, key.Start, addresses));
                }
            }
        }

        var ds = new List<DsSpec>();
        if (node["ds"] is YamlSequence dsNode)
        {
            foreach (var item in dsNode.Items.Cast<YamlMapping>())
            {
                ds.Add(new DsSpec(
                    (ushort)Integer(item["key-tag"]),
                    (byte)Integer(item["algorithm"]),
                    (byte)Integer(item["digest-type"]),
                    ((YamlScalar)item["digest"]!).Value,
                    item.Start));
            }
        }

        var acks = new List<Acknowledgement>();
        if (node["acknowledge"] is YamlSequence ackNode)
        {
            foreach (var item in ackNode.Items.Cast<YamlMapping>())
            {
                var until = (YamlScalar)item["until"]!;
                if (!DateOnly.TryParseExact(until.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    findings.Add(new Finding(PolicyLoader.SchemaCode, new SourceLocation(file, until.Start), $"'{Excerpt.Of(until.Value)}' is not a calendar date") { Subject = until.Value });
                    continue;
                }

                acks.Add(new Acknowledgement(((YamlScalar)item["code"]!).Value, ((YamlScalar)item["reason"]!).Value, date, item.Start));
            }
        }

        var zoneFile = node["zone-file"] is YamlScalar zf ? new Located<string>(zf.Value, zf.Start) : null;
        if (zone is null)
        {
            return null;
        }

        return new ZonePolicy(
            zone.Value,
            zoneNode.Value,
            zoneNode.Start,
            nameservers,
            references,
            glue,
            ds,
            IntAt(node, "min-nameservers") ?? defaultMin,
            TtlAt(node, "ns-ttl", defaultTtl),
            DnssecAt(node, "dnssec") ?? defaultDnssec,
            zoneFile,
            acks);
    }

    private PolicySettings BindSettings(YamlMapping? node)
    {
        var resolvers = new List<Located<IPAddress>>();
        if (node?["resolvers"] is YamlSequence list)
        {
            resolvers.AddRange(list.Items.Cast<YamlScalar>().Select(Address).OfType<Located<IPAddress>>());
        }

        var rootHints = node?["root-hints"] is YamlScalar { Kind: not ScalarKind.Null } hints
            ? new Located<string>(hints.Value, hints.Start)
            : null;

        var timeout = PolicySettings.DefaultTimeout;
        if (node?["timeout"] is YamlScalar t)
        {
            // The schema admits only what LiveDuration reads (at most its maximum).
            if (!Live.LiveDuration.TryParse(t.Value, out timeout))
            {
                findings.Add(new Finding(PolicyLoader.SchemaCode, new SourceLocation(file, t.Start), $"settings.timeout: expected a duration of at most {Live.LiveDuration.MaxTimeoutText} such as 500ms or 2s"));
                timeout = PolicySettings.DefaultTimeout;
            }
        }

        var retries = node?["retries"] is YamlScalar r ? (int)Integer(r) : PolicySettings.DefaultRetries;

        var overrides = new List<SeverityOverride>();
        if (node?["severity"] is YamlMapping severity)
        {
            foreach (var (key, value) in severity.Entries)
            {
                SeverityNames.TryParse(((YamlScalar)value).Value, out var level);
                overrides.Add(new SeverityOverride(key.Value, level, key.Start));
            }
        }

        return new PolicySettings(resolvers, rootHints, timeout, retries, overrides)
        {
            IPv6 = node?["ipv6"] is YamlScalar { Kind: not ScalarKind.Null } ipv6 ? new Located<string>(ipv6.Value, ipv6.Start) : null,
        };
    }

    private static Located<int>? IntAt(YamlMapping? node, string key) =>
        node?[key] is YamlScalar s ? new Located<int>((int)Integer(s), s.Start) : null;

    /// <summary>A schema-checked integer (YAML 1.2 core schema: decimal, 0o octal, 0x hex); the schema bounds its range.</summary>
    private static long Integer(YamlNode? node) =>
        node is YamlScalar s && YamlJson.TryParseInteger(s.Value, out var value)
            ? value
            : throw new InvalidOperationException("the schema admitted a value that is not an integer");

    private static Located<TtlRange> TtlAt(YamlMapping? node, string key, Located<TtlRange> inherited)
    {
        if (node?[key] is not YamlMapping range)
        {
            return inherited;
        }

        var min = range["min"] is YamlScalar lo ? (uint)Integer(lo) : inherited.Value.Min;
        var max = range["max"] is YamlScalar hi ? (uint)Integer(hi) : inherited.Value.Max;
        return new Located<TtlRange>(new TtlRange(min, max), range.Start);
    }

    private static Located<DnssecExpectation>? DnssecAt(YamlMapping? node, string key) =>
        node?[key] is YamlScalar s
            ? new Located<DnssecExpectation>(
                s.Value switch
                {
                    "signed" => DnssecExpectation.Signed,
                    "unsigned" => DnssecExpectation.Unsigned,
                    _ => DnssecExpectation.Any,
                },
                s.Start)
            : null;

    /// <summary>
    /// A nameserver's name: a domain name that is a host name, not an IP address written where a
    /// name belongs (<c>192.0.2.1</c>, <c>2001:db8::1</c>): no ':' and a last label that is not all
    /// digits (RFC 3696 §2).
    /// </summary>
    private Located<DnsName>? HostName(YamlScalar node)
    {
        var text = node.Value.TrimEnd('.');
        var last = text[(text.LastIndexOf('.') + 1)..];
        if (text.Contains(':', StringComparison.Ordinal) || (last.Length > 0 && last.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0))
        {
            findings.Add(new Finding(NameInvalidCode, new SourceLocation(file, node.Start), $"'{Excerpt.Of(node.Value)}' is an IP address, not a nameserver host name; write the server's name here and its address under glue") { Subject = node.Value });
            return null;
        }

        return Name(node);
    }

    private Located<DnsName>? Name(YamlScalar node)
    {
        if (DnsName.TryParse(node.Value, out var name, out var error) && name is not null)
        {
            if (name.IsRoot)
            {
                findings.Add(new Finding(NameInvalidCode, new SourceLocation(file, node.Start), $"'{Excerpt.Of(node.Value)}' is the root; a zone or nameserver name is expected") { Subject = node.Value });
                return null;
            }

            if (MixedScripts.Find(node.Value) is { } mixed)
            {
                findings.Add(new Finding(NameInvalidCode, new SourceLocation(file, node.Start),
                    $"'{Excerpt.Of(node.Value)}' has a label that mixes {mixed.Scripts} letters ('{Excerpt.Of(mixed.Label)}', {Excerpt.Of(AsciiLabel(mixed.Label))}), so it can pass for another name; write each label in one script") { Subject = node.Value });
                return null;
            }

            return new Located<DnsName>(name, node.Start);
        }

        findings.Add(new Finding(NameInvalidCode, new SourceLocation(file, node.Start), $"'{Excerpt.Of(node.Value)}' is not a valid domain name: {error}") { Subject = node.Value });
        return null;
    }

    private static string AsciiLabel(string label)
    {
        try
        {
            return new System.Globalization.IdnMapping().GetAscii(label);
        }
        catch (ArgumentException)
        {
            return label;
        }
    }

    private Located<IPAddress>? Address(YamlScalar node)
    {
        var text = node.Value;
        var family = text.Contains(':', StringComparison.Ordinal) ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        if (IPAddress.TryParse(text, out var address) && address.AddressFamily == family && !text.Contains('%', StringComparison.Ordinal))
        {
            return new Located<IPAddress>(address, node.Start);
        }

        findings.Add(new Finding(AddressInvalidCode, new SourceLocation(file, node.Start), $"'{Excerpt.Of(text)}' is not a valid IPv{(family == AddressFamily.InterNetwork ? "4" : "6")} address") { Subject = text });
        return null;
    }

    /// <summary>A value as quoted in a message: long ones are cut, so a hostile file cannot flood the report.</summary>
}
