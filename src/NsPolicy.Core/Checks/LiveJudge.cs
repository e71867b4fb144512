using NsPolicy.Core.Evidence;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;

namespace NsPolicy.Core.Checks;

/// <summary>Runs every live check of the catalogue over gathered evidence. Pure: no I/O, no clock.</summary>
public static class LiveJudge
{
    public static IReadOnlyList<Finding> Judge(PolicyDocument policy, DelegationEvidence evidence, LiveCheckSettings settings)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(settings);
        var context = new LiveCheckContext(policy, evidence, settings);
        var findings = new List<Finding>();
        foreach (var check in CheckCatalogue.LiveChecks)
        {
            findings.AddRange(DeclaredFindings.Of(check, check.Rules, check.Run(context)));
        }

        return findings;
    }
}
