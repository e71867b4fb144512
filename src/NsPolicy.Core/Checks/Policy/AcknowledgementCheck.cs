using System.Globalization;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;

namespace NsPolicy.Core.Checks.Policy;

/// <summary>Acknowledgements that have expired or name a code no check emits.</summary>
public sealed class AcknowledgementCheck : IPolicyCheck
{
    public static readonly Rule Expired = new(
        "POLICY_ACK_EXPIRED",
        Severity.Warning,
        "An acknowledgement has expired",
        "An acknowledgement holds until its `until` date. After that the finding it covered counts again, and the stale entry should be renewed with a fresh reason or removed.");

    public static readonly Rule UnknownCode = new(
        "POLICY_ACK_UNKNOWN_CODE",
        Severity.Warning,
        "An acknowledgement names a code that no check emits",
        "The acknowledged code is not in the catalogue (`nspolicy rules` lists them), so it covers nothing. It is probably misspelt.");

    public IReadOnlyList<Rule> Rules { get; } = [Expired, UnknownCode];

    public IEnumerable<Finding> Run(PolicyCheckContext context)
    {
        foreach (var zone in context.Policy.Zones)
        {
            foreach (var ack in zone.Acknowledgements)
            {
                if (!context.Facts.KnownCodes.Contains(ack.Code))
                {
                    yield return new Finding(UnknownCode.Code, context.At(ack.Position), $"acknowledgement for zone {zone.Zone} names {ack.Code}, which no check emits", zone.Zone)
                    {
                        Subject = ack.Code,
                    };
                }

                if (ack.Until < context.Facts.Today)
                {
                    yield return new Finding(Expired.Code, context.At(ack.Position), $"acknowledgement of {ack.Code} for zone {zone.Zone} expired on {ack.Until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", zone.Zone)
                    {
                        Expected = $"until >= {context.Facts.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}",
                        Found = ack.Until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        Subject = ack.Code,
                    };
                }
            }
        }
    }
}
