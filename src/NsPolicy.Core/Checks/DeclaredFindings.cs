using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks;

/// <summary>A check may only report the codes it declares: the catalogue, the README and the golden cases list them.</summary>
internal static class DeclaredFindings
{
    /// <summary>The findings of <paramref name="check"/>, as it emits them; a code it does not declare is a bug in it.</summary>
    /// <exception cref="InvalidOperationException">The check emitted a code outside <paramref name="rules"/>.</exception>
    public static IEnumerable<Finding> Of(object check, IReadOnlyList<Rule> rules, IEnumerable<Finding> findings)
    {
        foreach (var finding in findings)
        {
            if (!rules.Any(r => r.Code == finding.Code))
            {
                throw new InvalidOperationException($"{check.GetType().Name} emitted {finding.Code}, which it does not declare");
            }

            yield return finding;
        }
    }
}
