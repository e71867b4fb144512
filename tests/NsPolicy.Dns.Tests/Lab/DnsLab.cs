using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NsPolicy.Dns.Tests.Lab;

/// <summary>A server (or in-process stand-in) of the lab.</summary>
public sealed record LabServer(LabHost Host, string Software, IPAddress Address, IReadOnlyList<string> Zones);

/// <summary>A zone of the lab as built: what the parent says, what the child says, where it is served.</summary>
/// <param name="Name">Fully qualified, lower case, trailing dot: <c>good.test.</c>, <c>test.</c>, <c>.</c>.</param>
/// <param name="Scenario">The fault the zone carries, in one sentence.</param>
/// <param name="DelegatedNameservers">The NS set at the parent.</param>
/// <param name="Glue">The parent's glue addresses, per in-bailiwick name server.</param>
/// <param name="ApexNameservers">The NS set at the zone's own apex.</param>
/// <param name="ServerAddresses">Addresses of the real servers that load the zone.</param>
/// <param name="ZoneFilePath">The unsigned source (what a team would commit); for serial-skew.test, BIND's copy.</param>
/// <param name="SignedZoneFilePath">The signed file that is served, or null.</param>
/// <param name="DnssecAlgorithm">The signing algorithm, or null.</param>
/// <param name="ParentDsRecords">DS records at the parent, one master-file line each.</param>
public sealed record LabZone(
    string Name,
    string Scenario,
    IReadOnlyList<string> DelegatedNameservers,
    IReadOnlyDictionary<string, IReadOnlyList<IPAddress>> Glue,
    IReadOnlyList<string> ApexNameservers,
    IReadOnlyList<IPAddress> ServerAddresses,
    string ZoneFilePath,
    string? SignedZoneFilePath,
    int? DnssecAlgorithm,
    IReadOnlyList<string> ParentDsRecords);

/// <summary>
/// A small DNS hierarchy of real servers on loopback (BIND, NSD, Knot, Unbound) with its own
/// signed root, the TLD <c>test.</c>, and one child zone per fault. See Lab/README.md.
/// </summary>
public sealed class DnsLab : IAsyncDisposable
{
    private static readonly TimeSpan ReadinessTimeout = TimeSpan.FromSeconds(30);

    private readonly LabSlot slot;
    private readonly List<LabServerProcess> processes = [];
    private readonly List<LabRelay> relays = [];
    private readonly List<IPAddress> addedToLoopback = [];
    private readonly List<LabServer> servers = [];
    private readonly Dictionary<string, LabZone> zones = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<IPAddress>> serversByName = new(StringComparer.Ordinal);
    private readonly EventHandler onProcessExit;
    private readonly DnsLabOptions options;
    private int disposed;

    private DnsLab(LabSlot slot, string directory, DnsLabOptions options)
    {
        this.slot = slot;
        this.options = options;
        Addresses = new LabAddresses(slot.Number);
        Directory = directory;
        RootHintsPath = Path.Combine(directory, "root.hints");
        TrustAnchorPath = Path.Combine(directory, "root.ds");
        TrustAnchorDnskeyPath = Path.Combine(directory, "root.dnskey");
        onProcessExit = (_, _) => StopProcesses();
        AppDomain.CurrentDomain.ProcessExit += onProcessExit;
    }

    public LabAddresses Addresses { get; }

    /// <summary>The run directory: zones/, keys/, one directory per server, hints and anchors.</summary>
    public string Directory { get; }

    /// <summary>Master-file root hints: <c>. NS a.root-servers.test.</c> and its address.</summary>
    public string RootHintsPath { get; }

    /// <summary>The DS (SHA-256) of the lab root's key, one master-file line.</summary>
    public string TrustAnchorPath { get; }

    /// <summary>The lab root's DNSKEY, one master-file line.</summary>
    public string TrustAnchorDnskeyPath { get; }

    /// <summary>The validating Unbound resolver.</summary>
    public IPAddress ResolverAddress => Addresses.Of(LabHost.Resolver);

    public IPAddress RootServerAddress => Addresses.Of(LabHost.Root);

    /// <summary>a.nic.test (NSD) and b.nic.test (Knot).</summary>
    public IReadOnlyList<IPAddress> TldServerAddresses => [Addresses.Of(LabHost.TldNsd), Addresses.Of(LabHost.TldKnot)];

    public IReadOnlyList<LabServer> Servers => servers;

    /// <summary>Every zone by name (<c>.</c>, <c>test.</c>, <c>good.test.</c>, …).</summary>
    public IReadOnlyDictionary<string, LabZone> Zones => zones;

    /// <summary>The names of the generated healthy zones (<see cref="DnsLabOptions.GeneratedZones"/>), in order; also in <see cref="Zones"/>.</summary>
    public IReadOnlyList<string> GeneratedZones { get; private set; } = [];

    /// <summary>
    /// Name server host name → the address its own zone gives it (for ns2.glue-stale.test that is
    /// not the glue). Names without an address record (ns1.gone-provider.test, the CNAME
    /// alias.provider.test) are absent.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<IPAddress>> ServersByName => serversByName;

