using NJsonSchema;

namespace NsPolicy.Core.Policy;

/// <summary>The policy JSON Schema (schemas/nspolicy.schema.json), embedded in the assembly.</summary>
public static class PolicySchema
{
    /// <summary>The schema text exactly as shipped in <c>schemas/nspolicy.schema.json</c>.</summary>
    public static string Text { get; } = ReadText();

    /// <summary>
    /// NJsonSchema's model of the schema, built on first use. It lives in a class of its own so that
    /// only reading a policy loads NJsonSchema: printing the schema, check-zone and the other commands
    /// that read no policy never load the assembly (README, Performance: start-up).
    /// </summary>
    internal static Task<JsonSchema> GetAsync() => Model.Parsed.Value;

    private static string ReadText()
    {
        using var stream = typeof(PolicySchema).Assembly.GetManifestResourceStream("nspolicy.schema.json")
            ?? throw new InvalidOperationException("the policy schema is not embedded in the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static class Model
    {
        public static readonly Lazy<Task<JsonSchema>> Parsed = new(() => JsonSchema.FromJsonAsync(Text));
    }
}
