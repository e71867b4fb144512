// Where queries may go. The composition root decides (the CLI reads NSPOLICY_LOOPBACK_ONLY once);
// the library never reads the environment.
using System.Net;

namespace NsPolicy.Dns.Transport;

/// <summary>
/// A destination filter applied before anything is sent. With <see cref="LoopbackOnly"/> a query to
/// an address outside 127.0.0.0/8 and ::1 ends as <see cref="QueryStatus.Blocked"/> without a packet.
/// </summary>
public sealed record NetworkGuard(bool LoopbackOnly)
{
    /// <summary>The environment variable that the composition root reads to choose the guard.</summary>
    public const string LoopbackOnlyVariable = "NSPOLICY_LOOPBACK_ONLY";

    public static NetworkGuard Unrestricted { get; } = new(false);

    public static NetworkGuard Loopback { get; } = new(true);

    /// <summary>The guard that the value of <see cref="LoopbackOnlyVariable"/> asks for ("1" or "true": loopback only).</summary>
    public static NetworkGuard FromSetting(string? value) =>
        value is not null && (value.Trim() == "1" || value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase))
            ? Loopback
            : Unrestricted;

    public bool Allows(IPAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!LoopbackOnly)
        {
            return true;
        }

        var address = destination.IsIPv4MappedToIPv6 ? destination.MapToIPv4() : destination;
        return IPAddress.IsLoopback(address);
    }
}
