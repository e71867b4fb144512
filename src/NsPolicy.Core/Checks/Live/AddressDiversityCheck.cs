// RFC 2182 §3.1: secondaries should be placed so that no single failure (host, network) removes all
// of them. Without routing data, distinct /24 (IPv4) and /48 (IPv6) prefixes are the usual proxy.
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Live;

/// <summary>The delegation's nameservers have at least two addresses, not all in one /24 or /48.</summary>
public sealed class AddressDiversityCheck : ILiveCheck
{
    public static readonly Rule TooFewAddresses = new(
        "NS_TOO_FEW_ADDRESSES",
        Severity.Warning,
        "The zone's nameservers have fewer than two distinct addresses",
        "However many nameserver names a zone has, if they all point to one address they are one server: one outage takes the zone down. Run the nameservers on at least two hosts.");

    public static readonly Rule SamePrefix = new(
        "NS_SAME_PREFIX",
        Severity.Warning,
        "All of the zone's nameserver addresses are in one /24 (IPv4) or /48 (IPv6)",
        "Addresses in one prefix usually share one network and one routing announcement, so one failure or one hijacked route takes every nameserver away (RFC 2182 section 3.1). Place at least one nameserver in another network.");

    public IReadOnlyList<Rule> Rules { get; } = [TooFewAddresses, SamePrefix];

    public IEnumerable<Finding> Run(LiveCheckContext context)
    {
        foreach (var zone in context.Zones)
        {
            var delegation = zone.DelegationNs.ToHashSet();
            var glue = zone.Glue;
            var addresses = LiveZone.Addresses(zone.Evidence.Nameservers
                .Where(n => delegation.Contains(n.Name))
                .SelectMany(n => n.Resolution.Addresses.Concat(glue.GetValueOrDefault(n.Name) ?? [])));
            var undetermined = zone.Evidence.Nameservers
                .Where(n => delegation.Contains(n.Name))
                .All(n => n.Resolution.Result is Evidence.ResolutionResult.Failed or Evidence.ResolutionResult.NotAsked);
            if (delegation.Count == 0 || (addresses.Count == 0 && undetermined))
            {
                continue;
            }

            if (addresses.Count < 2)
            {
                yield return zone.Finding(TooFewAddresses, zone.NameserversLocation,
                    string.Create(CultureInfo.InvariantCulture, $"the nameservers of zone {zone.Name} have {addresses.Count} distinct address(es) ({LiveZone.List(addresses)}); at least 2 are needed")) with
                {
                    Expected = "2",
                    Found = addresses.Count.ToString(CultureInfo.InvariantCulture),
                };
                continue;
            }

            var prefixes = addresses.Select(Prefix).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (prefixes.Count < 2)
            {
                yield return zone.Finding(SamePrefix, zone.NameserversLocation,
                    $"all addresses of the nameservers of zone {zone.Name} ({LiveZone.List(addresses)}) are in {prefixes[0]}") with
                {
                    Expected = "at least 2 prefixes",
                    Found = prefixes[0],
                };
            }
        }
    }

    /// <summary>The /24 of an IPv4 address or the /48 of an IPv6 address, in CIDR form.</summary>
    internal static string Prefix(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        var keep = address.AddressFamily == AddressFamily.InterNetwork ? 3 : 6;
        Array.Clear(bytes, keep, bytes.Length - keep);
        return string.Create(CultureInfo.InvariantCulture, $"{new IPAddress(bytes)}/{keep * 8}");
    }
}
