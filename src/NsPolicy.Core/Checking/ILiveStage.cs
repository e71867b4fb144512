using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;

namespace NsPolicy.Core.Checking;

/// <summary>
/// The live stage of a check run: gathers evidence from DNS for the selected zones and judges it.
/// Failed queries are evidence, not exceptions.
/// </summary>
public interface ILiveStage
{
    Task<IReadOnlyList<Finding>> RunAsync(PolicyDocument policy, IReadOnlyList<ZonePolicy> zones, CancellationToken cancellationToken);
}
