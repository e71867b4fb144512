using System.Net;

namespace NsPolicy.Dns.Tests.Lab;

internal enum LabSigning
{
    None,
    EcdsaP256Sha256,
    RsaSha256,
    Ed25519,
    Ed448,
}

internal enum LabDs
{
    /// <summary>No DS at the parent.</summary>
    None,

    /// <summary>DS of the key that signs the zone.</summary>
    Matching,

    /// <summary>DS of a key that the zone does not publish.</summary>
    Unrelated,
}

/// <summary>A name server as the parent delegates to it; glue only for in-bailiwick names.</summary>
internal sealed record LabNs(string Name, LabHost? Glue)
{
    /// <summary>In an IPv6 lab: the host whose IPv6 address is this name's AAAA glue (and the child's AAAA), or null for none.</summary>
    public LabHost? Glue6 { get; init; }
}

/// <summary>One zone below <c>test.</c> (a child, or a grandchild when <see cref="Parent"/> says so) and the fault it carries.</summary>
internal sealed record LabZoneSpec(string Name, string Scenario, IReadOnlyList<LabNs> Delegation, IReadOnlyList<LabHost> ServedBy)
{
    /// <summary>The zone that delegates this one: <c>test.</c>, or another zone of the catalogue (unsigned, no DS then).</summary>
    public string Parent { get; init; } = "test.";

    /// <summary>The child's apex NS set; null: the same names as the delegation.</summary>
    public IReadOnlyList<string>? ApexNs { get; init; }

    /// <summary>The child's own address records for name servers that differ from or add to the glue.</summary>
    public IReadOnlyDictionary<string, LabHost> ChildAddresses { get; init; } = new Dictionary<string, LabHost>();

    public LabSigning Signing { get; init; }

    public LabDs Ds { get; init; }

    public bool ExpiredSignatures { get; init; }

    /// <summary>Every signature expired in 2020 except those over the DNSKEY RRset, which are fresh.</summary>
    public bool ExpiredExceptDnskey { get; init; }

    /// <summary>NSEC3 salt when <see cref="Nsec3"/>: hexadecimal, or "-" for none.</summary>
    public string Nsec3Salt { get; init; } = LabCatalogue.Nsec3Salt;

    /// <summary>NSEC3 hash iterations when <see cref="Nsec3"/>.</summary>
    public int Nsec3Iterations { get; init; }

    /// <summary>SOA refresh, retry, expire and minimum, in master-file form.</summary>
    public string SoaTimers { get; init; } = "3600 900 1209600 300";

    /// <summary>Sign with NSEC3 (RFC 5155: SHA-1, no opt-out, <see cref="LabCatalogue.Nsec3Salt"/>) instead of NSEC.</summary>
    public bool Nsec3 { get; init; }

    /// <summary>Publish CDS and CDNSKEY (RFC 7344) of the signing key at the apex.</summary>
    public bool PublishCds { get; init; }

    /// <summary>BIND allows AXFR of this zone to anyone.</summary>
    public bool TransferOpen { get; init; }

    /// <summary>SOA serial per serving host, when the hosts are to disagree.</summary>
    public IReadOnlyDictionary<LabHost, uint> SerialByHost { get; init; } = new Dictionary<LabHost, uint>();

    /// <summary>SOA timers per serving host (master-file form), when the hosts are to disagree; the others serve <see cref="SoaTimers"/>.</summary>
    public IReadOnlyDictionary<LabHost, string> SoaTimersByHost { get; init; } = new Dictionary<LabHost, string>();

    /// <summary>Sign with a copy of this other zone's key (the same key material under this zone's name) instead of a key of its own.</summary>
    public string? SharesKeyOf { get; init; }

    /// <summary>Further records, one master-file line each, with absolute names.</summary>
    public IReadOnlyList<string> ExtraRecords { get; init; } = [];

    /// <summary>TTL of the apex NS records in the child zone.</summary>
    public uint NsTtl { get; init; } = 3600;

    /// <summary>The tool that signs the zone: BIND's dnssec-signzone, ldns-signzone or Knot's kzonesign (all with the lab's key).</summary>
    public LabSigner.Tool Signer { get; init; }

    /// <summary>NSEC3 with the opt-out flag (RFC 5155 §6).</summary>
    public bool Nsec3OptOut { get; init; }

