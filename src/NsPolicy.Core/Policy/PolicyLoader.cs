using System.Globalization;
using System.Text;
using NJsonSchema;
using NJsonSchema.Validation;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Yaml;
using NsPolicy.Dns;

namespace NsPolicy.Core.Policy;

/// <summary>The outcome of loading a policy: the document when it is usable, and the findings.</summary>
public sealed record PolicyLoadResult(PolicyDocument? Document, IReadOnlyList<Finding> Findings);

/// <summary>
/// Turns policy bytes into a <see cref="PolicyDocument"/>: UTF-8 and size limits, YAML with
/// positions, the version, the JSON Schema (errors at YAML line and column), then binding.
/// </summary>
public static class PolicyLoader
{
    public const int MaxBytes = 4 * 1024 * 1024;

    public const string EmptyCode = "POLICY_EMPTY";
    public const string VersionCode = "POLICY_VERSION_UNSUPPORTED";
    public const string SchemaCode = "POLICY_SCHEMA";

    public static async Task<PolicyLoadResult> LoadAsync(string file, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var findings = new List<Finding>();
        Finding At(string code, SourcePosition position, string message) =>
            new(code, new SourceLocation(file, position), message);

        if (bytes.Length > MaxBytes)
        {
            findings.Add(TooLarge(file, bytes.Length));
            return new(null, findings);
        }

        if (!TryDecode(bytes.Span, out var text, out var badAt, out var badByte))
        {
            findings.Add(At(YamlTreeReader.SyntaxCode, badAt, badByte == 0
                ? "the policy file holds a NUL byte, which YAML text may not"
                : string.Create(CultureInfo.InvariantCulture, $"the policy file is not UTF-8 text (byte 0x{badByte:X2})")));
            return new(null, findings);
        }

        YamlNode? root;
        try
        {
            root = YamlTreeReader.Read(text);
        }
        catch (YamlLoadException e)
        {
            var lines = text.Split('\n');
            var tab = e.Code != YamlTreeReader.SyntaxCode ? null
                : e.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) ? FirstTabIndentation(lines, e.Position.Line)
                : TabIndentation(lines, e.Position.Line) ?? TabIndentation(lines, e.Position.Line + 1);
            findings.Add(tab is { } at
                ? At(e.Code, at, "a tab is used for indentation; YAML allows only spaces there")
                : At(e.Code, e.Position, e.Message));
            return new(null, findings);
        }

        if (root is null || root is YamlScalar { Kind: ScalarKind.Null })
        {
            findings.Add(At(EmptyCode, new(1, 1), "the policy file is empty; it needs at least `version: 1` and `zones`"));
            return new(null, findings);
        }

        if (root is not YamlMapping mapping)
        {
            findings.Add(At(SchemaCode, root.Start, "the policy must be a mapping with the keys version and zones, not a " + (root is YamlSequence ? "list" : "single value")));
            return new(null, findings);
        }

        if (mapping["version"] is YamlNode version &&
            !(version is YamlScalar { Kind: ScalarKind.Integer } v && YamlJson.TryParseInteger(v.Value, out var number) && number == 1))
        {
            var message = version switch
            {
                YamlScalar { Kind: ScalarKind.Integer } s => $"policy version {s.Value} is not supported; this nspolicy reads version 1",
                YamlScalar { Kind: ScalarKind.String } s when s.Value.Trim() == "1" => "version must be the number 1, not the string '1'",
                YamlScalar s => $"policy version '{Excerpt.Of(s.Value)}' is not supported; this nspolicy reads version 1",
                _ => "version must be the number 1, not a list or mapping",
            };
            findings.Add(At(VersionCode, version.Start, message));
            return new(null, findings);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var json = YamlJson.From(root);
        var schema = await PolicySchema.GetAsync().ConfigureAwait(false);
        var errors = new JsonSchemaValidator().Validate(json.Json, schema);
        foreach (var error in Flatten(errors))
        {
            var (position, path) = json.At(error.HasLineInfo ? error.LineNumber : 1);
            findings.Add(At(CodeOf(error), position, Describe(error, path)));
        }

        if (findings.Count > 0)
        {
            return new(null, Deduplicate(findings));
        }

        var binder = new PolicyBinder(file);
        var document = binder.Bind((YamlMapping)root);
        return new(document, binder.Findings);
    }

    /// <summary>The finding for a file over <see cref="MaxBytes"/>, reported without reading it.</summary>
    public static Finding TooLarge(string file, long size) =>
        new(YamlTreeReader.LimitCode, new SourceLocation(file, 1, 1), string.Create(CultureInfo.InvariantCulture,
            $"the policy file is {size} bytes; the limit is {MaxBytes} bytes ({MaxBytes / 1024 / 1024} MiB)"));

    private static IEnumerable<ValidationError> Flatten(IEnumerable<ValidationError> errors)
    {
        foreach (var error in errors)
        {
            if (error is ChildSchemaValidationError child && child.Errors.Count > 0)
            {
                foreach (var inner in Flatten(child.Errors.Values.SelectMany(e => e)))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return error;
            }
        }
    }

    private static List<Finding> Deduplicate(List<Finding> findings) =>
        findings.DistinctBy(f => (f.Location, f.Message)).ToList();

