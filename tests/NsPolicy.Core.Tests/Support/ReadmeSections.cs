using System.Globalization;
using System.Text;
using System.Text.Json;
using NsPolicy.Core.Checks;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Tests.Support;

/// <summary>
/// The README sections that are generated from the code: the policy reference (from the JSON
/// Schema) and the rule table (from the check catalogue). Each sits between
/// <c>&lt;!-- begin NAME --&gt;</c> and <c>&lt;!-- end NAME --&gt;</c> markers.
/// </summary>
internal static class ReadmeSections
{
    public static string PolicyReference(string schemaJson)
    {
        using var doc = JsonDocument.Parse(schemaJson);
        var root = doc.RootElement;
        var b = new StringBuilder();
        b.Append("| key | type | description |\n|---|---|---|\n");
        Walk(root, root, string.Empty, b);
        return b.ToString();
    }

    public static string RuleTable()
    {
        var b = new StringBuilder();
        b.Append("| code | default severity | what it means |\n|---|---|---|\n");
        foreach (var rule in CheckCatalogue.Rules.OrderBy(r => r.Code, StringComparer.Ordinal))
        {
            // The anchor is what SARIF's helpUri points to (SarifReporter.HelpUri).
            b.Append(CultureInfo.InvariantCulture, $"| <a id=\"{rule.Code.ToLowerInvariant()}\"></a>`{rule.Code}` | {rule.DefaultSeverity.ToName()} | {rule.Title} |\n");
        }

        return b.ToString();
    }

    public static string Replace(string readme, string name, string content)
    {
        var begin = $"<!-- begin {name} -->\n";
        var end = $"<!-- end {name} -->";
        var start = readme.IndexOf(begin, StringComparison.Ordinal);
        var stop = readme.IndexOf(end, StringComparison.Ordinal);
        if (start < 0 || stop < start)
        {
            throw new InvalidOperationException($"README.md lacks the markers for section '{name}'");
        }

        return readme[..(start + begin.Length)] + content + readme[stop..];
    }

    private static void Walk(JsonElement root, JsonElement schema, string path, StringBuilder b)
    {
        schema = Resolve(root, schema);
        if (schema.TryGetProperty("properties", out var properties))
        {
            foreach (var property in properties.EnumerateObject())
            {
                var childPath = path.Length == 0 ? property.Name : path + "." + property.Name;
                Row(root, property.Value, childPath, b);
                Walk(root, property.Value, childPath, b);
            }
        }

        if (schema.TryGetProperty("patternProperties", out var patterns))
        {
            foreach (var pattern in patterns.EnumerateObject())
            {
                var childPath = path + ".<" + KeyName(path) + ">";
                Row(root, pattern.Value, childPath, b);
                Walk(root, pattern.Value, childPath, b);
            }
        }

        if (schema.TryGetProperty("items", out var items))
        {
            Walk(root, items, path + "[]", b);
        }
    }

    private static string KeyName(string path) => path switch
    {
        var p when p.EndsWith("glue", StringComparison.Ordinal) => "nameserver",
        var p when p.EndsWith("severity", StringComparison.Ordinal) => "CODE",
        var p when p.EndsWith("nameserver-sets", StringComparison.Ordinal) => "set name",
        _ => "key",
    };

    private static void Row(JsonElement root, JsonElement schema, string path, StringBuilder b)
    {
        var description = schema.TryGetProperty("description", out var d) ? d.GetString() : null;
        var resolved = Resolve(root, schema);
        description ??= resolved.TryGetProperty("description", out var rd) ? rd.GetString() : string.Empty;
        b.Append(CultureInfo.InvariantCulture, $"| `{path}` | {TypeOf(resolved)} | {description!.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
    }

    private static string TypeOf(JsonElement schema)
    {
        if (schema.TryGetProperty("enum", out var values))
        {
            return string.Join(" \\| ", values.EnumerateArray().Select(v => "`" + v.ToString() + "`"));
        }

        if (!schema.TryGetProperty("type", out var type))
        {
            return "any";
        }

        var names = type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()!)
            : [type.GetString()!];
        var text = string.Join(" or ", names.Select(n => n switch
        {
            "object" => "mapping",
            "array" => "list",
            _ => n,
        }));
        if (schema.TryGetProperty("items", out var items) && items.TryGetProperty("$ref", out var r))
        {
            text += " of " + r.GetString()!.Split('/')[^1];
        }
        else if (schema.TryGetProperty("items", out var inner) && inner.TryGetProperty("type", out var innerType))
        {
            text += " of " + innerType.GetString();
        }

        return text;
    }

    private static JsonElement Resolve(JsonElement root, JsonElement schema)
    {
        while (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            schema = root.GetProperty("definitions").GetProperty(name);
        }

        return schema;
    }
}
