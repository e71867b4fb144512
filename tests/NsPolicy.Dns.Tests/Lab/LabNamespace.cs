using System.Globalization;
using System.Net;

namespace NsPolicy.Dns.Tests.Lab;

/// <summary>
/// The network namespace an IPv6 lab runs in. The lab does not create it (a process cannot move
/// all its threads into another namespace): whoever starts the lab does, with <c>unshare --net</c>
/// (nspolicy-lab, scripts/bench-live.sh, the IPv6 lab tests). What the lab does check is that it is
/// in one that has nothing but <c>lo</c>, so that unique-local addresses put on that <c>lo</c>, and
/// any change to its queueing or filtering, can reach nothing but the lab.
/// </summary>
internal static class LabNamespace
{
    /// <summary>
    /// Throws unless the only network interface here is <c>lo</c>; then brings <c>lo</c> up (a new
    /// namespace starts with it down).
    /// </summary>
    public static async Task EnsurePrivateAsync(CancellationToken cancellationToken)
    {
        var links = await LabProcess.RunCheckedAsync("ip", ["-o", "link", "show"], null, cancellationToken).ConfigureAwait(false);
        var names = links.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':', 3) is { Length: 3 } fields ? fields[1].Trim().Split('@')[0] : line)
            .ToList();
        if (names is not ["lo"])
        {
            throw new DnsLabException(
                "the IPv6 lab runs only in a network namespace of its own that has nothing but lo " +
                $"(start it under `unshare --net`); this one has: {string.Join(", ", names)}");
        }

        var up = await LabProcess.RunAsync("ip", ["link", "set", "lo", "up"], null, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        if (up.ExitCode != 0)
        {
            throw new DnsLabException($"`{up.CommandLine}` failed (the IPv6 lab needs root in its namespace):\n{up.Output}");
        }
    }

    /// <summary>
    /// Puts <paramref name="address"/> on lo as a /128, without duplicate address detection, so it
    /// can be bound at once. Only call after <see cref="EnsurePrivateAsync"/>: the namespace, and
    /// the address with it, end with the process that made the namespace.
    /// </summary>
    public static async Task AddAsync(IPAddress address, CancellationToken cancellationToken)
    {
        var added = await LabProcess.RunAsync(
            "ip", ["-6", "addr", "add", address + "/128", "dev", "lo", "nodad"], null, TimeSpan.FromSeconds(10), cancellationToken)
            .ConfigureAwait(false);
        if (added.ExitCode != 0 && !added.Output.Contains("File exists", StringComparison.Ordinal))
        {
            throw new DnsLabException(string.Create(
                CultureInfo.InvariantCulture, $"the IPv6 lab needs {address} on lo and `{added.CommandLine}` failed:\n{added.Output}"));
        }
    }
}
