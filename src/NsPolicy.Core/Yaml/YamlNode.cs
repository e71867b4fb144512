using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Yaml;

/// <summary>Where something is written in the policy text: character offsets, the end exclusive.</summary>
internal readonly record struct TextSpan(int Start, int End);

/// <summary>A YAML node with the position where it starts. Aliases share the anchored node.</summary>
internal abstract class YamlNode(SourcePosition start)
{
    public SourcePosition Start { get; } = start;

    /// <summary>
    /// The text of the node where it is defined (not where an alias repeats it); a block
    /// collection ends where its last item ends, so comments and blank lines after it are outside.
    /// </summary>
    public TextSpan Span { get; init; }

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

    /// <summary>Where each item is written (an alias: the alias itself), parallel to <see cref="Items"/>.</summary>
    public IReadOnlyList<TextSpan> ItemSpans { get; init; } = [];

    /// <summary>Written in flow style, <c>[a, b]</c>.</summary>
    public bool IsFlow { get; init; }

    public override long ExpandedSize { get; } = expandedSize;
}

internal sealed class YamlMapping(SourcePosition start, IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> entries, long expandedSize)
    : YamlNode(start)
{
    public IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Entries { get; } = entries;

    /// <summary>Where each entry is written, from its key to the end of its value, parallel to <see cref="Entries"/>.</summary>
    public IReadOnlyList<TextSpan> EntrySpans { get; init; } = [];

    /// <summary>Written in flow style, <c>{ a: 1 }</c>.</summary>
    public bool IsFlow { get; init; }

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
