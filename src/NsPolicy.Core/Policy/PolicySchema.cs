using NJsonSchema;

namespace NsPolicy.Core.Policy;

/// <summary>The policy JSON Schema (schemas/nspolicy.schema.json), embedded in the assembly.</summary>
public static class PolicySchema
{
    /// <summary>The schema text exactly as shipped in <c>schemas/nspolicy.schema.json</c>.</summary>
    public static string Text { get; } = ReadText();

    private static readonly Lazy<Task<JsonSchema>> Parsed = new(() => JsonSchema.FromJsonAsync(Text, CancellationToken.None));

    internal static Task<JsonSchema> GetAsync() => Parsed.Value;

    private static string ReadText()
    {
        using var stream = typeof(PolicySchema).Assembly.GetManifestResourceStream("nspolicy.schema.json")
            ?? throw new InvalidOperationException("the policy schema is not embedded in the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
