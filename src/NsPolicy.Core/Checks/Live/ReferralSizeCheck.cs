// RFC 1035 §4.2.1 limits UDP messages without EDNS to 512 octets; RFC 9471 §3 says a referral
// must carry all in-domain glue or set TC. A referral that needs more than 512 octets makes
// resolvers without EDNS (and paths that drop large or fragmented UDP) fall back to TCP or fail.
using System.Globalization;
using NsPolicy.Core.Findings;
using NsPolicy.Dns;
using NsPolicy.Dns.Records;

namespace NsPolicy.Core.Checks.Live;

/// <summary>The delegation fits in a 512-octet response without EDNS: question, NS set and in-bailiwick glue.</summary>
public sealed class ReferralSizeCheck : ILiveCheck
{
    public const int Limit = 512;

    public static readonly Rule TooLarge = new(
        "PARENT_REFERRAL_TOO_LARGE",
        Severity.Warning,
        "The referral does not fit in 512 octets without EDNS",
        "Without EDNS a UDP response is limited to 512 octets. A referral whose NS set and in-bailiwick glue need more makes the parent truncate it or drop glue (RFC 9471), so some resolvers must retry over TCP or cannot reach the zone. Use fewer or shorter nameserver names.");

    public IReadOnlyList<Rule> Rules { get; } = [TooLarge];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.ReferredZones)
        {
            var size = MinimalSize(zone);
            if (size > Limit)
            {
                yield return zone.Finding(TooLarge, zone.NameserversLocation,
                    string.Create(CultureInfo.InvariantCulture, $"a referral for zone {zone.Name} without EDNS needs {size} octets for its {zone.ParentNs.Count} NS records and in-bailiwick glue, more than {Limit}")) with
                {
                    Expected = string.Create(CultureInfo.InvariantCulture, $"at most {Limit} octets"),
                    Found = string.Create(CultureInfo.InvariantCulture, $"{size} octets"),
                };
            }
        }
    }

    /// <summary>The wire size of a referral holding the question, the parent's NS set and its glue for in-bailiwick names, without OPT or DNSSEC records.</summary>
    internal static int MinimalSize(LiveZone zone)
    {
        var ttl = zone.Referrals.SelectMany(r => r.Referral.Authority).FirstOrDefault(r => r.Data is NsRData)?.Ttl ?? 86400;
        var ns = zone.ParentNs.Select(n => new ResourceRecord(zone.Policy.Zone, ttl, new NsRData(n)));
        var glue = zone.ParentGlue
            .Where(g => g.Key.IsSubdomainOf(zone.Policy.Zone) && zone.ParentNs.Contains(g.Key))
            .OrderBy(g => g.Key)
            .SelectMany(g => g.Value.Select(a => new ResourceRecord(g.Key, ttl,
                a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? new ARData(a) : new AaaaRData(a))));
        var message = new DnsMessage
        {
            Header = new DnsHeader { IsResponse = true },
            Questions = [new DnsQuestion(zone.Policy.Zone, RecordType.NS)],
            Authority = [.. ns],
            Additional = [.. glue],
        };
        return message.ToWire().Length;
    }
}
