// The SOA timer ranges both the zone-file and the live check judge by: RFC 1912 §2.2 for refresh,
// retry and expire, RFC 2308 §5 for the negative-caching TTL (the MINIMUM field).
using System.Globalization;
using NsPolicy.Dns.Records;

namespace NsPolicy.Core.Checks;

public static class SoaTimerRanges
{
    /// <summary>Every timer outside its range: the field's name, its value and the range expected.</summary>
    public static IReadOnlyList<(string Field, uint Value, string Expected)> Problems(SoaRData soa)
    {
        ArgumentNullException.ThrowIfNull(soa);
        var problems = new List<(string Field, uint Value, string Expected)>();
        if (soa.Refresh is < 1200 or > 43200)
        {
            problems.Add(("refresh", soa.Refresh, "1200 to 43200"));
        }

        if (soa.Retry < 120 || soa.Retry >= soa.Refresh)
        {
            problems.Add(("retry", soa.Retry, string.Create(CultureInfo.InvariantCulture, $"120 up to below the refresh {soa.Refresh}")));
        }

        if (soa.Expire is < 604800 or > 2419200 || (ulong)soa.Expire <= (ulong)soa.Refresh + soa.Retry)
        {
            problems.Add(("expire", soa.Expire, "604800 to 2419200, above refresh + retry"));
        }

        if (soa.Minimum is < 300 or > 86400)
        {
            problems.Add(("minimum", soa.Minimum, "300 to 86400"));
        }

        return problems;
    }
}
