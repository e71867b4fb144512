using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NsPolicy.Core.Findings;
using NsPolicy.Dns;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace NsPolicy.Core.Yaml;

/// <summary>
/// Reads YAML text into a positioned tree, refusing what a policy never needs and an attacker
/// would use: several documents, duplicate keys, non-scalar keys, deep nesting and alias bombs.
/// Plain scalars are typed with the YAML 1.2 core schema (so <c>no</c> stays a string).
/// </summary>
internal static class YamlTreeReader
{
    public const string SyntaxCode = "POLICY_YAML_SYNTAX";
    public const string DuplicateKeyCode = "POLICY_YAML_DUPLICATE_KEY";
    public const string LimitCode = "POLICY_YAML_LIMIT";

    public const int MaxDepth = 64;
    public const long MaxAliasExpansion = 100_000;

    public static YamlNode? Read(string text)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        var stack = new Stack<Frame>();
        YamlNode? document = null;
        var documents = 0;
        var budget = new Budget();

        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case DocumentStart start when !start.IsImplicit || documents > 0:
                        documents++;
                        if (documents > 1)
                        {
                            throw new YamlLoadException(SyntaxCode, Position(start.Start), "the policy must be a single YAML document; found a second one here");
                        }

                        break;
                    case DocumentStart:
                        documents++;
                        break;
                    case MappingStart m:
                        Push(stack, new Frame(Position(m.Start), Index(m.Start), m.Anchor.IsEmpty ? null : m.Anchor.Value, isMapping: true, isFlow: m.Style == MappingStyle.Flow));
                        break;
                    case SequenceStart s:
                        Push(stack, new Frame(Position(s.Start), Index(s.Start), s.Anchor.IsEmpty ? null : s.Anchor.Value, isMapping: false, isFlow: s.Style == SequenceStyle.Flow));
                        break;
                    case MappingEnd or SequenceEnd:
                        {
                            var frame = stack.Pop();
                            var node = frame.Build(FlowEnd(text, Index(parser.Current.End)));
                            if (frame.Anchor is not null)
                            {
                                anchors[frame.Anchor] = node;
                            }

                            budget.Literal++;
                            Add(stack, node, ref document, frame.Start, node.Span, budget);
                            break;
                        }

                    case Scalar scalar:
                        {
                            var node = new YamlScalar(Position(scalar.Start), scalar.Value, Classify(scalar))
                            {
                                Span = new TextSpan(Index(scalar.Start), Index(scalar.End)),
                            };
                            if (!scalar.Anchor.IsEmpty)
                            {
                                anchors[scalar.Anchor.Value] = node;
                            }

                            budget.Literal++;
                            Add(stack, node, ref document, node.Start, node.Span, budget);
                            break;
                        }

