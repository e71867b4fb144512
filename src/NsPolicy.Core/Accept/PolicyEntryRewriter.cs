// Rewrites one zone's entry in the policy text so that it states the live delegation, touching
// nothing else: the entry's keys that drifted (nameservers, glue, ds, min-nameservers, dnssec) are
// replaced, added or removed at the character positions the YAML reader recorded; other keys,
// comments and blank lines of the entry, and every byte outside it, stay as they were. The new
// keys are written by init's PolicyWriter.
using System.Text;
using NsPolicy.Core.Init;
using NsPolicy.Core.Policy;
using NsPolicy.Core.Yaml;
using NsPolicy.Dns;

namespace NsPolicy.Core.Accept;

/// <summary>The entry cannot be rewritten safely; the message says why and what to do by hand.</summary>
public sealed class EntryRewriteException(string message) : Exception(message);

internal static class PolicyEntryRewriter
{
    /// <summary>Keys in the order init writes them; a new key goes after the last one before it that the entry has.</summary>
    private static readonly string[] Order = ["zone", "nameservers", "glue", "ds", "min-nameservers", "dnssec"];

    /// <summary>
    /// The policy text with the entry of <paramref name="drift"/>'s zone stating its live delegation.
    /// <paramref name="text"/> is the policy <paramref name="document"/> was loaded from.
    /// </summary>
    /// <exception cref="EntryRewriteException">The entry is written in a way this rewrite does not edit (flow style, an alias, a duplicate).</exception>
    public static string Rewrite(string text, PolicyDocument document, DelegationDrift drift)
    {
        var root = YamlTreeReader.Read(text) as YamlMapping ?? throw new EntryRewriteException("the policy is not a mapping");
        var zones = root["zones"] as YamlSequence ?? throw new EntryRewriteException("the policy has no zones list");
        var (entry, written) = FindEntry(zones, drift.Zone);
        if (zones.IsFlow || entry.IsFlow)
        {
            throw new EntryRewriteException("its entry is written in flow style ({ ... }); write it as a block mapping (one key per line) to have it rewritten");
        }

        if (written.Start != entry.Span.Start)
        {
            throw new EntryRewriteException("its entry is an alias (*name) of another node; write the entry out to have it rewritten");
        }

        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var indent = new string(' ', entry.Entries[0].Key.Start.Column - 1);
        var live = drift.Live;
        var wanted = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (drift.NameserversDiffer)
        {
            var set = document.NameserverSets.FirstOrDefault(s => LiveZoneNames(s).SequenceEqual(live.Nameservers))?.Name;
            var comment = drift.Policy.SetReferences.Count > 0 && set is null
                ? PolicyWriter.Comment(
                    $"was {string.Join(", ", drift.Policy.SetReferences.Select(r => "$" + r.Name))}; written out as the parent delegates the zone (nspolicy check --open-pr)",
                    indent)
                : string.Empty;
            wanted["nameservers"] = comment + PolicyWriter.Nameservers(live.Nameservers, set, indent);
        }

        if (drift.GlueDiffers)
        {
            wanted["glue"] = live.Glue.Count > 0 ? PolicyWriter.Glue(live.Glue, indent) : null;
        }

        if (drift.DsDiffers)
        {
            wanted["ds"] = live.Ds.Count > 0 ? PolicyWriter.Ds(live.Ds, indent) : null;
        }

        if (drift.MinNameservers is { } min)
        {
            wanted["min-nameservers"] = $"{indent}min-nameservers: {min.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n";
        }

        if (drift.Dnssec is { } dnssec)
        {
            wanted["dnssec"] = $"{indent}dnssec: {DelegationDrift.Spell(dnssec)}\n";
        }

        var edits = new List<Edit>();
        var insertions = new Dictionary<int, StringBuilder>();
        foreach (var key in Order.Where(wanted.ContainsKey))
        {
            var value = wanted[key];
            var at = IndexOf(entry, key);
            if (at >= 0 && value is not null)
            {
                var span = entry.EntrySpans[at];
                edits.Add(new Edit(span.Start, LineEnd(text, span.End), Lines(value, indent.Length, newline)));
            }
            else if (at >= 0)
            {
                edits.Add(Remove(text, entry, at));
            }
            else if (value is not null)
            {
                var after = Order.Take(Array.IndexOf(Order, key)).Select(k => IndexOf(entry, k)).Where(i => i >= 0).DefaultIfEmpty(0).Max();
                var position = LineEnd(text, entry.EntrySpans[after].End);
                if (!insertions.TryGetValue(position, out var builder))
                {
                    insertions[position] = builder = new StringBuilder();
                }

                builder.Append(newline).Append(Lines(value, 0, newline));
            }
        }

        edits.AddRange(insertions.Select(i => new Edit(i.Key, i.Key, i.Value.ToString())));
        var result = new StringBuilder(text);
        foreach (var edit in edits.OrderByDescending(e => e.Start).ThenByDescending(e => e.End))
        {
            result.Remove(edit.Start, edit.End - edit.Start).Insert(edit.Start, edit.Text);
        }

        return result.ToString();
    }

