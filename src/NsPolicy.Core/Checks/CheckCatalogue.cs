using NsPolicy.Core.Checks.Live;
using NsPolicy.Core.Checks.Policy;
using NsPolicy.Core.Checks.Zone;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks;

/// <summary>Every check and every code, listed by hand. Codes never change once released.</summary>
public static class CheckCatalogue
{
    public static IReadOnlyList<IPolicyCheck> PolicyChecks { get; } =
    [
        new DuplicateZoneCheck(),
        new NameserverCountCheck(),
        new DuplicateNameserverCheck(),
        new NameserverSetCheck(),
        new GlueCheck(),
        new DsCheck(),
        new SettingsCheck(),
        new AcknowledgementCheck(),
        new ReferencedFileCheck(),
    ];

    /// <summary>Checks of zone files: the structural ones first (they also run without a policy), then those against the policy.</summary>
    public static IReadOnlyList<IZoneCheck> ZoneChecks { get; } =
    [
        new ZoneSyntaxCheck(),
        new ZoneSoaCheck(),
        new ZoneSoaTimersCheck(),
        new ZoneSerialCheck(),
        new ApexNameserverCheck(),
        new ZoneNameserverAddressCheck(),
        new ZoneNameserverDotCheck(),
        new ZoneNameserverCnameCheck(),
        new ZoneWildcardNsCheck(),
        new ZoneCnameCheck(),
        new ZoneServiceTargetCheck(),
        new OutOfZoneCheck(),
        new OccludedDataCheck(),
        new ZoneDsPlacementCheck(),
        new ZoneDsDigestCheck(),
        new ZoneCdsCheck(),
        new ZoneNsec3ParamCheck(),
        new ZoneRrsetTtlCheck(),
        new ZoneNameserverSetCheck(),
        new ZoneNameserverCountCheck(),
        new ZoneGlueCheck(),
        new ZoneNameserverTtlCheck(),
        new ZoneDnskeyCheck(),
    ];

    /// <summary>Checks of live evidence (the parent, the nameservers, the resolvers) against the policy.</summary>
    public static IReadOnlyList<ILiveCheck> LiveChecks { get; } =
    [
        new ParentReachabilityCheck(),
        new ParentNsCheck(),
        new ParentConsistencyCheck(),
        new ParentGlueCheck(),
        new OutOfBailiwickGlueCheck(),
        new ParentDsCheck(),
        new ReferralSizeCheck(),
        new ChildNsCheck(),
        new LameServerCheck(),
        new ReachabilityCheck(),
        new ChildNsConsistencyCheck(),
        new SoaSerialCheck(),
        new SoaTimersCheck(),
        new ChildAddressCheck(),
        new ZoneTransferCheck(),
        new OpenRecursionCheck(),
        new EdnsComplianceCheck(),
        new EdnsResponseCheck(),
        new EdnsBadversCheck(),
        new EdnsFlagsCheck(),
        new EdnsTruncationCheck(),
        new EdnsVersionOptionCheck(),
        new DeadlineCheck(),
        new QueryBudgetCheck(),
        new NsLimitCheck(),
        new NsCnameCheck(),
        new NsResolutionCheck(),
        new NsCountCheck(),
        new AddressDiversityCheck(),
        new IPv6Check(),
        new NsTtlCheck(),
        new DsKeyCheck(),
        new DnssecExpectationCheck(),
        new DnskeySignatureCheck(),
        new ApexSignatureCheck(),
        new Nsec3ParameterCheck(),
        new DnssecAlgorithmCheck(),
        new CdsCheck(),
        new ResolverCheck(),
    ];

    public static IReadOnlyList<Rule> Rules { get; } =
        [.. PolicyLoadRules.All, .. PolicyChecks.SelectMany(c => c.Rules), .. ZoneChecks.SelectMany(c => c.Rules), .. LiveChecks.SelectMany(c => c.Rules)];

    private static readonly Dictionary<string, Rule> ByCode = Rules.ToDictionary(r => r.Code, StringComparer.Ordinal);

    public static IReadOnlySet<string> Codes { get; } = ByCode.Keys.ToHashSet(StringComparer.Ordinal);

    public static Rule? Find(string code) => ByCode.GetValueOrDefault(code);
}