    /// <summary>After signing, RRSIGs over some types replaced or joined by others (expired, not yet valid, by a key the zone does not publish).</summary>
    public IReadOnlyList<LabSignatureEdit> SignatureEdits { get; init; } = [];

    /// <summary>After signing, the SOA serial is changed, so the SOA RRSIG no longer matches its data.</summary>
    public bool TamperSoa { get; init; }

    /// <summary>After signing, the apex NS records' TTL is doubled, above the original TTL their RRSIG states.</summary>
    public bool RaiseNsTtl { get; init; }

    /// <summary>A second key beside the zone's own: a zone-signing key, or a key of another algorithm (no DS for it).</summary>
    public LabSecondKey SecondKey { get; init; }

    public IReadOnlyList<string> ApexNames => ApexNs ?? Delegation.Select(n => n.Name).ToList();
}

/// <summary>The scenario zones of the lab. Keep in step with Lab/README.md.</summary>
internal static class LabCatalogue
{
    public const uint DefaultSerial = 2025010101;

    /// <summary>How many nameserver names many-ns.test is delegated to: more than a run asks (32).</summary>
    public const int ManyNs = 40;

    /// <summary>How many nameserver names one run asks per zone (LiveOptions.MaxNameserversPerZone).</summary>
    public const int MaxNameservers = 32;

    public const string LongLabel = "a-long-label-so-that-the-referral-does-not-fit-in-512-bytes";

    /// <summary>The NSEC3 salt of zones signed with NSEC3: none ("-"), as RFC 9276 §3.1 advises.</summary>
    public const string Nsec3Salt = "-";

    /// <summary>
    /// The out-of-bailiwick name <see cref="LabHost.RelayPoison"/> hands out an address for, with
    /// every referral from oob-parent.test: a nameserver of glue-poisoned.oob-parent.test whose real
    /// address is in provider.test (Knot).
    /// </summary>
    public const string PoisonedGlue = "ns2.provider.test.";

    /// <summary>The address the poisoned record gives <see cref="PoisonedGlue"/>: nothing listens there, so a query would show.</summary>
    public static IPAddress PoisonAddress(LabAddresses addresses) => addresses.Data(99);

    /// <summary>
    /// The poisoned name's IPv6 address: inside the lab's IPv6 prefix, so an IPv6 run's guard would let
    /// a query to it through; nothing listens there.
    /// </summary>
    public static IPAddress PoisonAddress6(LabAddresses addresses) => addresses.Data6(99);

    /// <summary>A name in another TLD that <see cref="LabHost.RelayPoison"/> also hands out an address for.</summary>
    public const string PoisonedForeign = "ns1.elsewhere.";

    /// <summary>
    /// What <see cref="LabHost.RelayPoison"/> adds to its referrals, by the zone asked about: for
    /// glue-poisoned.oob-parent.test an A record for <see cref="PoisonedGlue"/>; for
    /// poison-variants.oob-parent.test only an AAAA record for it, written in mixed case, an A record
    /// for a name in another TLD that the delegation does not name, and the real glue of its ns1
    /// again in upper case.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<(string Name, IPAddress Address)>> PoisonRecords(LabAddresses addresses) =>
        new Dictionary<string, IReadOnlyList<(string Name, IPAddress Address)>>(StringComparer.Ordinal)
        {
            ["glue-poisoned.oob-parent.test."] = [(PoisonedGlue, PoisonAddress(addresses))],
            ["poison-variants.oob-parent.test."] =
            [
                ("NS2.Provider.TEST.", PoisonAddress6(addresses)),
                (PoisonedForeign, addresses.Data(98)),
                ("NS1.POISON-VARIANTS.OOB-PARENT.TEST.", addresses.Of(LabHost.ChildNsd)),
            ],
        };

    /// <summary>TXT records of about 130 bytes each in axfr-open.test., so its transfer spans several messages.</summary>
    public const int TransferRecords = 600;

    /// <summary>The type number of the record that no server or client knows (RFC 3597 form).</summary>
    public const int UnknownType = 65432;