    private static IReadOnlyList<DnsName> LiveZoneNames(NameserverSet set) => [.. set.Nameservers.Select(n => n.Value).Distinct().Order()];

    private static (YamlMapping Entry, TextSpan Written) FindEntry(YamlSequence zones, DnsName zone)
    {
        var found = new List<(YamlMapping, TextSpan)>();
        for (var i = 0; i < zones.Items.Count; i++)
        {
            if (zones.Items[i] is YamlMapping { } mapping && mapping["zone"] is YamlScalar name &&
                DnsName.TryParse(name.Value, out var parsed, out _) && parsed == zone)
            {
                found.Add((mapping, zones.ItemSpans[i]));
            }
        }

        return found.Count switch
        {
            1 => found[0],
            0 => throw new EntryRewriteException("the policy has no entry for it"),
            _ => throw new EntryRewriteException("the policy lists it more than once"),
        };
    }

    private static int IndexOf(YamlMapping entry, string key)
    {
        for (var i = 0; i < entry.Entries.Count; i++)
        {
            if (entry.Entries[i].Key.Value == key)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Removes a key and its value with their lines; the entry's first key (on the "- " line) cannot be removed this way.</summary>
    private static Edit Remove(string text, YamlMapping entry, int index)
    {
        var span = entry.EntrySpans[index];
        var start = text.LastIndexOf('\n', Math.Max(0, span.Start - 1)) + 1;
        if (index == 0 || text.AsSpan(start, span.Start - start).Trim(' ').Length > 0)
        {
            throw new EntryRewriteException($"the key '{Excerpt.Of(entry.Entries[index].Key.Value)}' shares its line with other text; move it to a line of its own to have it rewritten");
        }

        var end = LineEnd(text, span.End);
        end = end < text.Length && text[end] == '\r' ? end + 1 : end;
        end = end < text.Length && text[end] == '\n' ? end + 1 : end;
        return new Edit(start, end, string.Empty);
    }

    /// <summary>
    /// Where the line of a value's last character ends (before its line break), when only blanks or a
    /// comment follow the value there; the value's own end otherwise.
    /// </summary>
    private static int LineEnd(string text, int end)
    {
        while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == '\r'))
        {
            end--;
        }

        var at = end;
        while (at < text.Length && text[at] is ' ' or '\t')
        {
            at++;
        }

        if (at < text.Length && text[at] == '#')
        {
            while (at < text.Length && text[at] is not '\n' and not '\r')
            {
                at++;
            }

            return at;
        }

        return at >= text.Length || text[at] is '\n' or '\r' ? at : end;
    }

    /// <summary>Writer output ("  key: v\n  ...\n") as text to put in place of a key: the first line's indent and the last line break dropped.</summary>
    private static string Lines(string value, int firstIndent, string newline)
    {
        var trimmed = value.EndsWith('\n') ? value[..^1] : value;
        return trimmed[firstIndent..].Replace("\n", newline, StringComparison.Ordinal);
    }

    private readonly record struct Edit(int Start, int End, string Text);
}
