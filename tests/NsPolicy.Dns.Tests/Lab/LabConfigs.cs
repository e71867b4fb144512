using System.Net;
using System.Text;

namespace NsPolicy.Dns.Tests.Lab;

/// <summary>A zone loaded by one server of the lab.</summary>
internal sealed record LabServedZone(string Name, string FilePath, bool TransferOpen);

/// <summary>
/// Configuration files of the lab's servers. Every server listens on one loopback address (and, in
/// an IPv6 lab, on one unique-local IPv6 address in the lab's own network namespace), sends
/// nothing on its own (no NOTIFY, no recursion, no validation, no control channel) and keeps all
/// its state in its own directory.
/// </summary>
internal static class LabConfigs
{
    public static string Named(string directory, IPAddress address, IPAddress? address6, string? rootHintsPath, IReadOnlyList<LabServedZone> zones)
    {
        var text = new StringBuilder();
        text.Append("options {\n")
            .Append("    directory \"").Append(directory).Append("\";\n")
            .Append("    pid-file \"").Append(Path.Combine(directory, "named.pid")).Append("\";\n")
            .Append("    session-keyfile \"").Append(Path.Combine(directory, "session.key")).Append("\";\n")
            .Append("    managed-keys-directory \"").Append(directory).Append("\";\n")
            .Append("    listen-on port 53 { ").Append(address).Append("; };\n")
            .Append("    listen-on-v6 { ").Append(address6?.ToString() ?? "none").Append("; };\n")
            .Append("    automatic-interface-scan no;\n")
            .Append("    recursion no;\n")
            .Append("    notify no;\n")
            .Append("    dnssec-validation no;\n")
            .Append("    allow-transfer { none; };\n")
            .Append("    querylog no;\n")
            .Append("};\n")
            .Append("controls { };\n");
        if (rootHintsPath is not null)
        {
            text.Append("zone \".\" { type hint; file \"").Append(rootHintsPath).Append("\"; };\n");
        }

        foreach (var zone in zones)
        {
            text.Append("zone \"").Append(zone.Name).Append("\" { type primary; file \"").Append(zone.FilePath).Append("\";");
            if (zone.TransferOpen)
            {
                text.Append(" allow-transfer { any; };");
            }

            text.Append(" };\n");
        }

        return text.ToString();
    }

    public static string Nsd(string directory, IPAddress address, IPAddress? address6, IReadOnlyList<LabServedZone> zones)
    {
        var text = new StringBuilder();
        text.Append("server:\n")
            .Append("    ip-address: ").Append(address).Append('\n');
        if (address6 is not null)
        {
            text.Append("    ip-address: ").Append(address6).Append('\n');
        }

        text.Append("    port: 53\n")
            .Append("    do-ip6: ").Append(address6 is null ? "no" : "yes").Append('\n')
            .Append("    username: \"\"\n")
            .Append("    chroot: \"\"\n")
            .Append("    zonesdir: \"").Append(directory).Append("\"\n")
            .Append("    database: \"\"\n")
            .Append("    zonelistfile: \"").Append(Path.Combine(directory, "zone.list")).Append("\"\n")
            .Append("    xfrdfile: \"").Append(Path.Combine(directory, "xfrd.state")).Append("\"\n")
            .Append("    xfrdir: \"").Append(directory).Append("\"\n")
            .Append("    pidfile: \"").Append(Path.Combine(directory, "nsd.pid")).Append("\"\n")
            .Append("    logfile: \"").Append(Path.Combine(directory, "nsd.log")).Append("\"\n")
            .Append("    server-count: 1\n")
            .Append("    reuseport: no\n")
            .Append("    verbosity: 1\n")
            .Append("remote-control:\n")
            .Append("    control-enable: no\n");
        foreach (var zone in zones)
        {
            text.Append("zone:\n")
                .Append("    name: \"").Append(zone.Name).Append("\"\n")
                .Append("    zonefile: \"").Append(zone.FilePath).Append("\"\n");
            if (zone.TransferOpen)
            {
                text.Append("    provide-xfr: 0.0.0.0/0 NOKEY\n");
            }
        }

        return text.ToString();
    }

