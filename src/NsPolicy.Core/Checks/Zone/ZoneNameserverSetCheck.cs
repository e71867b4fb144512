using NsPolicy.Core.Findings;
using NsPolicy.Dns;

namespace NsPolicy.Core.Checks.Zone;

/// <summary>The apex NS set in the zone file is the policy's nameserver list.</summary>
public sealed class ZoneNameserverSetCheck : IZoneCheck
{
    public static readonly Rule NotInFile = new(
        "ZONE_NS_NOT_IN_FILE",
        Severity.Error,
        "A nameserver of the policy is missing from the zone file's apex NS records",
        "The policy says the zone is delegated to this nameserver, but the zone's own apex NS records do not list it. The child's NS set and the parent's delegation should agree (RFC 1034 §4.2.2); resolvers that prefer the child's set will not use this server. Add the NS record, or remove the nameserver from the policy if it was retired.");

    public static readonly Rule NotInPolicy = new(
        "ZONE_NS_NOT_IN_POLICY",
        Severity.Error,
        "The zone file lists a nameserver the policy does not",
        "An apex NS record names a nameserver that the policy does not expect. Whoever runs it answers for the zone; an unexpected NS can be a typo, a forgotten migration, or a takeover. Remove the record, or add the nameserver to the policy.");

    public IReadOnlyList<Rule> Rules { get; } = [NotInFile, NotInPolicy];

    public bool NeedsPolicy => true;

    public IEnumerable<Finding> Run(ZoneCheckContext context)
    {
        var policy = context.Policy!;
        var inFile = context.Zone.ApexNameservers.DistinctBy(n => n.Target).ToList();
        var expected = policy.Nameservers.DistinctBy(n => n.Name).ToList();
        var fileSet = inFile.Select(n => n.Target).ToHashSet();
        var policySet = expected.Select(n => n.Name).ToHashSet();
        var found = List(inFile.Select(n => n.Target));
        var wanted = List(expected.Select(n => n.Name));
        foreach (var entry in expected.Where(e => !fileSet.Contains(e.Name)))
        {
            yield return new Finding(NotInFile.Code, context.AtPolicy(entry.Position),
                $"nameserver {entry.Name} of zone {context.ZoneName} is not in the apex NS records of {context.File} (they are: {found})", context.ZoneName)
            {
                MentionedFile = context.File,
                Expected = wanted,
                Found = found,
                Subject = entry.Name.ToString(),
            };
        }

        foreach (var ns in inFile.Where(n => !policySet.Contains(n.Target)))
        {
            yield return new Finding(NotInPolicy.Code, ZoneCheckContext.At(ns.Position),
                $"apex NS {ns.Target} of zone {context.ZoneName} is not one of the policy's nameservers ({wanted})", context.ZoneName)
            {
                Expected = wanted,
                Found = found,
                Subject = ns.Target.ToString(),
            };
        }
    }

    private static string List(IEnumerable<DnsName> names)
    {
        var sorted = names.Order().Select(n => n.ToString()).ToList();
        return sorted.Count == 0 ? "none" : string.Join(", ", sorted);
    }
}