    public static IReadOnlyList<LabZoneSpec> Children(LabAddresses addresses)
    {
        const LabHost B = LabHost.ChildBind;
        const LabHost N = LabHost.ChildNsd;
        const LabHost K = LabHost.ChildKnot;
        LabHost[] rotation = [B, N, K];
        var manyNames = Enumerable.Range(1, ManyNs)
            .Select(i => new LabNs(FormattableString.Invariant($"n{i:D2}.provider.test."), null))
            .ToList();
        var bigDelegation = Enumerable.Range(1, 13)
            .Select(i => new LabNs(FormattableString.Invariant($"ns{i:D2}.{LongLabel}.big-referral.test."), rotation[i % 3]))
            .ToList();

        return
        [
            new("good.test.", "correct delegation, three servers (BIND, NSD, Knot), signed with algorithm 13, DS at the parent",
                [Ns("ns1.good.test.", B), Ns("ns2.good.test.", N), Ns("ns3.good.test.", K)], [B, N, K])
            {
                Signing = LabSigning.EcdsaP256Sha256,
                Ds = LabDs.Matching,
                ExtraRecords = ["www.good.test. 3600 IN A " + addresses.Data(80)],
            },
            new("alg8.test.", "correct delegation signed with algorithm 8 (RSASHA256), DS at the parent",
                [Ns("ns1.alg8.test.", B), Ns("ns2.alg8.test.", K)], [B, K])
            {
                Signing = LabSigning.RsaSha256,
                Ds = LabDs.Matching,
                ExtraRecords = ["www.alg8.test. 3600 IN A " + addresses.Data(81)],
            },
            new("provider.test.", "correct unsigned zone of a hosting provider; alias.provider.test is a CNAME to ns1.provider.test; n01 … n40 are the names of many-ns.test",
                [Ns("ns1.provider.test.", N), Ns("ns2.provider.test.", K)], [N, K])
            {
                ExtraRecords = ["alias.provider.test. 3600 IN CNAME ns1.provider.test.",
                    "alias2.provider.test. 3600 IN CNAME alias.provider.test.",
                    "gone.provider.test. 3600 IN CNAME ns1.gone-provider.test.",
                    .. Enumerable.Range(1, ManyNs).Select(i => FormattableString.Invariant($"n{i:D2}.provider.test. 3600 IN A {addresses.Of(i % 2 == 0 ? N : K)}"))],
            },
            new("no-ds.test.", "zone signed (algorithm 13) but the parent has no DS",
                [Ns("ns1.no-ds.test.", N), Ns("ns2.no-ds.test.", K)], [N, K])
            {
                Signing = LabSigning.EcdsaP256Sha256,
                Ds = LabDs.None,
            },
            new("ds-mismatch.test.", "DS at the parent matches no DNSKEY of the (signed) zone",
                [Ns("ns1.ds-mismatch.test.", K), Ns("ns2.ds-mismatch.test.", N)], [K, N])
            {
                Signing = LabSigning.EcdsaP256Sha256,
                Ds = LabDs.Unrelated,
            },
            new("unsigned-with-ds.test.", "DS at the parent but the zone is not signed",
                [Ns("ns1.unsigned-with-ds.test.", B), Ns("ns2.unsigned-with-ds.test.", N)], [B, N])
            {
                Ds = LabDs.Unrelated,
            },
            new("expired-sig.test.", "signed (algorithm 13), DS correct, every RRSIG expired in 2020",
                [Ns("ns1.expired-sig.test.", B), Ns("ns2.expired-sig.test.", K)], [B, K])
            {
                Signing = LabSigning.EcdsaP256Sha256,
                Ds = LabDs.Matching,
                ExpiredSignatures = true,
            },
            new("lame.test.", "ns2 (NSD) does not serve the zone and answers REFUSED",
                [Ns("ns1.lame.test.", B), Ns("ns2.lame.test.", N)], [B]),
            new("noaa.test.", "ns2 is a relay to NSD that clears the AA bit (UDP and TCP)",
                [Ns("ns1.noaa.test.", N), Ns("ns2.noaa.test.", LabHost.RelayNoAa)], [N]),
            new("glue-stale.test.", "parent glue of ns2 is the NSD address, the child says ns2 is the Knot address; all three serve the zone",
                [Ns("ns1.glue-stale.test.", B), Ns("ns2.glue-stale.test.", N)], [B, N, K])
            {
                ChildAddresses = new Dictionary<string, LabHost> { ["ns2.glue-stale.test."] = K },
            },
            new("ns-mismatch.test.", "parent delegates to ns1+ns2, the child's apex NS is ns1+ns3",
                [Ns("ns1.ns-mismatch.test.", B), Ns("ns2.ns-mismatch.test.", N)], [B, N, K])
            {
                ApexNs = ["ns1.ns-mismatch.test.", "ns3.ns-mismatch.test."],
                ChildAddresses = new Dictionary<string, LabHost> { ["ns3.ns-mismatch.test."] = K },
            },
            new("serial-skew.test.", "BIND serves SOA serial 2025010101, NSD serves 2025010105",
                [Ns("ns1.serial-skew.test.", B), Ns("ns2.serial-skew.test.", N)], [B, N])
            {
                SerialByHost = new Dictionary<LabHost, uint> { [B] = DefaultSerial, [N] = DefaultSerial + 4 },
            },
            new("dangling.test.", "ns1.gone-provider.test is delegated to, but gone-provider.test does not exist (NXDOMAIN)",
                [Ns("ns1.dangling.test.", B), new LabNs("ns1.gone-provider.test.", null)], [B]),
            new("cname-ns.test.", "NS alias.provider.test is a CNAME (to ns1.provider.test)",
                [new LabNs("ns2.provider.test.", null), new LabNs("alias.provider.test.", null)], [N, K]),
            new("axfr-open.test.", "BIND (ns1) allows AXFR to anyone; NSD (ns2) refuses it",
                [Ns("ns1.axfr-open.test.", B), Ns("ns2.axfr-open.test.", N)], [B, N])
            {
                TransferOpen = true,
                // More than BIND puts in one transfer message (about 20 KB): the transfer takes several.
                ExtraRecords = [.. Enumerable.Range(1, TransferRecords).Select(i => FormattableString.Invariant($"r{i:D3}.axfr-open.test. 3600 IN TXT \"{new string('x', 100)}\""))],
            },
            new("tcp-broken.test.", "ns2 is a UDP-only relay to NSD: TCP connections are refused",
                [Ns("ns1.tcp-broken.test.", N), Ns("ns2.tcp-broken.test.", LabHost.RelayUdpOnly)], [N]),
            new("timeout.test.", "ns2's address takes UDP and TCP but never answers",
                [Ns("ns1.timeout.test.", B), Ns("ns2.timeout.test.", LabHost.BlackHole)], [B]),
            new("port-closed.test.", "nothing listens at ns2's address (ICMP port unreachable / TCP reset)",
                [Ns("ns1.port-closed.test.", B), Ns("ns2.port-closed.test.", LabHost.Closed)], [B]),
            new("big-referral.test.", "13 in-bailiwick name servers with long names: the referral needs more than 512 bytes",
                bigDelegation, [B, N, K]),
            new("types.test.", "no fault: one record of every type the engine reads, signed with NSEC3, CDS and CDNSKEY published",
                [Ns("ns1.types.test.", B), Ns("ns2.types.test.", N), Ns("ns3.types.test.", K)], [B, N, K])
            {
                Signing = LabSigning.EcdsaP256Sha256,
                Ds = LabDs.Matching,
                Nsec3 = true,
                PublishCds = true,
                ExtraRecords = TypesRecords(addresses),
            },
            new("short-ns-ttl.test.", "the apex NS records have TTL 300, below the usual 3600",
                [Ns("ns1.short-ns-ttl.test.", B), Ns("ns2.short-ns-ttl.test.", N)], [B, N])
            {
                NsTtl = 300,
            },
            new("single-ns.test.", "delegated to one nameserver only (BIND)",
                [Ns("ns1.single-ns.test.", B)], [B]),
            new("cohosted.test.", "no fault: ns1 is a.nic.test's NSD, which serves test. too, so it answers for the child itself; signed (13), DS at the parent",
                [Ns("ns1.cohosted.test.", LabHost.TldNsd), Ns("ns2.cohosted.test.", K)], [LabHost.TldNsd, K])
            {
                Signing = LabSigning.EcdsaP256Sha256,
                Ds = LabDs.Matching,
            },
            new("soa-timers.test.", "SOA timers outside RFC 1912 §2.2: refresh 300, retry 60, expire 86400, minimum 30",
                [Ns("ns1.soa-timers.test.", B), Ns("ns2.soa-timers.test.", N)], [B, N])
            {
                SoaTimers = "300 60 86400 30",
            },
            new("expired-apex-sig.test.", "signed (13), DS correct; the DNSKEY RRset's signatures are fresh, every other RRSIG (SOA, NS, NSEC) expired in 2020",
                [Ns("ns1.expired-apex-sig.test.", B), Ns("ns2.expired-apex-sig.test.", K)], [B, K])
            {
                Signing = LabSigning.EcdsaP256Sha256,
                Ds = LabDs.Matching,
                ExpiredExceptDnskey = true,
            },
            new("nsec3-iterations.test.", "signed (13) with NSEC3, 150 iterations, no salt; DS at the parent",
                [Ns("ns1.nsec3-iterations.test.", N), Ns("ns2.nsec3-iterations.test.", K)], [N, K])
            {
                Signing = LabSigning.EcdsaP256Sha256,
                Ds = LabDs.Matching,
                Nsec3 = true,
                Nsec3Salt = "-",
                Nsec3Iterations = 150,
            },
            new("open-recursion.test.", "ns2 is the lab's Unbound, which serves the zone (auth-zone) and resolves for anyone",
                [Ns("ns1.open-recursion.test.", B), Ns("ns2.open-recursion.test.", LabHost.Resolver)], [B, LabHost.Resolver]),
            new("edns-broken.test.", "ns2 is a relay to NSD that passes EDNS version 1 on as version 0 and answers FORMERR to any EDNS option (UDP)",
                [Ns("ns1.edns-broken.test.", N), Ns("ns2.edns-broken.test.", LabHost.RelayEdnsBroken)], [N]),
            new("edns-echo.test.", "ns2 is a relay to NSD that copies the EDNS options of each query into its answer (UDP and TCP)",
                [Ns("ns1.edns-echo.test.", N), Ns("ns2.edns-echo.test.", LabHost.RelayEdnsEcho)], [N]),
            new("edns-no-opt.test.", "ns2 is a relay to NSD that takes the OPT record out of every answer (UDP and TCP), as a middlebox that does not know EDNS does",
                [Ns("ns1.edns-no-opt.test.", N), Ns("ns2.edns-no-opt.test.", LabHost.RelayNoOpt)], [N]),
            new("edns-badvers.test.", "ns2 is a relay to NSD that puts the query's EDNS version (1) in the OPT record of BADVERS answers instead of 0 (UDP and TCP)",
                [Ns("ns1.edns-badvers.test.", N), Ns("ns2.edns-badvers.test.", LabHost.RelayBadvers)], [N]),
            new("edns-flags.test.", "ns2 is a relay to NSD that copies the query's undefined EDNS flag bits into its answer (UDP and TCP)",
                [Ns("ns1.edns-flags.test.", N), Ns("ns2.edns-flags.test.", LabHost.RelayEdnsFlags)], [N]),
            new("edns-truncated.test.", "ns2 is a relay to NSD that answers UDP queries offering 512 octets itself: truncated (TC), no records, no OPT record",
                [Ns("ns1.edns-truncated.test.", N), Ns("ns2.edns-truncated.test.", LabHost.RelayTruncating)], [N]),
            new("edns-version-option.test.", "ns2 is a relay to NSD that passes a UDP query with EDNS version 1 and an option on as version 0 (either alone is relayed as it is)",
                [Ns("ns1.edns-version-option.test.", N), Ns("ns2.edns-version-option.test.", LabHost.RelayVersionOption)], [N]),
            new("many-ns.test.", "delegated to 40 names n01 … n40.provider.test (no glue; NSD and Knot serve it): more than a run asks",
                manyNames, [N, K]),
            new("oob-parent.test.", "no fault of its own: the parent of glue-poisoned.oob-parent.test; ns1 is a relay to BIND that poisons referrals, ns2 is BIND",
                [Ns("ns1.oob-parent.test.", LabHost.RelayPoison), Ns("ns2.oob-parent.test.", B)], [B]),
            // Held-out variants of the delegation scenarios (other servers, other shapes).
            new("cohosted-knot.test.", "no fault: ns1 is b.nic.test's Knot, which serves test. too, so it answers for the child itself; signed (13), DS at the parent",
                [Ns("ns1.cohosted-knot.test.", LabHost.TldKnot), Ns("ns2.cohosted-knot.test.", N)], [LabHost.TldKnot, N])
            {
                Signing = LabSigning.EcdsaP256Sha256,
                Ds = LabDs.Matching,
            },
            new("cohosted-unsigned.test.", "no fault: unsigned, no DS; ns1 is a.nic.test's NSD, which serves test. too",
                [Ns("ns1.cohosted-unsigned.test.", LabHost.TldNsd), Ns("ns2.cohosted-unsigned.test.", B)], [LabHost.TldNsd, B]),
            new("cohosted-all.test.", "no fault: both servers of test. (NSD and Knot) serve the child too, so no server of the parent refers; signed (13), DS at the parent",
                [Ns("ns1.cohosted-all.test.", LabHost.TldNsd), Ns("ns2.cohosted-all.test.", LabHost.TldKnot)], [LabHost.TldNsd, LabHost.TldKnot])
            {
                Signing = LabSigning.EcdsaP256Sha256,
                Ds = LabDs.Matching,
            },
            new("cohosted-ns-mismatch.test.", "a.nic.test's NSD serves test. and the child; the parent delegates to ns1+ns2, the child's apex NS is ns1+ns3 (ns3 = Knot)",
                [Ns("ns1.cohosted-ns-mismatch.test.", LabHost.TldNsd), Ns("ns2.cohosted-ns-mismatch.test.", B)], [LabHost.TldNsd, B, K])
            {
                ApexNs = ["ns1.cohosted-ns-mismatch.test.", "ns3.cohosted-ns-mismatch.test."],
                ChildAddresses = new Dictionary<string, LabHost> { ["ns3.cohosted-ns-mismatch.test."] = K },
            },
            new("mid.test.", "no fault: a.nic.test's NSD serves test., mid.test. and leaf.mid.test. (grandparent, parent and child in one server); ns2 is BIND",
                [Ns("ns1.mid.test.", LabHost.TldNsd), Ns("ns2.mid.test.", B)], [LabHost.TldNsd, B]),
            new("leaf.mid.test.", "no fault: delegated by mid.test.; ns1 is a.nic.test's NSD, which serves its grandparent and parent too; ns2 is Knot",
                [Ns("ns1.leaf.mid.test.", LabHost.TldNsd), Ns("ns2.leaf.mid.test.", K)], [LabHost.TldNsd, K])
            {
                Parent = "mid.test.",
            },
            new("ns-at-bound.test.", "delegated to exactly as many names as a run asks (32): n01 … n32.provider.test, no glue",
                [.. manyNames.Take(MaxNameservers)], [N, K]),
            new("ns-over-bound.test.", "delegated to one name more than a run asks (33): n01 … n33.provider.test, no glue",
                [.. manyNames.Take(MaxNameservers + 1)], [N, K]),
            new("ns-nxname.test.", "ns3.provider.test does not exist (NXDOMAIN) in provider.test, which does; ns1 (BIND) and ns2 (NSD) are fine",
                [Ns("ns1.ns-nxname.test.", B), Ns("ns2.ns-nxname.test.", N), new LabNs("ns3.provider.test.", null)], [B, N]),
            new("mixed-case.test.", "no fault: the parent writes the names NS1.Mixed-Case.TEST and Ns2.MIXED-case.test (glue too), the child writes them in lower case",
                [Ns("NS1.Mixed-Case.TEST.", B), Ns("Ns2.MIXED-case.test.", N)], [B, N])
            {
                ApexNs = ["ns1.mixed-case.test.", "ns2.mixed-case.test."],
                ChildAddresses = new Dictionary<string, LabHost> { ["ns1.mixed-case.test."] = B, ["ns2.mixed-case.test."] = N },
            },
            new("deep.ent.test.", "no fault: delegated by test. although ent.test. is no zone (an empty non-terminal), so its parent is two labels up; ns1 (BIND), ns2 (Knot)",
                [Ns("ns1.deep.ent.test.", B), Ns("ns2.deep.ent.test.", K)], [B, K]),
            new("xn--bcher-kva.test.", "no fault: an IDN zone (bücher.test) with IDN nameserver names ns1.xn--bcher-kva.test (NSD) and ns2.xn--mnchen-3ya.xn--bcher-kva.test (Knot)",
                [Ns("ns1.xn--bcher-kva.test.", N), Ns("ns2.xn--mnchen-3ya.xn--bcher-kva.test.", K)], [N, K]),
            new("lame-parent.test.", "ns2 (NSD) does not serve the zone and answers REFUSED, as lame.test; it delegates kid.lame-parent.test.",
                [Ns("ns1.lame-parent.test.", B), Ns("ns2.lame-parent.test.", N)], [B]),
            new("kid.lame-parent.test.", "no fault of its own: delegated by lame-parent.test., one of whose two servers (NSD) answers REFUSED instead of the referral; ns1 is Knot, ns2 a.nic.test's NSD",
                [Ns("ns1.kid.lame-parent.test.", K), Ns("ns2.kid.lame-parent.test.", LabHost.TldNsd)], [K, LabHost.TldNsd])
            {
                Parent = "lame-parent.test.",
            },
            new("cycle-a.test.", "ns1 and ns2 are names in cycle-b.test., whose own nameservers are names in cycle-a.test.; no glue anywhere, so neither zone's nameservers can be found (a cyclic glueless delegation)",
                [new LabNs("ns1.cycle-b.test.", null), new LabNs("ns2.cycle-b.test.", null)], [B, N])
            {
                ExtraRecords = ["ns1.cycle-a.test. 3600 IN A " + addresses.Of(K), "ns2.cycle-a.test. 3600 IN A " + addresses.Of(N)],
            },
            new("cycle-b.test.", "the other half of cycle-a.test.: ns1 and ns2 are names in cycle-a.test., no glue",
                [new LabNs("ns1.cycle-a.test.", null), new LabNs("ns2.cycle-a.test.", null)], [K, N])
            {
                ExtraRecords = ["ns1.cycle-b.test. 3600 IN A " + addresses.Of(B), "ns2.cycle-b.test. 3600 IN A " + addresses.Of(N)],
            },
            new("cname-chain.test.", "NS alias2.provider.test is a CNAME to alias.provider.test, itself a CNAME to ns1.provider.test; ns1 (BIND) is fine",
                [Ns("ns1.cname-chain.test.", B), new LabNs("alias2.provider.test.", null)], [B, N]),
            new("cname-dangling.test.", "NS gone.provider.test is a CNAME to ns1.gone-provider.test, whose domain does not exist; ns1 (BIND) is fine",
                [Ns("ns1.cname-dangling.test.", B), new LabNs("gone.provider.test.", null)], [B]),
            new("cohosted-bind.oob-parent.test.", "no fault: unsigned; BIND serves its parent oob-parent.test. and the zone, so oob-parent.test.'s servers (BIND, and the relay to it) answer for it themselves; ns1 is BIND, ns2 Knot",
                [Ns("ns1.cohosted-bind.oob-parent.test.", B), Ns("ns2.cohosted-bind.oob-parent.test.", K)], [B, K])
            {
                Parent = "oob-parent.test.",
            },
            new("poison-variants.oob-parent.test.", "ns1 (NSD, glue) and ns2.provider.test (Knot); oob-parent.test's ns1 adds to its referral an AAAA record for NS2.Provider.TEST (mixed case, no A), an A record for ns1.elsewhere. (another TLD, not a nameserver of the zone), and ns1's real glue again in upper case",
                [Ns("ns1.poison-variants.oob-parent.test.", N), new LabNs(PoisonedGlue, null)], [N, K])
            {
                Parent = "oob-parent.test.",
            },
            new("glue-poisoned.oob-parent.test.", "ns1 (NSD, glue) and ns2.provider.test (Knot); oob-parent.test's ns1 adds an address for ns2.provider.test, a name outside its authority, to the referral",
                [Ns("ns1.glue-poisoned.oob-parent.test.", N), new LabNs(PoisonedGlue, null)], [N, K])
            {
                Parent = "oob-parent.test.",
            },
        ];
    }

