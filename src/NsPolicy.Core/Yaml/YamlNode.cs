using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Yaml;

/// <summary>A YAML node with the position where it starts. Aliases share the anchored node.</summary>
internal abstract class YamlNode(SourcePosition start)
{
    public SourcePosition Start { get; } = start;

    /// <summary>Number of nodes this node stands for once aliases are expanded (saturating).</summary>
    public abstract long ExpandedSize { get; }
}

internal enum ScalarKind
{
    String,
    Integer,
    Float,
    Boolean,
    Null,
}

internal sealed class YamlScalar(SourcePosition start, string value, ScalarKind kind) : YamlNode(start)
{
    public string Value { get; } = value;

    public ScalarKind Kind { get; } = kind;

    public override long ExpandedSize => 1;
}

internal sealed class YamlSequence(SourcePosition start, IReadOnlyList<YamlNode> items, long expandedSize) : YamlNode(start)
{
    public IReadOnlyList<YamlNode> Items { get; } = items;

    public override long ExpandedSize { get; } = expandedSize;
}

internal sealed class YamlMapping(SourcePosition start, IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> entries, long expandedSize)
    : YamlNode(start)
{
    public IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Entries { get; } = entries;

    public override long ExpandedSize { get; } = expandedSize;

    public YamlNode? this[string key]
    {
        get
        {
            foreach (var (k, v) in Entries)
            {
                if (k.Value == key)
                {
                    return v;
                }
            }

            return null;
        }
    }
}
