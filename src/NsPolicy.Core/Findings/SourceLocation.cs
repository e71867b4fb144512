using System.Globalization;

namespace NsPolicy.Core.Findings;

/// <summary>A 1-based line and column inside one file.</summary>
public readonly record struct SourcePosition(int Line, int Column)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Line}:{Column}");
}

/// <summary>A place in a file, as the user named the file (never made absolute).</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public SourceLocation(string file, SourcePosition position)
        : this(file, position.Line, position.Column)
    {
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}");
}