    private static LabNs Ns(string name, LabHost glue) => new(name, glue);

    /// <summary>
    /// The zones an IPv6 lab adds (<see cref="DnsLabOptions.Ipv6"/>): each name server has A and
    /// AAAA glue, and the fault, if any, shows only over IPv6.
    /// </summary>
    public static IReadOnlyList<LabZoneSpec> Ipv6Children()
    {
        const LabHost B = LabHost.ChildBind;
        const LabHost N = LabHost.ChildNsd;
        const LabHost K = LabHost.ChildKnot;
        return
        [
            new("dual-stack.test.", "no fault: three servers (BIND, NSD, Knot), each with A and AAAA glue and answering on both; signed (13), DS at the parent",
                [Dual("ns1.dual-stack.test.", B, B), Dual("ns2.dual-stack.test.", N, N), Dual("ns3.dual-stack.test.", K, K)], [B, N, K])
            {
                Signing = LabSigning.EcdsaP256Sha256,
                Ds = LabDs.Matching,
            },
            new("lame-v6.test.", "ns2's A is NSD, which serves the zone; its AAAA is Knot's IPv6 address, and Knot does not serve it (REFUSED over IPv6 only)",
                [Dual("ns1.lame-v6.test.", B, B), Dual("ns2.lame-v6.test.", N, K)], [B, N]),
            new("unreachable-v6.test.", "ns2's A is NSD, which serves the zone; nothing listens at its AAAA (ICMPv6 port unreachable, TCP reset: unreachable over IPv6 only)",
                [Dual("ns1.unreachable-v6.test.", B, B), Dual("ns2.unreachable-v6.test.", N, LabHost.Closed)], [B, N]),
            new("v6-only-ns.test.", "no fault: ns1 (BIND) has A and AAAA; ns2 (NSD) has only an AAAA address, as IPv6-only servers do",
                [Dual("ns1.v6-only-ns.test.", B, B), new LabNs("ns2.v6-only-ns.test.", null) { Glue6 = N }], [B, N]),
            new("serial-v6.test.", "ns2's A is NSD, its AAAA is Knot; Knot serves an older copy (serial 4 lower), so the serial differs over IPv6 only",
                [Dual("ns1.serial-v6.test.", B, B), Dual("ns2.serial-v6.test.", N, K)], [B, N, K])
            {
                SerialByHost = new Dictionary<LabHost, uint> { [B] = DefaultSerial + 4, [N] = DefaultSerial + 4, [K] = DefaultSerial },
            },
        ];
    }

