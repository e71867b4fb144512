// Facts derived from one zone's evidence that several live checks share: the parent's NS set,
// glue and DS, the child's apex NS set and DNSKEYs, and where in the policy each expectation is.
using System.Globalization;
using System.Net;
using NsPolicy.Core.Evidence;
using NsPolicy.Core.Findings;
using NsPolicy.Core.Policy;
using NsPolicy.Dns;
using NsPolicy.Dns.Records;

namespace NsPolicy.Core.Checks;

/// <summary>One zone's policy and evidence, with the facts the live checks derive from them.</summary>
public sealed class LiveZone
{
    private readonly LiveCheckContext context;

    internal LiveZone(LiveCheckContext context, ZonePolicy policy, ZoneEvidence evidence)
    {
        this.context = context;
        Policy = policy;
        Evidence = evidence;
        Name = policy.Zone;
        Referrals = evidence.Parent.Referrals;
        ParentNs = evidence.Parent.Nameservers;
        ParentGlue = evidence.Parent.Glue;
        OutOfBailiwickGlue = evidence.Parent.OutOfBailiwickGlue;
        ParentDs = evidence.Parent.Ds;
        Servers = [.. evidence.Nameservers.SelectMany(n => n.Servers.Select(s => (n, s)))];
        ChildNs = evidence.ChildNs;
        PolicyNs = Names(policy.Nameservers.Select(n => n.Name));
        DnskeyAnswers = [.. Servers.Where(x => x.Server.Dnskey.IsAuthoritativeAnswer)];
        Dnskeys = [.. DnskeyAnswers.SelectMany(x => x.Server.Dnskey.Answer)
            .Where(r => r.Owner == policy.Zone && r.Data is DnskeyRData)
            .Select(r => (DnskeyRData)r.Data)
            .Distinct()];
    }

    public ZonePolicy Policy { get; }

    public ZoneEvidence Evidence { get; }

    /// <summary>The zone's canonical name, as findings carry it.</summary>
    public DnsName Name { get; }

    /// <summary>Parent servers whose answer is a delegation of the zone (NS records for it).</summary>
    public IReadOnlyList<ParentServerEvidence> Referrals { get; }

    /// <summary>The union of the NS names the parent's servers delegate to, sorted.</summary>
    public IReadOnlyList<DnsName> ParentNs { get; }

    /// <summary>Glue addresses in the parent's referrals for names inside the parent's authority, per owner name.</summary>
    public IReadOnlyDictionary<DnsName, IReadOnlyList<IPAddress>> ParentGlue { get; }

    /// <summary>Addresses in the parent's referrals for names outside the parent's authority, per owner name.</summary>
    public IReadOnlyDictionary<DnsName, IReadOnlyList<IPAddress>> OutOfBailiwickGlue { get; }

    /// <summary>The DS records in the parent's referrals.</summary>
    public IReadOnlyList<DsRData> ParentDs { get; }

    /// <summary>Every (nameserver, address) that was asked.</summary>
    public IReadOnlyList<(NameserverEvidence Nameserver, ServerEvidence Server)> Servers { get; }

    /// <summary>The union of the apex NS names in authoritative answers, sorted.</summary>
    public IReadOnlyList<DnsName> ChildNs { get; }

    public IReadOnlyList<DnsName> PolicyNs { get; }

    /// <summary>Servers that answered the DNSKEY query authoritatively with NOERROR (with or without keys).</summary>
    public IReadOnlyList<(NameserverEvidence Nameserver, ServerEvidence Server)> DnskeyAnswers { get; }

    /// <summary>The union of the DNSKEY records those servers gave.</summary>
    public IReadOnlyList<DnskeyRData> Dnskeys { get; }

    /// <summary>The target is the parent and none of its servers answered (or none was found): little else can be judged.</summary>
    public bool ParentUnreachable => context.TargetIsParent && !Evidence.Parent.Servers.Any(s => s.Referral.IsAnswer);

    /// <summary>The nameservers the zone is delegated to: the parent's NS set when the target is the parent and it has one, else the policy's.</summary>
    public IReadOnlyList<DnsName> DelegationNs => context.TargetIsParent && ParentNs.Count > 0 ? ParentNs : PolicyNs;

