using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Yaml;

/// <summary>The policy text cannot be read as one YAML document; carries the finding code and position.</summary>
internal sealed class YamlLoadException(string code, SourcePosition position, string message) : Exception(message)
{
    public string Code { get; } = code;

    public SourcePosition Position { get; } = position;
}
