using System.Net;

namespace NsPolicy.Dns.Tests.Lab;

/// <summary>The machines of the lab. Each one is an address on loopback, port 53.</summary>
public enum LabHost
{
    /// <summary>BIND, serves the root zone.</summary>
    Root,

    /// <summary>Unbound, the validating recursive resolver.</summary>
    Resolver,

    /// <summary>NSD, serves <c>test.</c> (a.nic.test).</summary>
    TldNsd,

    /// <summary>Knot, serves <c>test.</c> (b.nic.test).</summary>
    TldKnot,

    /// <summary>BIND, serves child zones.</summary>
    ChildBind,

    /// <summary>NSD, serves child zones.</summary>
    ChildNsd,

    /// <summary>Knot, serves child zones.</summary>
    ChildKnot,

    /// <summary>In-process relay to <see cref="ChildNsd"/> over UDP and TCP that clears the AA bit.</summary>
    RelayNoAa,

    /// <summary>In-process relay to <see cref="ChildNsd"/> over UDP only: nothing listens on TCP.</summary>
    RelayUdpOnly,

    /// <summary>In-process socket (UDP and TCP) that takes queries and never answers.</summary>
    BlackHole,

    /// <summary>An address where nothing listens at all: UDP gets ICMP port unreachable, TCP a reset.</summary>
    Closed,

    /// <summary>
    /// In-process relay to <see cref="ChildNsd"/> over UDP and TCP that gets EDNS wrong over UDP: it
    /// passes an unknown EDNS version on as version 0 (no BADVERS) and answers FORMERR to any option.
    /// </summary>
    RelayEdnsBroken,

    /// <summary>
    /// In-process relay to <see cref="ChildBind"/> over UDP and TCP that poisons referrals: it adds an
    /// address record for a name outside the referring zone (<see cref="LabCatalogue.PoisonedGlue"/>)
    /// to the additional section of every referral it relays.
    /// </summary>
    RelayPoison,

    /// <summary>In-process relay to <see cref="ChildNsd"/> over UDP and TCP that copies the EDNS options of each query into its answer.</summary>
    RelayEdnsEcho,

    /// <summary>In-process relay to <see cref="ChildNsd"/> over UDP and TCP that takes the OPT record out of every answer.</summary>
    RelayNoOpt,

    /// <summary>In-process relay to <see cref="ChildNsd"/> over UDP and TCP that puts the query's EDNS version in BADVERS answers instead of 0.</summary>
    RelayBadvers,

    /// <summary>In-process relay to <see cref="ChildNsd"/> over UDP and TCP that copies the query's undefined EDNS flags into its answer.</summary>
    RelayEdnsFlags,

    /// <summary>In-process relay to <see cref="ChildNsd"/> over UDP and TCP that answers UDP queries offering 512 octets truncated, without OPT.</summary>
    RelayTruncating,

    /// <summary>In-process relay to <see cref="ChildNsd"/> over UDP and TCP that passes a UDP query with EDNS version 1 and an option on as version 0.</summary>
    RelayVersionOption,
}

/// <summary>
/// Addresses of one lab instance. Instance <c>slot</c> (0–15) uses 127.20.(16·slot + n).h so that
/// several test assemblies running at the same time each get their own lab. An IPv6 lab (in a
/// network namespace of its own) gives the same hosts fd00:20:0:slot::n:h as well (<see cref="Of6"/>).
/// </summary>
public sealed class LabAddresses
{
    public LabAddresses(int slot)
    {
        if (slot is < 0 or > 15)
        {
            throw new ArgumentOutOfRangeException(nameof(slot), slot, "a lab slot is 0 to 15");
        }

        Slot = slot;
    }

    public int Slot { get; }

    /// <summary>An address that no lab host uses, for data records such as www.good.test.</summary>
    public IPAddress Data(byte host) => Make(15, host);

    /// <summary>The IPv6 twin of <see cref="Data"/>: fd00:20:0:slot::f:h, inside the lab's prefix, used by no host.</summary>
    public IPAddress Data6(byte host) => IPAddress.Parse(FormattableString.Invariant($"fd00:20:0:{Slot:x}::f:{host:x}"));

    public IPAddress Of(LabHost host) => host switch
    {
        LabHost.Root => Make(0, 1),
        LabHost.Resolver => Make(0, 53),
        LabHost.TldNsd => Make(1, 1),
        LabHost.TldKnot => Make(1, 2),
        LabHost.ChildBind => Make(2, 1),
        LabHost.ChildNsd => Make(3, 1),
        LabHost.ChildKnot => Make(4, 1),
        LabHost.RelayNoAa => Make(5, 1),
        LabHost.RelayUdpOnly => Make(5, 2),
        LabHost.RelayEdnsBroken => Make(5, 3),
        LabHost.RelayPoison => Make(5, 4),
        LabHost.RelayEdnsEcho => Make(5, 5),
        LabHost.RelayNoOpt => Make(5, 6),
        LabHost.RelayBadvers => Make(5, 7),
        LabHost.RelayEdnsFlags => Make(5, 8),
        LabHost.RelayTruncating => Make(5, 9),
        LabHost.RelayVersionOption => Make(5, 10),
        LabHost.BlackHole => Make(6, 1),
        LabHost.Closed => Make(6, 2),
        _ => throw new ArgumentOutOfRangeException(nameof(host), host, "unknown lab host"),
    };

    /// <summary>The unique-local /64 of this slot's IPv6 addresses: fd00:20:0:slot::/64.</summary>
    public string Ipv6Prefix => IPNetwork.Parse(FormattableString.Invariant($"fd00:20:0:{Slot:x}::/64")).ToString();

    /// <summary>
    /// The IPv6 address of a host in an IPv6 lab: fd00:20:0:slot::n:h, the same n and h as its
    /// 127.20.(16·slot + n).h (ChildBind, 127.20.2.1 in slot 0, is fd00:20:0:0::2:1).
    /// </summary>
    public IPAddress Of6(LabHost host)
    {
        var v4 = Of(host).GetAddressBytes();
        return IPAddress.Parse(FormattableString.Invariant($"fd00:20:0:{Slot:x}::{v4[2] - (Slot * 16):x}:{v4[3]:x}"));
    }

    private IPAddress Make(int subnet, byte host) => new([127, 20, (byte)((Slot * 16) + subnet), host]);
}
