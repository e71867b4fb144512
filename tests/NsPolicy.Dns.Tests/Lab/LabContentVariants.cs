namespace NsPolicy.Dns.Tests.Lab;

/// <summary>
/// Held-out variants of the zone-content scenarios (signatures on SOA and NS, algorithms, signers,
/// NSEC3 parameters, SOA timers): each a child of test. on the lab's own servers, signed at lab
/// build time with the lab's tools. Keep in step with Lab/README.md.
/// </summary>
internal static class LabContentVariants
{
    /// <summary>The SOA timers of <c>soa-edge-low.test</c>: each exactly at the lower bound the checks accept.</summary>
    public const string LowestTimers = "1200 120 604800 300";

    /// <summary>The SOA timers of <c>soa-edge-high.test</c>: each exactly at the upper bound (retry just below refresh).</summary>
    public const string HighestTimers = "43200 43199 2419200 86400";

    public static IReadOnlyList<LabZoneSpec> Children()
    {
        const LabHost B = LabHost.ChildBind;
        const LabHost N = LabHost.ChildNsd;
        const LabHost K = LabHost.ChildKnot;
        return
        [
            new("soa-sig-expired.test.", "signed (13), DS correct; only the SOA RRSIG expired (2020), NS and DNSKEY signatures fresh",
                [Ns("ns1.soa-sig-expired.test.", B), Ns("ns2.soa-sig-expired.test.", K)], [B, K])
            {
                Signing = LabSigning.EcdsaP256Sha256,
                Ds = LabDs.Matching,
                SignatureEdits = [new("SOA", LabSignatureSource.Expired)],
            },
            new("ns-sig-future.test.", "signed (13), DS correct; the apex NS RRSIG's inception is a day in the future, everything else fresh",
                [Ns("ns1.ns-sig-future.test.", N), Ns("ns2.ns-sig-future.test.", K)], [N, K])
            {
                Signing = LabSigning.EcdsaP256Sha256,
                Ds = LabDs.Matching,
                SignatureEdits = [new("NS", LabSignatureSource.NotYetValid)],
            },
            new("dnskey-sig-expired.test.", "signed (13), DS correct; only the DNSKEY RRset's RRSIG expired (2020), SOA and NS signatures fresh",
                [Ns("ns1.dnskey-sig-expired.test.", B), Ns("ns2.dnskey-sig-expired.test.", N)], [B, N])
            {
                Signing = LabSigning.EcdsaP256Sha256,
                Ds = LabDs.Matching,
                SignatureEdits = [new("DNSKEY", LabSignatureSource.Expired)],
            },
            new("ns-sig-expiring.test.", "signed (13), DS correct; the apex NS RRSIG expires three days after the lab starts, everything else in 30 days",
                [Ns("ns1.ns-sig-expiring.test.", N), Ns("ns2.ns-sig-expiring.test.", K)], [N, K])
            {
                Signing = LabSigning.EcdsaP256Sha256,
                Ds = LabDs.Matching,
                SignatureEdits = [new("NS", LabSignatureSource.ExpiringSoon)],
            },
            new("sig-foreign-key.test.", "signed (13), DS correct; the SOA RRSIG is by a key of the same algorithm that the zone does not publish",
                [Ns("ns1.sig-foreign-key.test.", B), Ns("ns2.sig-foreign-key.test.", N)], [B, N])
            {
                Signing = LabSigning.EcdsaP256Sha256,
                Ds = LabDs.Matching,
                SignatureEdits = [new("SOA", LabSignatureSource.ForeignKey)],
            },
            new("sig-tampered.test.", "signed (13), DS correct; the SOA serial was raised by one after signing, so its RRSIG no longer matches",
                [Ns("ns1.sig-tampered.test.", B), Ns("ns2.sig-tampered.test.", K)], [B, K])
            {
                Signing = LabSigning.EcdsaP256Sha256,
                Ds = LabDs.Matching,
                TamperSoa = true,
            },
            new("sig-extra.test.", "no fault: signed (13), DS correct; beside its good RRSIG the SOA has an expired one and the NS one by an unpublished key (one valid signature suffices)",
                [Ns("ns1.sig-extra.test.", N), Ns("ns2.sig-extra.test.", K)], [N, K])
            {
                Signing = LabSigning.EcdsaP256Sha256,
                Ds = LabDs.Matching,
                SignatureEdits = [new("SOA", LabSignatureSource.Expired, Keep: true), new("NS", LabSignatureSource.ForeignKey, Keep: true)],
            },
            new("split-keys.test.", "no fault: signed (13) with a KSK that signs the DNSKEY RRset only and a ZSK that signs the rest, DS of the KSK at the parent",
                [Ns("ns1.split-keys.test.", B), Ns("ns2.split-keys.test.", K)], [B, K])
            {
                Signing = LabSigning.EcdsaP256Sha256,
                Ds = LabDs.Matching,
                SecondKey = LabSecondKey.ZoneSigningKey,
            },
            new("two-algorithms.test.", "no fault: every RRset signed with algorithm 13 and with algorithm 8 (the middle of an algorithm rollover), DS of the algorithm 13 key only",
                [Ns("ns1.two-algorithms.test.", N), Ns("ns2.two-algorithms.test.", K)], [N, K])
            {
                Signing = LabSigning.EcdsaP256Sha256,
                Ds = LabDs.Matching,
                SecondKey = LabSecondKey.OtherAlgorithm,
            },
            new("ns-ttl-above-sig.test.", "no fault: signed (13), DS correct; the apex NS records are served with TTL 7200, above their RRSIG's original TTL 3600 (validators cap the TTL, RFC 4035 §5.3.3)",
                [Ns("ns1.ns-ttl-above-sig.test.", B), Ns("ns2.ns-ttl-above-sig.test.", N)], [B, N])
            {
                Signing = LabSigning.EcdsaP256Sha256,
                Ds = LabDs.Matching,
                RaiseNsTtl = true,
            },
            new("ed25519.test.", "no fault: signed with algorithm 15 (Ed25519), DS at the parent; BIND, NSD, Knot",
                [Ns("ns1.ed25519.test.", B), Ns("ns2.ed25519.test.", N), Ns("ns3.ed25519.test.", K)], [B, N, K])
            {
                Signing = LabSigning.Ed25519,
                Ds = LabDs.Matching,
            },
            new("ed448-apex-expired.test.", "signed with algorithm 16 (Ed448), DS correct; DNSKEY signatures fresh, every other RRSIG expired in 2020",
                [Ns("ns1.ed448-apex-expired.test.", N), Ns("ns2.ed448-apex-expired.test.", K)], [N, K])
            {
                Signing = LabSigning.Ed448,
                Ds = LabDs.Matching,
                ExpiredExceptDnskey = true,
            },
            new("ldns-signed.test.", "no fault: signed (13, NSEC) by ldns-signzone with the lab's key, DS at the parent",
                [Ns("ns1.ldns-signed.test.", B), Ns("ns2.ldns-signed.test.", N)], [B, N])
            {
                Signing = LabSigning.EcdsaP256Sha256,
                Ds = LabDs.Matching,
                Signer = LabSigner.Tool.Ldns,
            },
            new("knot-signed.test.", "no fault: signed (13, NSEC3 without salt, 0 iterations) by Knot's kzonesign with the lab's key, DS at the parent",
                [Ns("ns1.knot-signed.test.", K), Ns("ns2.knot-signed.test.", B)], [K, B])
            {
                Signing = LabSigning.EcdsaP256Sha256,
                Ds = LabDs.Matching,
                Signer = LabSigner.Tool.Knot,
                Nsec3 = true,
            },
            new("nsec3-salt.test.", "signed (13) with NSEC3, 0 iterations and salt AABBCCDD",
                [Ns("ns1.nsec3-salt.test.", N), Ns("ns2.nsec3-salt.test.", K)], [N, K])
            {
                Signing = LabSigning.EcdsaP256Sha256,
                Ds = LabDs.Matching,
                Nsec3 = true,
                Nsec3Salt = "AABBCCDD",
            },
            new("nsec3-optout.test.", "no fault: signed (13) with NSEC3 opt-out, no salt, 0 iterations (RFC 9276 allows opt-out)",
                [Ns("ns1.nsec3-optout.test.", B), Ns("ns2.nsec3-optout.test.", K)], [B, K])
            {
                Signing = LabSigning.EcdsaP256Sha256,
                Ds = LabDs.Matching,
                Nsec3 = true,
                Nsec3OptOut = true,
            },
            new("nsec3-500.test.", "signed (13) by ldns-signzone with NSEC3, 500 iterations (more than dnssec-signzone allows), no salt",
                [Ns("ns1.nsec3-500.test.", N), Ns("ns2.nsec3-500.test.", K)], [N, K])
            {
                Signing = LabSigning.EcdsaP256Sha256,
                Ds = LabDs.Matching,
                Signer = LabSigner.Tool.Ldns,
                Nsec3 = true,
                Nsec3Iterations = 500,
            },
            new("soa-edge-low.test.", "no fault: SOA timers exactly at the lower bounds (refresh 1200, retry 120, expire 604800, minimum 300)",
                [Ns("ns1.soa-edge-low.test.", B), Ns("ns2.soa-edge-low.test.", N)], [B, N])
            {
                SoaTimers = LowestTimers,
            },
            new("soa-edge-high.test.", "no fault: SOA timers exactly at the upper bounds (refresh 43200, retry 43199, expire 2419200, minimum 86400)",
                [Ns("ns1.soa-edge-high.test.", B), Ns("ns2.soa-edge-high.test.", N)], [B, N])
            {
                SoaTimers = HighestTimers,
            },
            new("soa-timers-differ.test.", "BIND serves SOA timers 300 60 86400 60, NSD 300 60 86400 30 (the same serial): only the minimum differs",
                [Ns("ns1.soa-timers-differ.test.", B), Ns("ns2.soa-timers-differ.test.", N)], [B, N])
            {
                SoaTimersByHost = new Dictionary<LabHost, string> { [B] = "300 60 86400 60", [N] = "300 60 86400 30" },
            },
            new("soa-disorder.test.", "SOA retry 7200 above refresh 3600, expire 3000 below refresh, minimum 86401 (a second above a day)",
                [Ns("ns1.soa-disorder.test.", B), Ns("ns2.soa-disorder.test.", K)], [B, K])
            {
                SoaTimers = "3600 7200 3000 86401",
            },
        ];
    }

    private static LabNs Ns(string name, LabHost glue) => new(name, glue);
}