    public IPAddress AddressOf(LabHost host) => Addresses.Of(host);

    /// <summary>A dual-stack lab in a network namespace of its own (<see cref="DnsLabOptions.Ipv6"/>).</summary>
    public bool Ipv6 => options.Ipv6;

    /// <summary>The hosts that get an IPv6 address in an IPv6 lab: every real server but the resolver, and <see cref="LabHost.Closed"/>.</summary>
    internal static IReadOnlyList<LabHost> Ipv6Hosts { get; } =
        [LabHost.Root, LabHost.TldNsd, LabHost.TldKnot, LabHost.ChildBind, LabHost.ChildNsd, LabHost.ChildKnot, LabHost.Closed];

    /// <summary>From the call to StartAsync until the resolver answered.</summary>
    public TimeSpan StartupDuration { get; private set; }

    /// <summary>
    /// Builds zones and keys, starts every server and waits until each answers for each of its
    /// zones. Takes the first free slot, or the one named by NSPOLICY_LAB_SLOT.
    /// </summary>
    public static Task<DnsLab> StartAsync(CancellationToken cancellationToken)
    {
        var forced = Environment.GetEnvironmentVariable("NSPOLICY_LAB_SLOT");
        return StartAsync(string.IsNullOrEmpty(forced) ? null : int.Parse(forced, NumberStyles.None, CultureInfo.InvariantCulture), cancellationToken);
    }

    /// <summary>As <see cref="StartAsync(CancellationToken)"/> in slot <paramref name="slotNumber"/> (0–15), or the first free one.</summary>
    public static Task<DnsLab> StartAsync(int? slotNumber, CancellationToken cancellationToken) =>
        StartInSlotAsync(LabSlot.Acquire(slotNumber), cancellationToken);

