// A zone's delegation as its own zone file states it: the apex NS set, the addresses of the
// nameservers inside the zone (what the parent must publish as glue, RFC 9471), and a SHA-256 DS
// (RFC 4509) for every key with the Secure Entry Point flag (RFC 3757). Pure: model in, baseline out.
using System.Globalization;
using NsPolicy.Core.Checks;
using NsPolicy.Dns.Dnssec;
using NsPolicy.Dns.Records;
using NsPolicy.Dns.Zones;

namespace NsPolicy.Core.Init;

public static class ZoneFileBaseline
{
    /// <summary>
    /// The baseline of <paramref name="zone"/>, which must have loaded without errors;
    /// <paramref name="zoneFile"/> is the path the policy will name it by (relative to the policy).
    /// </summary>
    public static ZoneBaseline Capture(ZoneModel zone, string displayName, string zoneFile)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var origin = zone.Origin;
        var source = $"from the zone file {displayName}";
        var nameservers = LiveZone.Names(zone.ApexNameservers.Select(n => n.Target));
        if (nameservers.Count == 0)
        {
            return new ZoneBaseline
            {
                Zone = origin,
                Source = source,
                Problems = [$"not captured: {displayName} has no NS records at the apex {origin}"],
            };
        }

        if (ZoneBaseline.Unwritable(origin, source, nameservers) is { } unwritable)
        {
            return unwritable;
        }

        var problems = new List<string>();
        var glue = new List<BaselineGlue>();
        foreach (var name in nameservers.Where(n => n.IsSubdomainOf(origin)))
        {
            var addresses = LiveZone.Addresses(zone.AddressesOf(name).Select(a => a.Address));
            if (addresses.Count == 0)
            {
                problems.Add($"{displayName} has no address for {name}, a nameserver inside the zone; add its addresses under glue");
            }
            else
            {
                glue.Add(new BaselineGlue(name, addresses));
            }
        }

        if (nameservers.Count < 2)
        {
            problems.Add("only one nameserver is listed at the apex; RFC 1034 asks for at least two");
        }

        var keys = zone.Dnskeys.Select(k => k.Data).ToList();
        var entryPoints = keys.Where(k => k.IsZoneKey && k.IsSecureEntryPoint && !k.IsRevoked).ToList();
        if (keys.Count > 0 && entryPoints.Count == 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"{displayName} has {keys.Count} DNSKEY record(s) but none with the SEP flag (257), so no DS was written; add the DS of the key the parent should point to"));
        }

        return new ZoneBaseline
        {
            Zone = origin,
            Source = source,
            Nameservers = nameservers,
            Glue = glue,
            Ds = ReferralBaseline.Sorted(entryPoints.Select(k => DsDigest.CreateDs(origin, k, DsDigestType.Sha256))),
            ZoneFile = zoneFile,
            Problems = problems,
        };
    }
}
