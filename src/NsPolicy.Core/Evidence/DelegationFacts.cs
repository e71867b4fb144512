// Facts derived from the gathered evidence that both the collector (to decide whom to ask) and the
// checks (to judge) need: the parent's NS set, glue and DS, and the child's apex NS set. Worked out
// here only, so what was asked and what is judged cannot drift apart. Derived, never serialised.
using System.Net;
using System.Text.Json.Serialization;
using NsPolicy.Dns;
using NsPolicy.Dns.Records;

namespace NsPolicy.Core.Evidence;

/// <summary>An address record the parent's servers hand out with a referral.</summary>
public readonly record struct GlueAddress(DnsName Name, IPAddress Address);

public sealed partial record ParentServerEvidence
{
    /// <summary>The delegated zone: the name the referral query asked about.</summary>
    [JsonIgnore]
    public DnsName Child => Referral.Name;

    /// <summary>The NS names the server gives for the child (authority or answer section), sorted.</summary>
    [JsonIgnore]
    public IReadOnlyList<DnsName> Nameservers => DelegationFacts.Names(
        Referral.Authority.Concat(Referral.Answer).Where(r => r.Owner == Child).Select(r => r.Data).OfType<NsRData>().Select(n => n.Target));

    /// <summary>A NOERROR response that names the child's NS set: a referral, or an authoritative answer from a server that also serves the child.</summary>
    [JsonIgnore]
    public bool IsReferral => Referral.IsAnswer && Referral.Rcode == DnsResponseCode.NoError && Nameservers.Count > 0;

    /// <summary>
    /// The server answered for the child itself (AA and the NS set in the answer section): it hosts
    /// both the parent and the child, so its NS answer is the child's view and carries no DS.
    /// </summary>
    [JsonIgnore]
    public bool ServesChild => IsReferral && Referral.Authoritative && Referral.Answer.Any(r => r.Owner == Child && r.Data is NsRData);

    /// <summary>The DS records for the child: the explicit DS query's answer when the server serves the child, else the referral's authority section.</summary>
    [JsonIgnore]
    public IReadOnlyList<DsRData> Ds => ServesChild
        ? [.. (DsQuery is { IsAnswer: true } q ? q.Answer : []).Where(r => r.Owner == Child).Select(r => r.Data).OfType<DsRData>().Distinct()]
        : [.. Referral.Authority.Concat(Referral.Answer).Where(r => r.Owner == Child).Select(r => r.Data).OfType<DsRData>().Distinct()];

    /// <summary>Every A and AAAA record of the additional section, in order of appearance.</summary>
    [JsonIgnore]
    public IReadOnlyList<GlueAddress> AddressRecords => [.. Referral.Additional
        .Select(r => (r.Owner, Address: DelegationFacts.AddressOf(r)))
        .Where(g => g.Address is not null)
        .Select(g => new GlueAddress(g.Owner, g.Address!))
        .Distinct()];
}

public sealed partial record ParentEvidence
{
    /// <summary>Parent servers whose answer names the child's NS set.</summary>
    [JsonIgnore]
    public IReadOnlyList<ParentServerEvidence> Referrals => [.. Servers.Where(s => s.IsReferral)];

    /// <summary>
    /// The referrals that show the parent's own delegation (NS set and glue): the plain ones. A server
    /// that also serves the child answers from the child's zone, so its NS set is the child's view,
    /// which may differ from the delegation; only when every server that answered serves the child
    /// is that the best there is.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<ParentServerEvidence> Delegations
    {
        get
        {
            var referrals = Referrals;
            var plain = referrals.Where(s => !s.ServesChild).ToList();
            return plain.Count > 0 ? plain : referrals;
        }
    }

    /// <summary>Every server that answered serves the child itself: the parent's own NS set and glue cannot be seen.</summary>
    [JsonIgnore]
    public bool OnlyChildViews => Referrals.Count > 0 && Referrals.All(s => s.ServesChild);