    private static string Describe(ValidationError error, string path)
    {
        var where = path.Length == 0 ? "the policy" : Excerpt.Of(path, 80);
        var schema = error.Schema?.ActualSchema;
        var expected = schema?.ExtensionData is { } ext && ext.TryGetValue("x-expected", out var x) ? x?.ToString() : null;
        var property = error.Property;
        return error.Kind switch
        {
            ValidationErrorKind.PropertyRequired => $"{where}: the required key '{Excerpt.Of(property)}' is missing",
            ValidationErrorKind.NoAdditionalPropertiesAllowed => $"{where}: unknown key '{Excerpt.Of(LastKey(path, property))}'{Suggest(LastKey(path, property), error.Schema)}",
            ValidationErrorKind.StringExpected => $"{where}: expected {expected ?? "a string"}",
            ValidationErrorKind.IntegerExpected => $"{where}: expected {expected ?? "a whole number"}",
            ValidationErrorKind.NumberExpected => $"{where}: expected {expected ?? "a number"}",
            ValidationErrorKind.BooleanExpected => $"{where}: expected true or false",
            ValidationErrorKind.ObjectExpected => $"{where}: expected a mapping of keys to values",
            ValidationErrorKind.ArrayExpected => $"{where}: expected a list",
            ValidationErrorKind.NullExpected => $"{where}: expected null",
            ValidationErrorKind.PatternMismatch => $"{where}: expected {expected ?? "a value matching " + schema?.Pattern}",
            ValidationErrorKind.NotInEnumeration => $"{where}: expected one of {string.Join(", ", schema?.Enumeration.Select(e => e?.ToString()) ?? [])}",
            ValidationErrorKind.NumberTooSmall => $"{where}: must be at least {schema?.Minimum?.ToString(CultureInfo.InvariantCulture)}",
            ValidationErrorKind.NumberTooBig or ValidationErrorKind.IntegerTooBig => $"{where}: must be at most {schema?.Maximum?.ToString(CultureInfo.InvariantCulture)}",
            ValidationErrorKind.TooFewItems => $"{where}: needs at least {schema?.MinItems.ToString(CultureInfo.InvariantCulture)} item(s)",
            ValidationErrorKind.TooManyItems => $"{where}: allows at most {schema?.MaxItems.ToString(CultureInfo.InvariantCulture)} item(s)",
            ValidationErrorKind.ItemsNotUnique => $"{where}: lists the same value more than once",
            ValidationErrorKind.StringTooShort => $"{where}: must not be empty",
            _ => $"{where}: {error.Kind}",
        };
    }

    /// <summary>POLICY_SCHEMA, or the code the schema names for a value of this kind (x-code: a name that is not a host name).</summary>
    private static string CodeOf(ValidationError error) =>
        error.Kind == ValidationErrorKind.PatternMismatch
        && error.Schema?.ActualSchema.ExtensionData is { } ext && ext.TryGetValue("x-code", out var code) && code is string c
            ? c
            : SchemaCode;

    private static string LastKey(string path, string? property) => property ?? path;

    private static string Suggest(string key, JsonSchema? schema)
    {
        var known = schema?.ActualSchema.Properties.Keys;
        if (known is null || key.Length > 64)
        {
            return string.Empty;
        }

        var best = known.Select(k => (k, d: Distance(k, key))).Where(t => t.d <= 2).OrderBy(t => t.d).ThenBy(t => t.k, StringComparer.Ordinal).FirstOrDefault();
        return best.k is null ? string.Empty : $"; did you mean '{Excerpt.Of(best.k)}'?";
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            }
        }

        return d[a.Length, b.Length];
    }

    private static SourcePosition? FirstTabIndentation(string[] lines, int fromLine)
    {
        for (var line = fromLine; line <= lines.Length; line++)
        {
            if (TabIndentation(lines, line) is { } at)
            {
                return at;
            }
        }

        return null;
    }

    /// <summary>Where a tab sits in the indentation of a line, if one does.</summary>
    private static SourcePosition? TabIndentation(string[] lines, int lineNumber)
    {
        var line = lineNumber >= 1 && lineNumber <= lines.Length ? lines[lineNumber - 1] : string.Empty;
        var indent = line.Length - line.TrimStart(' ', '\t').Length;
        var column = line.AsSpan(0, indent).IndexOf('\t');
        return column < 0 ? null : new SourcePosition(lineNumber, column + 1);
    }

    private static bool TryDecode(ReadOnlySpan<byte> bytes, out string text, out SourcePosition badAt, out byte badByte)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        text = string.Empty;
        badAt = default;
        badByte = 0;
        if (System.Text.Unicode.Utf8.IsValid(bytes) && !bytes.Contains((byte)0))
        {
            text = Encoding.UTF8.GetString(bytes);
            return true;
        }

        var line = 1;
        var lineStart = 0;
        for (var index = 0; index < bytes.Length;)
        {
            var status = Rune.DecodeFromUtf8(bytes[index..], out _, out var consumed);
            if (status != System.Buffers.OperationStatus.Done || bytes[index] == 0)
            {
                badAt = new SourcePosition(line, index - lineStart + 1);
                badByte = bytes[index];
                return false;
            }

            if (bytes[index] == (byte)'\n')
            {
                line++;
                lineStart = index + 1;
            }

            index += consumed;
        }

        return false;
    }
}