    public static string Knot(string directory, IPAddress address, IPAddress? address6, IReadOnlyList<LabServedZone> zones)
    {
        var text = new StringBuilder();
        text.Append("server:\n")
            .Append("    rundir: \"").Append(directory).Append("\"\n")
            .Append("    listen: ").Append(address).Append("@53\n");
        if (address6 is not null)
        {
            text.Append("    listen: ").Append(address6).Append("@53\n");
        }

        text
            .Append("    background-workers: 1\n")
            .Append("    udp-workers: 1\n")
            .Append("    tcp-workers: 1\n")
            .Append("control:\n")
            .Append("    listen: \"").Append(Path.Combine(directory, "knot.sock")).Append("\"\n")
            .Append("log:\n")
            .Append("  - target: stderr\n")
            .Append("    any: info\n")
            .Append("database:\n")
            .Append("    storage: \"").Append(directory).Append("\"\n")
            .Append("acl:\n")
            .Append("  - id: transfer-to-anyone\n")
            .Append("    address: 0.0.0.0/0\n")
            .Append("    action: transfer\n")
            .Append("template:\n")
            .Append("  - id: default\n")
            .Append("    storage: \"").Append(directory).Append("\"\n")
            .Append("    zonefile-sync: -1\n")
            .Append("    zonefile-load: whole\n")
            .Append("    journal-content: none\n")
            .Append("zone:\n");
        foreach (var zone in zones)
        {
            text.Append("  - domain: \"").Append(zone.Name).Append("\"\n")
                .Append("    file: \"").Append(zone.FilePath).Append("\"\n");
            if (zone.TransferOpen)
            {
                text.Append("    acl: transfer-to-anyone\n");
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// A validating resolver that can only reach the lab: lab root hints and trust anchor, no
    /// anchor updates, no control channel, and every address outside 127.20.0.0/16 on the
    /// do-not-query list. Unbound answers test. (RFC 6761) itself unless told not to.
    /// </summary>
    public static string Unbound(string directory, IPAddress address, string rootHintsPath, string trustAnchorPath, IReadOnlyList<LabServedZone> authZones)
    {
        string[] outsideLab =
        [
            "0.0.0.0/2", "64.0.0.0/3", "96.0.0.0/4", "112.0.0.0/5", "120.0.0.0/6", "124.0.0.0/7", "126.0.0.0/8", "128.0.0.0/1",
            "127.0.0.0/12", "127.16.0.0/14", "127.21.0.0/16", "127.22.0.0/15", "127.24.0.0/13", "127.32.0.0/11", "127.64.0.0/10",
            "127.128.0.0/9", "::/0",
        ];
        var text = new StringBuilder();
        text.Append("server:\n")
            .Append("    verbosity: 1\n")
            .Append("    interface: ").Append(address).Append('\n')
            .Append("    port: 53\n")
            .Append("    outgoing-interface: ").Append(address).Append('\n')
            .Append("    do-ip4: yes\n")
            .Append("    do-ip6: no\n")
            .Append("    do-daemonize: no\n")
            .Append("    username: \"\"\n")
            .Append("    chroot: \"\"\n")
            .Append("    directory: \"").Append(directory).Append("\"\n")
            .Append("    pidfile: \"").Append(Path.Combine(directory, "unbound.pid")).Append("\"\n")
            .Append("    logfile: \"\"\n")
            .Append("    use-syslog: no\n")
            .Append("    num-threads: 1\n")
            .Append("    so-reuseport: no\n")
            .Append("    outgoing-range: 64\n")
            .Append("    num-queries-per-thread: 32\n")
            .Append("    msg-cache-size: 4m\n")
            .Append("    rrset-cache-size: 4m\n")
            .Append("    access-control: 127.0.0.0/8 allow\n")
            .Append("    root-hints: \"").Append(rootHintsPath).Append("\"\n")
            .Append("    trust-anchor-file: \"").Append(trustAnchorPath).Append("\"\n")
            .Append("    trust-anchor-signaling: no\n")
            .Append("    root-key-sentinel: no\n")
            .Append("    module-config: \"validator iterator\"\n")
            .Append("    val-log-level: 2\n")
            .Append("    do-not-query-localhost: no\n")
            .Append("    local-zone: \"test.\" nodefault\n");
        foreach (var block in outsideLab)
        {
            text.Append("    do-not-query-address: ").Append(block).Append('\n');
        }

        // Zones Unbound serves itself, authoritatively, beside resolving (an open resolver that is also a nameserver).
        foreach (var zone in authZones)
        {
            text.Append("auth-zone:\n")
                .Append("    name: \"").Append(zone.Name).Append("\"\n")
                .Append("    zonefile: \"").Append(zone.FilePath).Append("\"\n")
                .Append("    for-downstream: yes\n")
                .Append("    for-upstream: yes\n")
                .Append("    fallback-enabled: no\n");
        }

        text.Append("remote-control:\n")
            .Append("    control-enable: no\n");
        return text.ToString();
    }
}