    /// <summary>As <see cref="StartAsync(CancellationToken)"/> with generated zones or a chosen slot (<see cref="DnsLabOptions"/>).</summary>
    public static Task<DnsLab> StartWithOptionsAsync(DnsLabOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.GeneratedZones);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.GeneratedZones, DnsLabOptions.MaxGeneratedZones);
        var forced = options.Slot;
        if (forced is null && Environment.GetEnvironmentVariable("NSPOLICY_LAB_SLOT") is { Length: > 0 } text)
        {
            forced = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        }

        return StartInSlotAsync(LabSlot.Acquire(forced), options, cancellationToken);
    }

    /// <summary>Starts a lab in a slot already held; the lab owns it from here on.</summary>
    internal static Task<DnsLab> StartInSlotAsync(LabSlot slot, CancellationToken cancellationToken) =>
        StartInSlotAsync(slot, new DnsLabOptions(), cancellationToken);

    private static async Task<DnsLab> StartInSlotAsync(LabSlot slot, DnsLabOptions options, CancellationToken cancellationToken)
    {
        DnsLab lab;
        try
        {
            slot.EndLeftovers();
            var directory = Path.Combine(
                LabSlot.StateDirectory,
                string.Create(CultureInfo.InvariantCulture, $"run-{slot.Number}-{Guid.NewGuid():N}"));
            System.IO.Directory.CreateDirectory(directory);
            lab = new DnsLab(slot, directory, options);
        }
        catch
        {
            slot.Dispose();
            throw;
        }

        try
        {
            var clock = Stopwatch.StartNew();
            await lab.BuildAndStartAsync(cancellationToken).ConfigureAwait(false);
            lab.StartupDuration = clock.Elapsed;
            return lab;
        }
        catch
        {
            await lab.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>What a server wrote so far (stdout, stderr, log file), for diagnosing a test.</summary>
    public string OutputOf(LabHost host)
    {
        var name = host.ToString();
        return processes.FirstOrDefault(p => p.Name == name)?.Output ?? "";
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= onProcessExit;
        foreach (var relay in relays)
        {
            await relay.DisposeAsync().ConfigureAwait(false);
        }

        StopProcesses();
        foreach (var process in processes)
        {
            process.Dispose();
        }

        foreach (var address in addedToLoopback)
        {
            LabLoopback.Remove(address);
        }

        slot.Dispose();
        if (Environment.GetEnvironmentVariable("NSPOLICY_LAB_KEEP") != "1")
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // Left in the temp directory; harmless.
            }
        }
    }

    private void StopProcesses()
    {
        foreach (var process in processes)
        {
            process.Stop();
        }
    }

    private async Task BuildAndStartAsync(CancellationToken cancellationToken)
    {
        if (options.Ipv6)
        {
            await LabNamespace.EnsurePrivateAsync(cancellationToken).ConfigureAwait(false);
        }

        EnsureAddressesFree();
        var generated = LabGeneratedZones.Healthy(options.GeneratedZones);
        GeneratedZones = [.. generated.Select(s => s.Name)];
        IReadOnlyList<LabZoneSpec> specs = [.. LabCatalogue.Children(Addresses), .. LabContentVariants.Children(), .. options.Ipv6 ? LabCatalogue.Ipv6Children() : [], .. generated];
        var zoneDirectory = Path.Combine(Directory, "zones");
        var keyDirectory = Path.Combine(Directory, "keys");
        System.IO.Directory.CreateDirectory(zoneDirectory);
        System.IO.Directory.CreateDirectory(keyDirectory);

        // Keys: one per signed zone, one unpublished key per zone whose DS is to match nothing.
        var signingKeys = specs.Where(s => s.Signing != LabSigning.None && s.SharesKeyOf is null)
            .ToDictionary(s => s.Name, s => LabSigner.GenerateAsync(keyDirectory, s.Name, s.Signing, cancellationToken));
        var unrelatedKeys = specs.Where(s => s.Ds == LabDs.Unrelated)
            .ToDictionary(s => s.Name, s => LabSigner.GenerateAsync(keyDirectory, s.Name, LabSigning.EcdsaP256Sha256, cancellationToken));
        var tldKeyTask = LabSigner.GenerateAsync(keyDirectory, "test.", LabSigning.EcdsaP256Sha256, cancellationToken);
        var rootKeyTask = LabSigner.GenerateAsync(keyDirectory, ".", LabSigning.EcdsaP256Sha256, cancellationToken);
        await Task.WhenAll(signingKeys.Values.Concat(unrelatedKeys.Values).Append(tldKeyTask).Append(rootKeyTask)).ConfigureAwait(false);
        var keys = new Dictionary<string, LabKey>(StringComparer.Ordinal);
        foreach (var (zone, task) in signingKeys)
        {
            keys[zone] = await task.ConfigureAwait(false);
        }

        foreach (var spec in specs.Where(s => s.Signing != LabSigning.None && s.SharesKeyOf is not null))
        {
            keys[spec.Name] = await LabKeyCopies.CopyAsync(keys[spec.SharesKeyOf!], keyDirectory, spec.Name, cancellationToken).ConfigureAwait(false);
        }

        // The DS records each parent publishes for its children.
        var parentDs = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            parentDs[spec.Name] = spec.Ds switch
            {
                LabDs.Matching => [keys[spec.Name].DsRecord],
                LabDs.Unrelated => [(await unrelatedKeys[spec.Name].ConfigureAwait(false)).DsRecord],
                _ => [],
            };
        }

        CheckParents(specs);

        // Children (and grandchildren): source files, then signatures.
        var served = new Dictionary<LabHost, List<LabServedZone>>();
        var signing = new List<Task>();
        var childFiles = new Dictionary<string, (string Source, string? Signed)>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            var key = keys.GetValueOrDefault(spec.Name);
            var baseName = Path.Combine(zoneDirectory, spec.Name.TrimEnd('.'));
            string? signedPath = null;
            string sourcePath;
            if (spec.SerialByHost.Count > 0 || spec.SoaTimersByHost.Count > 0)
            {
                var hosts = spec.SerialByHost.Keys.Concat(spec.SoaTimersByHost.Keys).Distinct().ToList();
                foreach (var host in hosts)
                {
                    var path = baseName + "." + host.ToString().ToLowerInvariant() + ".zone";
                    var text = ChildZoneText(spec with { SoaTimers = spec.SoaTimersByHost.GetValueOrDefault(host, spec.SoaTimers) },
                        spec.SerialByHost.GetValueOrDefault(host, LabCatalogue.DefaultSerial), key, specs, parentDs);
                    await File.WriteAllTextAsync(path, text, cancellationToken).ConfigureAwait(false);
                    Serve(served, host, new LabServedZone(spec.Name, path, false));
                }

                sourcePath = baseName + "." + hosts[0].ToString().ToLowerInvariant() + ".zone";
            }
            else
            {
                sourcePath = baseName + ".zone";
                await File.WriteAllTextAsync(sourcePath, ChildZoneText(spec, LabCatalogue.DefaultSerial, key, specs, parentDs), cancellationToken)
                    .ConfigureAwait(false);
                if (key is not null)
                {
                    signedPath = sourcePath + ".signed";
                    signing.Add(LabSigner.SignAsync(
                        keyDirectory, spec.Name, sourcePath, signedPath, key,
                        new LabSigningOptions(spec.ExpiredSignatures, spec.Nsec3 ? spec.Nsec3Salt : null, spec.Nsec3Iterations, spec.ExpiredExceptDnskey)
                        {
                            Signer = spec.Signer,
                            OptOut = spec.Nsec3OptOut,
                            Edits = spec.SignatureEdits,
                            TamperSoa = spec.TamperSoa,
                            RaiseNsTtl = spec.RaiseNsTtl,
                            SecondKey = spec.SecondKey,
                        },
                        cancellationToken));
                }

                foreach (var host in spec.ServedBy)
                {
                    Serve(served, host, new LabServedZone(spec.Name, signedPath ?? sourcePath, spec.TransferOpen && host == LabHost.ChildBind));
                }
            }

            childFiles[spec.Name] = (sourcePath, signedPath);
        }

        await Task.WhenAll(signing).ConfigureAwait(false);

        // The TLD, then the root, each with the DS records of its children.
        var tldKey = await tldKeyTask.ConfigureAwait(false);
        var rootKey = await rootKeyTask.ConfigureAwait(false);

        var tldSource = Path.Combine(zoneDirectory, "test.zone");
        await File.WriteAllTextAsync(tldSource, TldZoneText(specs, parentDs, tldKey), cancellationToken).ConfigureAwait(false);
        await LabSigner.SignAsync(keyDirectory, "test.", tldSource, tldSource + ".signed", tldKey, expired: false, cancellationToken)
            .ConfigureAwait(false);
        var rootSource = Path.Combine(zoneDirectory, "root.zone");
        await File.WriteAllTextAsync(rootSource, RootZoneText(tldKey, rootKey), cancellationToken).ConfigureAwait(false);
        await LabSigner.SignAsync(keyDirectory, ".", rootSource, rootSource + ".signed", rootKey, expired: false, cancellationToken)
            .ConfigureAwait(false);
        Serve(served, LabHost.Root, new LabServedZone(".", rootSource + ".signed", false));
        Serve(served, LabHost.TldNsd, new LabServedZone("test.", tldSource + ".signed", false));
        Serve(served, LabHost.TldKnot, new LabServedZone("test.", tldSource + ".signed", false));

        var rootAddress = Addresses.Of(LabHost.Root).ToString();
        await File.WriteAllTextAsync(
            RootHintsPath,
            ".                    3600000 IN NS a.root-servers.test.\n" +
            "a.root-servers.test. 3600000 IN A  " + rootAddress + "\n" +
            (options.Ipv6 ? "a.root-servers.test. 3600000 IN AAAA " + Addresses.Of6(LabHost.Root) + "\n" : ""),
            cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(TrustAnchorPath, rootKey.DsRecord + "\n", cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(TrustAnchorDnskeyPath, rootKey.DnskeyRecord + "\n", cancellationToken).ConfigureAwait(false);

        foreach (var host in new[] { LabHost.Root, LabHost.ChildBind })
        {
            if (await LabLoopback.EnsureAsync(Addresses.Of(host), cancellationToken).ConfigureAwait(false))
            {
                addedToLoopback.Add(Addresses.Of(host));
            }
        }

        // In the lab's own namespace: the addresses go when the namespace does.
        foreach (var host in options.Ipv6 ? Ipv6Hosts : [])
        {
            await LabNamespace.AddAsync(Addresses.Of6(host), cancellationToken).ConfigureAwait(false);
        }

        DescribeTopology(specs, served, childFiles, parentDs, rootSource, tldSource, rootKey, tldKey, keys);

        // Zones the resolver serves itself (auth-zone) go into its configuration, not to a server of their own.
        var resolverZones = served.Remove(LabHost.Resolver, out var authZones) ? authZones : [];
        StartServers(served);
        await WaitUntilServingAsync(served, cancellationToken).ConfigureAwait(false);

        // The resolver last: it only needs to be up; it primes from the root on its first query.
        var unboundDirectory = CreateServerDirectory(LabHost.Resolver);
        var unboundConfig = Path.Combine(unboundDirectory, "unbound.conf");
        await File.WriteAllTextAsync(
            unboundConfig, LabConfigs.Unbound(unboundDirectory, ResolverAddress, RootHintsPath, TrustAnchorPath, resolverZones), cancellationToken)
            .ConfigureAwait(false);
        var unbound = StartProcess(LabHost.Resolver, "unbound", ["-d", "-c", unboundConfig], unboundDirectory, null);
        servers.Add(new LabServer(LabHost.Resolver, "Unbound (validating resolver)", ResolverAddress, [.. resolverZones.Select(z => z.Name)]));
        await WaitForAnswerAsync(unbound, ResolverAddress, ".", recursionDesired: true, cancellationToken).ConfigureAwait(false);
    }

    private static void Serve(Dictionary<LabHost, List<LabServedZone>> served, LabHost host, LabServedZone zone)
    {
        if (!served.TryGetValue(host, out var list))
        {
            served[host] = list = [];
        }

        list.Add(zone);
    }

    /// <summary>Fails loudly when something already holds port 53 on a lab address (a leftover server, another lab).</summary>
    private void EnsureAddressesFree()
    {
        foreach (var host in Enum.GetValues<LabHost>())
        {
            var endpoint = new IPEndPoint(Addresses.Of(host), 53);
            foreach (var type in new[] { SocketType.Dgram, SocketType.Stream })
            {
                using var socket = new Socket(AddressFamily.InterNetwork, type, type == SocketType.Dgram ? ProtocolType.Udp : ProtocolType.Tcp);
                try
                {
                    socket.Bind(endpoint);
                }
                catch (SocketException e)
                {
                    throw new DnsLabException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"lab address {endpoint} ({host}, {(type == SocketType.Dgram ? "UDP" : "TCP")}) cannot be bound: {e.SocketErrorCode}. " +
                        $"Something else holds it (find it with `ss -lnup | grep {endpoint.Address}`), or choose another slot with NSPOLICY_LAB_SLOT."), e);
                }
            }
        }
    }

    private string CreateServerDirectory(LabHost host)
    {
        var path = Path.Combine(Directory, host.ToString().ToLowerInvariant());
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    private void StartServers(Dictionary<LabHost, List<LabServedZone>> served)
    {
        foreach (var (host, hostZones) in served)
        {
            var directory = CreateServerDirectory(host);
            var address = Addresses.Of(host);
            var address6 = Address6Of(host);
            var names = hostZones.Select(z => z.Name).ToList();
            switch (host)
            {
                case LabHost.Root or LabHost.ChildBind:
                    var namedConfig = Path.Combine(directory, "named.conf");
                    File.WriteAllText(namedConfig, LabConfigs.Named(directory, address, address6, host == LabHost.Root ? null : RootHintsPath, hostZones));
                    StartProcess(host, "named", address6 is null ? ["-g", "-4", "-n", "1", "-c", namedConfig] : ["-g", "-n", "1", "-c", namedConfig], directory, null);
                    servers.Add(new LabServer(host, "BIND named", address, names));
                    break;
                case LabHost.TldNsd or LabHost.ChildNsd:
                    var nsdConfig = Path.Combine(directory, "nsd.conf");
                    File.WriteAllText(nsdConfig, LabConfigs.Nsd(directory, address, address6, hostZones));
                    StartProcess(host, "nsd", ["-d", "-c", nsdConfig], directory, Path.Combine(directory, "nsd.log"));
                    servers.Add(new LabServer(host, "NSD", address, names));
                    break;
                case LabHost.TldKnot or LabHost.ChildKnot:
                    var knotConfig = Path.Combine(directory, "knot.conf");
                    File.WriteAllText(knotConfig, LabConfigs.Knot(directory, address, address6, hostZones));
                    StartProcess(host, "knotd", ["-c", knotConfig], directory, null);
                    servers.Add(new LabServer(host, "Knot DNS", address, names));
                    break;
                default:
                    throw new InvalidOperationException("no server software for " + host);
            }
        }

        var nsd = Addresses.Of(LabHost.ChildNsd);
        relays.Add(ForwardingRelay.Start(Addresses.Of(LabHost.RelayNoAa), nsd, clearAuthoritative: true, udpOnly: false));
        servers.Add(new LabServer(LabHost.RelayNoAa, "in-process relay to ChildNsd, clears AA (UDP, TCP)", Addresses.Of(LabHost.RelayNoAa), ["noaa.test."]));
        relays.Add(ForwardingRelay.Start(Addresses.Of(LabHost.RelayUdpOnly), nsd, clearAuthoritative: false, udpOnly: true));
        servers.Add(new LabServer(LabHost.RelayUdpOnly, "in-process relay to ChildNsd, UDP only", Addresses.Of(LabHost.RelayUdpOnly), ["tcp-broken.test."]));
        relays.Add(EdnsBrokenRelay.Start(Addresses.Of(LabHost.RelayEdnsBroken), nsd));
        servers.Add(new LabServer(LabHost.RelayEdnsBroken, "in-process relay to ChildNsd, EDNS version and options mishandled over UDP", Addresses.Of(LabHost.RelayEdnsBroken), ["edns-broken.test."]));
        relays.Add(PoisoningRelay.Start(
            Addresses.Of(LabHost.RelayPoison), Addresses.Of(LabHost.ChildBind), LabCatalogue.PoisonRecords(Addresses)));
        servers.Add(new LabServer(LabHost.RelayPoison, "in-process relay to ChildBind (UDP, TCP), adds out-of-bailiwick address records to referrals", Addresses.Of(LabHost.RelayPoison), ["oob-parent.test."]));
        relays.Add(OptionEchoingRelay.Start(Addresses.Of(LabHost.RelayEdnsEcho), nsd));
        servers.Add(new LabServer(LabHost.RelayEdnsEcho, "in-process relay to ChildNsd (UDP, TCP), echoes the query's EDNS options in the answer", Addresses.Of(LabHost.RelayEdnsEcho), ["edns-echo.test."]));
        relays.Add(OptStrippingRelay.Start(Addresses.Of(LabHost.RelayNoOpt), nsd));
        servers.Add(new LabServer(LabHost.RelayNoOpt, "in-process relay to ChildNsd (UDP, TCP), takes the OPT record out of every answer", Addresses.Of(LabHost.RelayNoOpt), ["edns-no-opt.test."]));
        relays.Add(BadversVersionRelay.Start(Addresses.Of(LabHost.RelayBadvers), nsd));
        servers.Add(new LabServer(LabHost.RelayBadvers, "in-process relay to ChildNsd (UDP, TCP), puts the query's EDNS version in BADVERS answers", Addresses.Of(LabHost.RelayBadvers), ["edns-badvers.test."]));
        relays.Add(FlagEchoingRelay.Start(Addresses.Of(LabHost.RelayEdnsFlags), nsd));
        servers.Add(new LabServer(LabHost.RelayEdnsFlags, "in-process relay to ChildNsd (UDP, TCP), copies the query's undefined EDNS flags into the answer", Addresses.Of(LabHost.RelayEdnsFlags), ["edns-flags.test."]));
        relays.Add(TruncatingRelay.Start(Addresses.Of(LabHost.RelayTruncating), nsd));
        servers.Add(new LabServer(LabHost.RelayTruncating, "in-process relay to ChildNsd (UDP, TCP), answers UDP queries offering 512 octets truncated, without OPT", Addresses.Of(LabHost.RelayTruncating), ["edns-truncated.test."]));
        relays.Add(VersionOptionRelay.Start(Addresses.Of(LabHost.RelayVersionOption), nsd));
        servers.Add(new LabServer(LabHost.RelayVersionOption, "in-process relay to ChildNsd (UDP, TCP), passes EDNS version 1 with an option on as version 0 over UDP", Addresses.Of(LabHost.RelayVersionOption), ["edns-version-option.test."]));
        relays.Add(LabRelay.StartBlackHole(Addresses.Of(LabHost.BlackHole)));
        servers.Add(new LabServer(LabHost.BlackHole, "in-process black hole (UDP, TCP), never answers", Addresses.Of(LabHost.BlackHole), []));
        servers.Add(new LabServer(LabHost.Closed, "nothing listens", Addresses.Of(LabHost.Closed), []));
    }

    /// <summary>The host's IPv6 address in an IPv6 lab, else null.</summary>
    private IPAddress? Address6Of(LabHost host) => options.Ipv6 && Ipv6Hosts.Contains(host) ? Addresses.Of6(host) : null;

    private LabServerProcess StartProcess(LabHost host, string fileName, IReadOnlyList<string> arguments, string directory, string? logFile)
    {
        var process = LabServerProcess.Start(host.ToString(), fileName, arguments, directory, logFile);
        processes.Add(process);
        slot.Record(process.Id, Directory);
        return process;
    }

    private async Task WaitUntilServingAsync(Dictionary<LabHost, List<LabServedZone>> served, CancellationToken cancellationToken)
    {
        var waits = new List<Task>();
        foreach (var (host, hostZones) in served)
        {
            var process = processes.Single(p => p.Name == host.ToString());
            waits.Add(WaitForZonesAsync(process, Addresses.Of(host), hostZones, cancellationToken));
            if (Address6Of(host) is { } address6)
            {
                waits.Add(WaitForZonesAsync(process, address6, hostZones, cancellationToken));
            }
        }

        await Task.WhenAll(waits).ConfigureAwait(false);
    }

    private static async Task WaitForZonesAsync(
        LabServerProcess process, IPAddress address, List<LabServedZone> hostZones, CancellationToken cancellationToken)
    {
        foreach (var zone in hostZones)
        {
            await WaitForAnswerAsync(process, address, zone.Name, recursionDesired: false, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Polls for the SOA of <paramref name="zone"/> until NOERROR (with AA from an authoritative
    /// server); throws with the server's output when it exits or the time runs out.
    /// </summary>
    internal static async Task WaitForAnswerAsync(
        LabServerProcess process, IPAddress address, string zone, bool recursionDesired, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        LabProbeAnswer? last = null;
        while (clock.Elapsed < ReadinessTimeout)
        {
            if (process.HasExited)
            {
                throw process.Failure(string.Create(CultureInfo.InvariantCulture, $"stopped before it served {zone} on {address}"));
            }

            last = await LabProbe.QueryAsync(address, zone, LabProbe.TypeSoa, recursionDesired, TimeSpan.FromMilliseconds(500), cancellationToken)
                .ConfigureAwait(false);
            if (last is { Rcode: 0 } answer && (recursionDesired || answer.Authoritative))
            {
                return;
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        throw process.Failure(string.Create(
            CultureInfo.InvariantCulture,
            $"did not answer SOA {zone} on {address} with NOERROR{(recursionDesired ? "" : "+AA")} within {ReadinessTimeout.TotalSeconds} s (last answer: {last?.ToString() ?? "none"})"));
    }

    /// <summary>A zone below test. may be delegated by another zone of the catalogue, when that one is unsigned and the child has no DS.</summary>
    private static void CheckParents(IReadOnlyList<LabZoneSpec> specs)
    {
        foreach (var spec in specs.Where(s => s.Parent != "test."))
        {
            var parent = specs.FirstOrDefault(s => s.Name == spec.Parent)
                ?? throw new DnsLabException($"{spec.Name}: its parent {spec.Parent} is not a zone of the lab");
            if (parent.Signing != LabSigning.None || parent.Parent != "test." || spec.Ds != LabDs.None || !spec.Name.EndsWith("." + parent.Name, StringComparison.Ordinal))
            {
                throw new DnsLabException($"{spec.Name}: a zone delegated by {spec.Parent} must be its child, without DS, and {spec.Parent} an unsigned child of test.");
            }
        }
    }

    private string ChildZoneText(LabZoneSpec spec, uint serial, LabKey? key, IReadOnlyList<LabZoneSpec> specs, Dictionary<string, IReadOnlyList<string>> parentDs)
    {
        var text = new StringBuilder();
        var apex = spec.ApexNames;
        text.Append("$TTL 3600\n")
            .Append(CultureInfo.InvariantCulture, $"{spec.Name} 3600 IN SOA {apex[0]} hostmaster.{spec.Name} {serial} {spec.SoaTimers}\n");
        foreach (var ns in apex)
        {
            text.Append(CultureInfo.InvariantCulture, $"{spec.Name} {spec.NsTtl} IN NS {ns}\n");
        }

        foreach (var (ns, address) in ChildAddresses(spec))
        {
            text.Append(CultureInfo.InvariantCulture, $"{ns} 3600 IN {AddressType(address)} {address}\n");
        }

        foreach (var record in spec.ExtraRecords)
        {
            text.Append(record).Append('\n');
        }

        foreach (var child in specs.Where(s => s.Parent == spec.Name))
        {
            AppendDelegation(text, child, parentDs[child.Name]);
        }

        if (key is not null)
        {
            text.Append(key.DnskeyRecord).Append('\n');
            if (spec.PublishCds)
            {
                text.Append(AsChildCopy(key.DnskeyRecord, "DNSKEY", "CDNSKEY")).Append('\n')
                    .Append(AsChildCopy(key.DsRecord, "DS", "CDS")).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>A DNSKEY or DS line with its type replaced by CDNSKEY or CDS (RFC 7344 §3.1: same RDATA).</summary>
    private static string AsChildCopy(string record, string type, string childType)
    {
        var fields = record.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(fields, type);
        if (at < 0)
        {
            throw new DnsLabException($"expected a {type} record, found `{record}`");
        }

        fields[at] = childType;
        return string.Join(' ', fields);
    }

    /// <summary>The address records the child zone holds for its own in-bailiwick name servers.</summary>
    private IEnumerable<(string Name, IPAddress Address)> ChildAddresses(LabZoneSpec spec)
    {
        foreach (var ns in spec.ApexNames)
        {
            if (!ns.EndsWith("." + spec.Name, StringComparison.Ordinal))
            {
                continue;
            }

            if (spec.ChildAddresses.TryGetValue(ns, out var host))
            {
                yield return (ns, Addresses.Of(host));
            }
            else if (spec.Delegation.FirstOrDefault(d => d.Name == ns)?.Glue is { } glue)
            {
                yield return (ns, Addresses.Of(glue));
            }

            if (options.Ipv6 && spec.Delegation.FirstOrDefault(d => d.Name == ns)?.Glue6 is { } glue6)
            {
                yield return (ns, Addresses.Of6(glue6));
            }
        }
    }

    private static string AddressType(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? "AAAA" : "A";

    /// <summary>The parent's glue addresses of one delegated name: its A, and in an IPv6 lab its AAAA.</summary>
    private IReadOnlyList<IPAddress> GlueOf(LabNs ns) =>
        [.. ns.Glue is { } glue ? [Addresses.Of(glue)] : Array.Empty<IPAddress>(),
            .. options.Ipv6 && ns.Glue6 is { } glue6 ? [Addresses.Of6(glue6)] : Array.Empty<IPAddress>()];

    private string TldZoneText(IReadOnlyList<LabZoneSpec> specs, Dictionary<string, IReadOnlyList<string>> parentDs, LabKey key)
    {
        var text = new StringBuilder();
        text.Append("$TTL 86400\n")
            .Append(CultureInfo.InvariantCulture, $"test. 86400 IN SOA a.nic.test. hostmaster.nic.test. {LabCatalogue.DefaultSerial} 1800 900 604800 3600\n")
            .Append("test. 86400 IN NS a.nic.test.\n")
            .Append("test. 86400 IN NS b.nic.test.\n")
            .Append(CultureInfo.InvariantCulture, $"a.nic.test. 86400 IN A {Addresses.Of(LabHost.TldNsd)}\n")
            .Append(CultureInfo.InvariantCulture, $"b.nic.test. 86400 IN A {Addresses.Of(LabHost.TldKnot)}\n")
            .Append(CultureInfo.InvariantCulture, $"a.root-servers.test. 86400 IN A {Addresses.Of(LabHost.Root)}\n");
        if (options.Ipv6)
        {
            text.Append(CultureInfo.InvariantCulture, $"a.nic.test. 86400 IN AAAA {Addresses.Of6(LabHost.TldNsd)}\n")
                .Append(CultureInfo.InvariantCulture, $"b.nic.test. 86400 IN AAAA {Addresses.Of6(LabHost.TldKnot)}\n")
                .Append(CultureInfo.InvariantCulture, $"a.root-servers.test. 86400 IN AAAA {Addresses.Of6(LabHost.Root)}\n");
        }

        foreach (var spec in specs.Where(s => s.Parent == "test."))
        {
            AppendDelegation(text, spec, parentDs[spec.Name]);
        }

        text.Append(key.DnskeyRecord).Append('\n');
        return text.ToString();
    }

    /// <summary>The NS records, glue and DS records a parent holds for <paramref name="spec"/>.</summary>
    private void AppendDelegation(StringBuilder text, LabZoneSpec spec, IReadOnlyList<string> ds)
    {
        foreach (var ns in spec.Delegation)
        {
            text.Append(CultureInfo.InvariantCulture, $"{spec.Name} 86400 IN NS {ns.Name}\n");
        }

        foreach (var ns in spec.Delegation)
        {
            foreach (var address in GlueOf(ns))
            {
                text.Append(CultureInfo.InvariantCulture, $"{ns.Name} 86400 IN {AddressType(address)} {address}\n");
            }
        }

        foreach (var record in ds)
        {
            text.Append(record).Append('\n');
        }
    }

    private string RootZoneText(LabKey tldKey, LabKey key)
    {
        var text = new StringBuilder();
        text.Append("$TTL 86400\n")
            .Append(CultureInfo.InvariantCulture, $". 86400 IN SOA a.root-servers.test. hostmaster.root-servers.test. {LabCatalogue.DefaultSerial} 1800 900 604800 86400\n")
            .Append(". 518400 IN NS a.root-servers.test.\n")
            .Append(CultureInfo.InvariantCulture, $"a.root-servers.test. 518400 IN A {Addresses.Of(LabHost.Root)}\n")
            .Append("test. 172800 IN NS a.nic.test.\n")
            .Append("test. 172800 IN NS b.nic.test.\n")
            .Append(CultureInfo.InvariantCulture, $"a.nic.test. 172800 IN A {Addresses.Of(LabHost.TldNsd)}\n")
            .Append(CultureInfo.InvariantCulture, $"b.nic.test. 172800 IN A {Addresses.Of(LabHost.TldKnot)}\n");
        if (options.Ipv6)
        {
            text.Append(CultureInfo.InvariantCulture, $"a.root-servers.test. 518400 IN AAAA {Addresses.Of6(LabHost.Root)}\n")
                .Append(CultureInfo.InvariantCulture, $"a.nic.test. 172800 IN AAAA {Addresses.Of6(LabHost.TldNsd)}\n")
                .Append(CultureInfo.InvariantCulture, $"b.nic.test. 172800 IN AAAA {Addresses.Of6(LabHost.TldKnot)}\n");
        }

        text.Append(tldKey.DsRecord).Append('\n')
            .Append(key.DnskeyRecord).Append('\n');
        return text.ToString();
    }

    private void DescribeTopology(
        IReadOnlyList<LabZoneSpec> specs,
        Dictionary<LabHost, List<LabServedZone>> served,
        Dictionary<string, (string Source, string? Signed)> childFiles,
        Dictionary<string, IReadOnlyList<string>> parentDs,
        string rootSource,
        string tldSource,
        LabKey rootKey,
        LabKey tldKey,
        Dictionary<string, LabKey> keys)
    {
        IReadOnlyList<IPAddress> ServingAddresses(string zone) =>
            served.Where(s => s.Value.Any(z => z.Name == zone)).Select(s => Addresses.Of(s.Key)).ToList();

        var root = Addresses.Of(LabHost.Root);
        var tld = TldServerAddresses;
        IReadOnlyList<IPAddress> WithIpv6(LabHost host) =>
            Address6Of(host) is { } address6 ? [Addresses.Of(host), address6] : [Addresses.Of(host)];
        var tldGlue = new Dictionary<string, IReadOnlyList<IPAddress>>(StringComparer.Ordinal)
        {
            ["a.nic.test."] = WithIpv6(LabHost.TldNsd),
            ["b.nic.test."] = WithIpv6(LabHost.TldKnot),
        };
        zones["."] = new LabZone(".", "the lab root, signed with algorithm 13; its DS is the trust anchor",
            [], new Dictionary<string, IReadOnlyList<IPAddress>>(), ["a.root-servers.test."], [root],
            rootSource, rootSource + ".signed", rootKey.Algorithm, []);
        zones["test."] = new LabZone("test.", "the TLD, signed with algorithm 13, served by NSD and Knot from the same file",
            ["a.nic.test.", "b.nic.test."], tldGlue, ["a.nic.test.", "b.nic.test."], ServingAddresses("test."),
            tldSource, tldSource + ".signed", tldKey.Algorithm, [tldKey.DsRecord]);
        serversByName["a.root-servers.test."] = WithIpv6(LabHost.Root);
        serversByName["a.nic.test."] = tldGlue["a.nic.test."];
        serversByName["b.nic.test."] = tldGlue["b.nic.test."];

        foreach (var spec in specs)
        {
            var glue = spec.Delegation.Where(n => GlueOf(n).Count > 0)
                .ToDictionary(n => n.Name, GlueOf, StringComparer.Ordinal);
            var (source, signed) = childFiles[spec.Name];
            int? algorithm = keys.TryGetValue(spec.Name, out var key) ? key.Algorithm : null;
            zones[spec.Name] = new LabZone(
                spec.Name, spec.Scenario, spec.Delegation.Select(n => n.Name).ToList(), glue, spec.ApexNames,
                ServingAddresses(spec.Name), source, signed, algorithm, parentDs[spec.Name]);
            foreach (var (name, addresses) in glue)
            {
                serversByName[name] = addresses;
            }

            foreach (var group in ChildAddresses(spec).GroupBy(a => a.Name, StringComparer.Ordinal))
            {
                serversByName[group.Key] = [.. group.Select(a => a.Address)];
            }
        }
    }
}
