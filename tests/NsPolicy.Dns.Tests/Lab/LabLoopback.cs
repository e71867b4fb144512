using System.Net;

namespace NsPolicy.Dns.Tests.Lab;

/// <summary>
/// Linux routes all of 127.0.0.0/8 to lo, so NSD, Knot, Unbound and the in-process sockets can
/// bind any 127.20.x.y without more ado. BIND cannot: it only listens on addresses that an
/// interface carries, so BIND's addresses are added to lo (as /32) for the lab's life.
/// </summary>
internal static class LabLoopback
{
    /// <summary>Adds <paramref name="address"/> to lo unless it is there; true when this call added it.</summary>
    public static async Task<bool> EnsureAsync(IPAddress address, CancellationToken cancellationToken)
    {
        var shown = await LabProcess.RunCheckedAsync("ip", ["-4", "-o", "addr", "show", "dev", "lo"], null, cancellationToken)
            .ConfigureAwait(false);
        if (shown.StandardOutput.Contains(" " + address + "/", StringComparison.Ordinal))
        {
            return false;
        }

        var added = await LabProcess.RunAsync("ip", ["addr", "add", address + "/32", "dev", "lo"], null, TimeSpan.FromSeconds(10), cancellationToken)
            .ConfigureAwait(false);
        if (added.ExitCode != 0)
        {
            throw new DnsLabException(
                $"BIND needs {address} on lo and `{added.CommandLine}` failed (the lab needs root for this):\n{added.Output}");
        }

        return true;
    }

    /// <summary>Takes an address this lab added off lo again; failures are ignored (a leftover /32 on lo is harmless).</summary>
    public static void Remove(IPAddress address)
    {
        using var process = System.Diagnostics.Process.Start(LabProcess.CreateStartInfo("ip", ["addr", "del", address + "/32", "dev", "lo"], null));
        process?.WaitForExit(5000);
    }
}