                    case AnchorAlias alias:
                        {
                            if (!anchors.TryGetValue(alias.Value.Value, out var target))
                            {
                                throw new YamlLoadException(SyntaxCode, Position(alias.Start), $"alias *{Excerpt.Of(alias.Value.Value)} refers to no anchor defined before it");
                            }

                            Add(stack, target, ref document, Position(alias.Start), new TextSpan(Index(alias.Start), Index(alias.End)), budget);
                            break;
                        }
                }
            }
        }
        catch (YamlException e)
        {
            var at = new SourcePosition(Math.Max(1, (int)e.Start.Line), Math.Max(1, (int)e.Start.Column));
            throw UnclosedFlow(text, stack, at) ?? new YamlLoadException(SyntaxCode, at, Describe(e));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException or IndexOutOfRangeException)
        {
            // YamlDotNet's parser throws these on some broken input (an open flow sequence followed
            // by more lines); they are syntax errors in the policy, not bugs in nspolicy.
            var at = parser.Current is { } current ? Position(current.End) : new SourcePosition(1, 1);
            throw UnclosedFlow(text, stack, at) ?? new YamlLoadException(SyntaxCode, at, "the YAML cannot be parsed here");
        }

        return document;
    }

    /// <summary>
    /// When the parser failed inside a flow collection ('[' or '{') that is never closed, the error
    /// belongs where the bracket opens, not where the parser gave up (often the end of the file).
    /// </summary>
    private static YamlLoadException? UnclosedFlow(string text, Stack<Frame> stack, SourcePosition failedAt)
    {
        var open = stack.FirstOrDefault(f => f.Flow);
        if (open is null || FindsClose(text, open.Start))
        {
            return null;
        }

        var bracket = open.IsMapping ? "{" : "[";
        return new YamlLoadException(SyntaxCode, open.Start, string.Create(CultureInfo.InvariantCulture,
            $"this '{bracket}' is never closed (the YAML breaks at line {failedAt.Line}, column {failedAt.Column})"));
    }

    private static bool StartsScalar(string text, int i) =>
        i == 0 || text[i - 1] is ' ' or '\t' or '\n' or '[' or '{' or ',' or ':';

    /// <summary>Whether the flow collection opening at <paramref name="start"/> has its closing bracket (quotes and comments skipped).</summary>
    private static bool FindsClose(string text, SourcePosition start)
    {
        var offset = 0;
        for (var line = 1; line < start.Line && offset >= 0; line++)
        {
            offset = text.IndexOf('\n', offset);
            offset = offset < 0 ? -1 : offset + 1;
        }

        offset = offset < 0 ? -1 : offset + start.Column - 1;
        if (offset < 0 || offset >= text.Length || text[offset] is not ('[' or '{'))
        {
            return true;
        }

        var depth = 0;
        for (var i = offset; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '[' or '{':
                    depth++;
                    break;
                case ']' or '}':
                    if (--depth == 0)
                    {
                        return true;
                    }

                    break;
                case '"' when StartsScalar(text, i):
                    for (i++; i < text.Length && text[i] != '"'; i++)
                    {
                        if (text[i] == '\\')
                        {
                            i++;
                        }
                    }

                    break;
                case '\'' when StartsScalar(text, i):
                    for (i++; i < text.Length; i++)
                    {
                        if (text[i] == '\'' && !(i + 1 < text.Length && text[i + 1] == '\''))
                        {
                            break;
                        }

                        if (text[i] == '\'')
                        {
                            i++;
                        }
                    }

                    break;
                case '#' when i == 0 || char.IsWhiteSpace(text[i - 1]):
                    i = text.IndexOf('\n', i);
                    if (i < 0)
                    {
                        return false;
                    }

                    break;
            }
        }

        return false;
    }

    private static void Push(Stack<Frame> stack, Frame frame)
    {
        if (stack.Count >= MaxDepth)
        {
            throw new YamlLoadException(LimitCode, frame.Start, $"the policy nests deeper than {MaxDepth} levels");
        }

        stack.Push(frame);
    }

    private static void Add(Stack<Frame> stack, YamlNode node, ref YamlNode? document, SourcePosition at, TextSpan written, Budget budget)
    {
        if (stack.Count == 0)
        {
            document = node;
            return;
        }

        stack.Peek().Add(node, at, written, budget);
    }

    private static SourcePosition Position(Mark mark) =>
        new(Math.Max(1, (int)mark.Line), Math.Max(1, (int)mark.Column));

    /// <summary>Just past the closing bracket of a flow collection (the parser's mark may sit on it).</summary>
    private static int FlowEnd(string text, int end) =>
        end < text.Length && (end == 0 || text[end - 1] is not (']' or '}')) && text[end] is ']' or '}' ? end + 1 : end;

    private static int Index(Mark mark) => (int)Math.Clamp(mark.Index, 0, int.MaxValue);

    private static ScalarKind Classify(Scalar scalar)
    {
        if (scalar.Style != ScalarStyle.Plain)
        {
            return ScalarKind.String;
        }

        if (!scalar.Tag.IsEmpty)
        {
            // An explicit tag on a plain scalar: only the core-schema tags are honoured.
            return scalar.Tag.Value switch
            {
                "tag:yaml.org,2002:str" => ScalarKind.String,
                "tag:yaml.org,2002:int" => ScalarKind.Integer,
                "tag:yaml.org,2002:bool" => ScalarKind.Boolean,
                "tag:yaml.org,2002:null" => ScalarKind.Null,
                "tag:yaml.org,2002:float" => ScalarKind.Float,
                _ => ScalarKind.String,
            };
        }

        var v = scalar.Value;
        if (v.Length == 0 || v is "~" or "null" or "Null" or "NULL")
        {
            return ScalarKind.Null;
        }

        if (v is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return ScalarKind.Boolean;
        }

        if (IntegerPattern.IsMatch(v))
        {
            return ScalarKind.Integer;
        }

        return FloatPattern.IsMatch(v) ? ScalarKind.Float : ScalarKind.String;
    }

    private static string Describe(YamlException e)
    {
        // YamlDotNet's messages repeat the position in parentheses; keep the words only.
        var message = e.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && cut > 0)
        {
            message = message[(cut + 3)..];
        }

        message = message.Trim();
        if (message.Contains("Duplicate key", StringComparison.OrdinalIgnoreCase))
        {
            return "duplicate key";
        }

        return message.Length > 0 ? Excerpt.Of(char.ToLowerInvariant(message[0]) + message[1..].TrimEnd('.'), 200) : "invalid YAML";
    }

    private static readonly Regex IntegerPattern = new("^[-+]?[0-9]+$|^0o[0-7]+$|^0x[0-9a-fA-F]+$", RegexOptions.CultureInvariant);

    private static readonly Regex FloatPattern = new(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$", RegexOptions.CultureInvariant);

    private sealed class Budget
    {
        /// <summary>Nodes written out in the text (not reached through an alias).</summary>
        public long Literal { get; set; }
    }

    private sealed class Frame(SourcePosition start, int startIndex, string? anchor, bool isMapping, bool isFlow)
    {
        private readonly List<YamlNode> items = [];
        private readonly List<KeyValuePair<YamlScalar, YamlNode>> entries = [];
        private readonly List<TextSpan> spans = [];
        private readonly Dictionary<string, YamlScalar> keys = new(StringComparer.Ordinal);
        private YamlScalar? pendingKey;
        private int pendingKeyStart;
        private readonly int startIndex = startIndex;
        private int lastEnd = startIndex;
        private long size = 1;

        public SourcePosition Start { get; } = start;

        public string? Anchor { get; } = anchor;

        public bool IsMapping => isMapping;

        /// <summary>Written in flow style ('[a, b]' or '{a: b}').</summary>
        public bool Flow => isFlow;

        public void Add(YamlNode node, SourcePosition at, TextSpan written, Budget budget)
        {
            lastEnd = Math.Max(lastEnd, written.End);
            // Aliases share nodes, so memory stays small; but whoever reads the tree sees every
            // node an alias stands for. A subtree larger than all nodes written so far plus the
            // budget can only have grown through aliases.
            size = Math.Min(long.MaxValue / 2, size + node.ExpandedSize);
            if (size > budget.Literal + MaxAliasExpansion)
            {
                throw new YamlLoadException(LimitCode, at, string.Create(CultureInfo.InvariantCulture, $"aliases expand the policy by more than {MaxAliasExpansion} nodes"));
            }

            if (!isMapping)
            {
                items.Add(node);
                spans.Add(written);
                return;
            }

            if (pendingKey is null)
            {
                if (node is not YamlScalar key)
                {
                    throw new YamlLoadException(SyntaxCode, at, "a mapping key must be a plain value, not a list or mapping");
                }

                if (keys.TryGetValue(key.Value, out var first))
                {
                    throw new YamlLoadException(DuplicateKeyCode, key.Start, $"duplicate key '{Excerpt.Of(key.Value)}' (first defined at line {first.Start.Line.ToString(CultureInfo.InvariantCulture)})");
                }

                keys[key.Value] = key;
                pendingKey = key;
                pendingKeyStart = written.Start;
                return;
            }

            entries.Add(new(pendingKey, node));
            spans.Add(new TextSpan(pendingKeyStart, written.End));
            pendingKey = null;
        }

        /// <summary>The node; a flow collection ends at its closing bracket, a block one with its last item.</summary>
        public YamlNode Build(int endIndex)
        {
            var span = new TextSpan(startIndex, isFlow ? Math.Max(endIndex, lastEnd) : lastEnd);
            return isMapping
                ? new YamlMapping(Start, entries, size) { Span = span, EntrySpans = spans, IsFlow = isFlow }
                : new YamlSequence(Start, items, size) { Span = span, ItemSpans = spans, IsFlow = isFlow };
        }
    }
}
