// Where queries may go. The composition root decides (the CLI reads NSPOLICY_LOOPBACK_ONLY and
// NSPOLICY_ALLOW_PREFIXES once); the library never reads the environment.
using System.Net;
using System.Net.Sockets;

namespace NsPolicy.Dns.Transport;

/// <summary>
/// A destination filter applied before anything is sent. With <see cref="LoopbackOnly"/> a query to
/// an address outside 127.0.0.0/8 and ::1 ends as <see cref="QueryStatus.Blocked"/> without a packet,
/// unless it lies in one of <see cref="AllowedPrefixes"/>: unique-local IPv6 prefixes inside
/// fd00::/8 that a network namespace of one's own keeps as private as loopback (the test lab).
/// </summary>
public sealed record NetworkGuard(bool LoopbackOnly)
{
    /// <summary>The environment variable that the composition root reads to choose the guard.</summary>
    public const string LoopbackOnlyVariable = "NSPOLICY_LOOPBACK_ONLY";

    /// <summary>The environment variable that widens the loopback guard to unique-local prefixes (comma-separated).</summary>
    public const string AllowPrefixesVariable = "NSPOLICY_ALLOW_PREFIXES";

    /// <summary>At most this many prefixes are accepted.</summary>
    public const int MaxPrefixes = 16;

    private static readonly IPNetwork UniqueLocal = IPNetwork.Parse("fd00::/8");

    public static NetworkGuard Unrestricted { get; } = new(false);

    public static NetworkGuard Loopback { get; } = new(true);

    /// <summary>Prefixes allowed beside loopback when <see cref="LoopbackOnly"/>; each lies inside fd00::/8.</summary>
    public IReadOnlyList<IPNetwork> AllowedPrefixes { get; private init; } = [];

    /// <summary>The guard that the value of <see cref="LoopbackOnlyVariable"/> asks for ("1" or "true": loopback only).</summary>
    public static NetworkGuard FromSetting(string? value) =>
        value is not null && (value.Trim() == "1" || value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase))
            ? Loopback
            : Unrestricted;

    /// <summary>
    /// The guard that <see cref="LoopbackOnlyVariable"/> and <see cref="AllowPrefixesVariable"/> ask
    /// for. The prefixes only widen a loopback guard, never make one, and must each lie inside
    /// fd00::/8 (RFC 4193, locally assigned); anything else is refused with <paramref name="error"/>.
    /// </summary>
    public static bool TryFromSettings(string? loopbackOnly, string? allowPrefixes, out NetworkGuard guard, out string? error)
    {
        guard = FromSetting(loopbackOnly);
        error = null;
        if (string.IsNullOrWhiteSpace(allowPrefixes))
        {
            return true;
        }

        var items = allowPrefixes.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (items.Length > MaxPrefixes)
        {
            error = $"{AllowPrefixesVariable} names {items.Length} prefixes; at most {MaxPrefixes} are accepted";
            return false;
        }

        var prefixes = new List<IPNetwork>();
        foreach (var item in items)
        {
            if (!item.Contains('/', StringComparison.Ordinal) || !IPNetwork.TryParse(item, out var prefix))
            {
                error = $"{AllowPrefixesVariable}: `{Excerpt.Of(item, 64)}` is not a prefix such as fd00:20::/48";
                return false;
            }

            if (prefix.BaseAddress.AddressFamily != AddressFamily.InterNetworkV6 || prefix.PrefixLength < UniqueLocal.PrefixLength ||
                !UniqueLocal.Contains(prefix.BaseAddress))
            {
                error = $"{AllowPrefixesVariable}: {prefix} is not inside fd00::/8; only unique-local IPv6 prefixes can widen the loopback guard";
                return false;
            }

            prefixes.Add(prefix);
        }

        guard = guard with { AllowedPrefixes = prefixes };
        return true;
    }

    public bool Allows(IPAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!LoopbackOnly)
        {
            return true;
        }

        var address = destination.IsIPv4MappedToIPv6 ? destination.MapToIPv4() : destination;
        if (IPAddress.IsLoopback(address))
        {
            return true;
        }

        foreach (var prefix in AllowedPrefixes)
        {
            if (prefix.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What a blocked query says: the guard and what it lets through.</summary>
    public string Describe() => AllowedPrefixes.Count == 0
        ? $"only loopback is allowed ({LoopbackOnlyVariable}=1)"
        : $"only loopback and {string.Join(", ", AllowedPrefixes)} are allowed ({LoopbackOnlyVariable}=1, {AllowPrefixesVariable})";

    public bool Equals(NetworkGuard? other) =>
        other is not null && LoopbackOnly == other.LoopbackOnly && AllowedPrefixes.SequenceEqual(other.AllowedPrefixes);

    public override int GetHashCode() => HashCode.Combine(LoopbackOnly, AllowedPrefixes.Count);
}