    /// <summary>The glue that applies: the parent's, or the policy's when the target is the policy.</summary>
    public IReadOnlyDictionary<DnsName, IReadOnlyList<IPAddress>> Glue => context.TargetIsParent
        ? ParentGlue
        : Policy.Glue.GroupBy(g => g.Nameserver).ToDictionary(g => g.Key, g => Addresses(g.SelectMany(e => e.Addresses).Select(a => a.Value)));

    public SourceLocation ZoneLocation => context.At(Policy.Position);

    /// <summary>Where the nameserver list is written (its first entry), or the zone entry.</summary>
    public SourceLocation NameserversLocation => Policy.Nameservers.Count > 0 ? context.At(Policy.Nameservers[0].Position) : ZoneLocation;

    /// <summary>Where the policy names <paramref name="nameserver"/>, or the zone entry.</summary>
    public SourceLocation NameserverLocation(DnsName nameserver) =>
        Policy.Nameservers.FirstOrDefault(n => n.Name == nameserver) is { } entry ? context.At(entry.Position) : ZoneLocation;

    /// <summary>Where the policy gives glue for <paramref name="nameserver"/>, else where it names it, else the zone entry.</summary>
    public SourceLocation GlueLocation(DnsName nameserver) =>
        Policy.Glue.FirstOrDefault(g => g.Nameserver == nameserver) is { } entry ? context.At(entry.Position) : NameserverLocation(nameserver);

    /// <summary>Where the DS list is written (its first entry), else the zone entry.</summary>
    public SourceLocation DsLocation => Policy.Ds.Count > 0 ? context.At(Policy.Ds[0].Position) : ZoneLocation;

    /// <summary>
    /// Where a setting (min-nameservers, ns-ttl, dnssec) is stated: in the zone or under defaults;
    /// for a built-in default, which the policy places at the document's start (column 1, where no
    /// value can stand), the zone entry.
    /// </summary>
    public SourceLocation SettingLocation(SourcePosition position) => position.Column == 1 ? ZoneLocation : context.At(position);

    public SourceLocation At(SourcePosition position) => context.At(position);

    public Finding Finding(Rule rule, SourceLocation location, string message) => new(rule.Code, location, message, Name);

    public static IPAddress? AddressOf(ResourceRecord record) => DelegationFacts.AddressOf(record);

    public static IReadOnlyList<DnsName> Names(IEnumerable<DnsName> names) => DelegationFacts.Names(names);

    public static IReadOnlyList<IPAddress> Addresses(IEnumerable<IPAddress> addresses) => DelegationFacts.Addresses(addresses);

    public static string List(IEnumerable<DnsName> names)
    {
        var text = string.Join(", ", names.Select(n => n.ToString()));
        return text.Length == 0 ? "none" : text;
    }

    public static string List(IEnumerable<IPAddress> addresses)
    {
        var text = string.Join(", ", addresses.Select(a => a.ToString()));
        return text.Length == 0 ? "none" : text;
    }

    /// <summary>"ns1.example. (192.0.2.1)", "ns1.example. (IPv6 2001:db8::1)": findings name the address family where it matters.</summary>
    public static string Describe(NameserverEvidence nameserver, ServerEvidence server) =>
        server.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? string.Create(CultureInfo.InvariantCulture, $"{nameserver.Name} (IPv6 {server.Address})")
            : string.Create(CultureInfo.InvariantCulture, $"{nameserver.Name} ({server.Address})");

    /// <summary>How a query ended, in a few words: "timeout", "REFUSED", "NOERROR without AA".</summary>
    public static string Outcome(QueryEvidence query) => query.Result switch
    {
        QueryResult.Answer when query.Rcode is { } rcode && rcode != DnsResponseCode.NoError => EvidenceJson.Mnemonic(rcode),
        QueryResult.Answer when !query.Authoritative => "NOERROR without AA",
        QueryResult.Answer => "NOERROR",
        QueryResult.Timeout => "timeout",
        QueryResult.NetworkError => "network error" + (query.Error is null ? string.Empty : " (" + Dns.Excerpt.Of(query.Error, 300) + ")"),
        QueryResult.ConnectionRefused => "connection refused",
        QueryResult.Malformed => "malformed response" + (query.Error is null ? string.Empty : " (" + Dns.Excerpt.Of(query.Error, 300) + ")"),
        QueryResult.Truncated => "truncated even over TCP",
        QueryResult.Blocked => "blocked (loopback only)",
        _ => "not asked",
    };
}