    /// <summary>The union of the NS names the parent's servers delegate to (<see cref="Delegations"/>), sorted.</summary>
    [JsonIgnore]
    public IReadOnlyList<DnsName> Nameservers => DelegationFacts.Names(Delegations.SelectMany(s => s.Nameservers));

    /// <summary>The union of the DS records of the parent's servers (explicit DS answers from servers that serve the child).</summary>
    [JsonIgnore]
    public IReadOnlyList<DsRData> Ds => [.. Referrals.SelectMany(s => s.Ds).Distinct()];

    /// <summary>
    /// Glue in bailiwick: address records of the <see cref="Delegations"/> whose owner lies inside the
    /// parent zone's authority, per owner (from servers that serve the child only when no server gave a plain referral).
    /// </summary>
    [JsonIgnore]
    public IReadOnlyDictionary<DnsName, IReadOnlyList<IPAddress>> Glue => Group(GlueSources().Where(g => InBailiwick(g.Name)));

    /// <summary>Address records for names the parent has no authority over: recorded, reported, never asked.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<DnsName, IReadOnlyList<IPAddress>> OutOfBailiwickGlue => Group(GlueSources().Where(g => !InBailiwick(g.Name)));

    /// <summary>The glue the collector may ask: in bailiwick and for a name the referrals delegate to.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<DnsName, IReadOnlyList<IPAddress>> UsableGlue
    {
        get
        {
            var names = Nameservers.ToHashSet();
            return Group(GlueSources().Where(g => InBailiwick(g.Name) && names.Contains(g.Name)));
        }
    }

    /// <summary>The name lies inside the parent zone's authority (in bailiwick), so an address the parent gives for it is glue.</summary>
    public bool InBailiwick(DnsName name) => Zone is { } parent && name.IsSubdomainOf(parent);

    private IEnumerable<GlueAddress> GlueSources() => Delegations.SelectMany(s => s.AddressRecords);

    private static Dictionary<DnsName, IReadOnlyList<IPAddress>> Group(IEnumerable<GlueAddress> glue) =>
        glue.GroupBy(g => g.Name).ToDictionary(g => g.Key, g => DelegationFacts.Addresses(g.Select(x => x.Address)));
}

public sealed partial record ServerEvidence
{
    /// <summary>The apex NS names this address gave in authoritative answers (UDP or TCP), sorted.</summary>
    [JsonIgnore]
    public IReadOnlyList<DnsName> ApexNs => DelegationFacts.Names(new[] { NsUdp, NsTcp }
        .Where(q => q.IsAuthoritativeAnswer)
        .SelectMany(q => q.Answer.Where(r => r.Owner == q.Name))
        .Select(r => r.Data)
        .OfType<NsRData>()
        .Select(n => n.Target));
}

public sealed partial record ZoneEvidence
{
    /// <summary>The union of the apex NS names the nameservers gave authoritatively, sorted.</summary>
    [JsonIgnore]
    public IReadOnlyList<DnsName> ChildNs => DelegationFacts.ChildNs(Nameservers);
}

/// <summary>Helpers shared by the derived facts, the collector and the checks.</summary>
public static class DelegationFacts
{
    /// <summary>The union of the apex NS names <paramref name="nameservers"/> gave authoritatively, sorted.</summary>
    public static IReadOnlyList<DnsName> ChildNs(IEnumerable<NameserverEvidence> nameservers) =>
        Names(nameservers.SelectMany(n => n.Servers).SelectMany(s => s.ApexNs));

    public static IPAddress? AddressOf(ResourceRecord record) => record.Data switch
    {
        ARData a => a.Address,
        AaaaRData a => a.Address,
        _ => null,
    };

    public static IReadOnlyList<DnsName> Names(IEnumerable<DnsName> names) => [.. names.Distinct().Order()];

    public static IReadOnlyList<IPAddress> Addresses(IEnumerable<IPAddress> addresses) => [.. addresses.Distinct().Order(AddressOrder.Instance)];
}
