// RFC 7344 §4 (CDS/CDNSKEY: the child tells the parent which DS it wants), RFC 8078 §4 (the
// "delete" form: algorithm 0). Once the parent has processed them, CDS equals the DS set and every
// CDNSKEY is a key some DS points to.
using NsPolicy.Core.Findings;
using NsPolicy.Dns.Dnssec;
using NsPolicy.Dns.Records;

namespace NsPolicy.Core.Checks.Live;

/// <summary>The zone's CDS and CDNSKEY records agree with the DS set at the parent.</summary>
public sealed class CdsCheck : ILiveCheck
{
    public static readonly Rule Mismatch = new(
        "DNSSEC_CDS_MISMATCH",
        Severity.Warning,
        "The zone's CDS/CDNSKEY records disagree with the DS at the parent",
        "CDS and CDNSKEY records ask the parent to change the DS set (RFC 7344). When they differ from the DS, a key rollover is waiting for the parent (or the registrar does not process them), or stale records will change the DS at the next scan. Finish the rollover, or remove the stale CDS/CDNSKEY records.");

    public IReadOnlyList<Rule> Rules { get; } = [Mismatch];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.ReferredZones)
        {
            var answers = zone.Servers.SelectMany(x => new[] { x.Server.Cds, x.Server.Cdnskey })
                .Where(q => q.IsAuthoritativeAnswer)
                .SelectMany(q => q.Answer)
                .Where(r => r.Owner == zone.Policy.Zone)
                .ToList();
            var cds = answers.Select(r => r.Data).OfType<CdsRData>().Distinct().ToList();
            var cdnskey = answers.Select(r => r.Data).OfType<CdnskeyRData>().Distinct().ToList();
            var ds = zone.ParentDs;
            var dsText = ds.Count == 0 ? "none" : string.Join("; ", ds.Select(ParentDsCheck.Describe).Order(StringComparer.Ordinal));
            if (cds.Count > 0)
            {
                var deletion = cds.Any(c => c.Algorithm == 0);
                var cdsText = string.Join("; ", cds.Select(ParentDsCheck.Describe).Order(StringComparer.Ordinal));
                var same = !deletion && cds.Count == ds.Count && cds.All(c => ds.Any(d => Same(c, d)));
                if (deletion && ds.Count > 0)
                {
                    yield return zone.Finding(Mismatch, zone.DsLocation, $"zone {zone.Name} publishes a CDS asking to delete its DS, but the parent still publishes {dsText}") with
                    {
                        Expected = "no DS",
                        Found = dsText,
                    };
                }
                else if (!deletion && !same)
                {
                    yield return zone.Finding(Mismatch, zone.DsLocation, $"zone {zone.Name} publishes CDS {cdsText}, but the parent publishes DS {dsText}") with
                    {
                        Expected = cdsText,
                        Found = dsText,
                    };
                }
            }

            var keys = cdnskey.Where(k => k.Algorithm != 0).ToList();
            if (keys.Count > 0)
            {
                var unmatched = keys.Where(k => !ds.Any(d => DsDigest.Matches(d, zone.Policy.Zone, k))).ToList();
                var orphans = ds.Where(d => DsDigest.IsSupported(d.DigestType) && !keys.Any(k => DsDigest.Matches(d, zone.Policy.Zone, k))).ToList();
                if (unmatched.Count > 0 || orphans.Count > 0)
                {
                    var keyText = string.Join(", ", keys.Select(k => $"{k.KeyTag}/{(byte)k.Algorithm}").Distinct().Order(StringComparer.Ordinal));
                    yield return zone.Finding(Mismatch, zone.DsLocation, $"zone {zone.Name} publishes CDNSKEY for keys {keyText}, but the parent's DS ({dsText}) points to other keys") with
                    {
                        Expected = "DS for keys " + keyText,
                        Found = dsText,
                    };
                }
            }
        }
    }

    private static bool Same(DelegationSignerRData a, DelegationSignerRData b) =>
        a.KeyTag == b.KeyTag && a.Algorithm == b.Algorithm && a.DigestType == b.DigestType && a.Digest.AsSpan().SequenceEqual(b.Digest.AsSpan());
}
