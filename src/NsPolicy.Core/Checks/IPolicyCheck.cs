using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;

namespace NsPolicy.Core.Checks;

/// <summary>Facts gathered about the policy's surroundings before any check runs.</summary>
/// <param name="RefusedFiles">Files the policy names that the file-access policy refuses (outside the repository, not a regular file, too large), each with why.</param>
public sealed record PolicyFacts(DateOnly Today, IReadOnlySet<string> MissingFiles, IReadOnlySet<string> KnownCodes)
{
    public IReadOnlyDictionary<string, string> RefusedFiles { get; init; } = new Dictionary<string, string>();
}

/// <summary>What a policy check sees: the document and the gathered facts. No I/O happens inside a check.</summary>
public sealed record PolicyCheckContext(PolicyDocument Policy, PolicyFacts Facts)
{
    public SourceLocation At(SourcePosition position) => new(Policy.File, position);
}

/// <summary>A pure check of the policy itself. Declares every code it can emit.</summary>
public interface IPolicyCheck
{
    IReadOnlyList<Rule> Rules { get; }

    IEnumerable<Finding> Run(PolicyCheckContext context);
}