    private static LabNs Dual(string name, LabHost glue, LabHost glue6) => new(name, glue) { Glue6 = glue6 };

    /// <summary>
    /// The records of types.test. besides SOA, NS, the name servers' A records and what signing adds
    /// (DNSKEY, RRSIG, NSEC3, NSEC3PARAM, CDS, CDNSKEY). sub.types.test is delegated so that
    /// types.test holds a DS; its name server is never asked.
    /// </summary>
    private static string[] TypesRecords(LabAddresses addresses) =>
    [
        "www.types.test. 3600 IN A " + addresses.Data(82),
        "www.types.test. 3600 IN AAAA 2001:db8::82",
        "alias.types.test. 3600 IN CNAME www.types.test.",
        "ptr.types.test. 3600 IN PTR www.types.test.",
        "types.test. 3600 IN MX 10 mail.types.test.",
        "types.test. 3600 IN MX 20 mail2.types.test.",
        "txt.types.test. 3600 IN TXT \"hello world\" \"quote \\\" backslash \\\\ semicolon ;\" \"\\240\\001\" \"\"",
        "_sip._tcp.types.test. 3600 IN SRV 10 20 5060 sip.types.test.",
        "types.test. 3600 IN CAA 0 issue \"ca.example.net\"",
        "types.test. 3600 IN CAA 128 iodef \"mailto:security@types.test\"",
        "sub.types.test. 3600 IN NS ns1.elsewhere.test.",
        "sub.types.test. 3600 IN DS 12345 13 2 1F987CC6583E92DF0890718C42C5F2F5E7C1B7FB5D1DAEE1A4CF7D87A20F2B62",
        "_443._tcp.www.types.test. 3600 IN TLSA 3 1 1 1F987CC6583E92DF0890718C42C5F2F5E7C1B7FB5D1DAEE1A4CF7D87A20F2B62",
        FormattableString.Invariant($"unknown.types.test. 3600 IN TYPE{UnknownType} \\# 4 0A000001"),
    ];
}
