using System.Globalization;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;

namespace NsPolicy.Core.Checks.Policy;

/// <summary>Settings and limits that cannot mean what they say: inverted TTL bounds, unknown codes.</summary>
public sealed class SettingsCheck : IPolicyCheck
{
    public static readonly Rule TtlRangeInverted = new(
        "POLICY_TTL_RANGE_INVALID",
        Severity.Error,
        "An ns-ttl range has min above max",
        "No TTL can satisfy a range whose minimum is above its maximum, so every NS TTL check would fail. Swap or correct the bounds.");

    public static readonly Rule SeverityUnknownCode = new(
        "POLICY_SEVERITY_UNKNOWN_CODE",
        Severity.Warning,
        "A severity override names a code that no check emits",
        "settings.severity maps finding codes to severities; a code that is not in the catalogue (`nspolicy rules`) changes nothing and is probably misspelt.");

    public IReadOnlyList<Rule> Rules { get; } = [TtlRangeInverted, SeverityUnknownCode];

    public IEnumerable<Finding> Run(PolicyCheckContext context)
    {
        foreach (var over in context.Policy.Settings.Severity)
        {
            if (!context.Facts.KnownCodes.Contains(over.Code))
            {
                yield return new Finding(SeverityUnknownCode.Code, context.At(over.Position), $"severity override names {over.Code}, which no check emits")
                {
                    Subject = over.Code,
                };
            }
        }

        var reported = new HashSet<SourcePosition>();
        foreach (var zone in context.Policy.Zones)
        {
            var range = zone.NsTtl;
            if (range.Value.Min > range.Value.Max && reported.Add(range.Position))
            {
                yield return new Finding(TtlRangeInverted.Code, context.At(range.Position), string.Create(CultureInfo.InvariantCulture, $"ns-ttl min {range.Value.Min} is above max {range.Value.Max}"), zone.Zone);
            }
        }
    }
}
