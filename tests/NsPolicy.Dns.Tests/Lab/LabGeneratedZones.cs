using System.Globalization;

namespace NsPolicy.Dns.Tests.Lab;

/// <summary>How a lab is built beyond its fixed scenario zones.</summary>
public sealed record DnsLabOptions
{
    /// <summary>The most generated zones a lab takes.</summary>
    public const int MaxGeneratedZones = 20_000;

    /// <summary>The slot (0–15) to take; null: NSPOLICY_LAB_SLOT, else the first free one.</summary>
    public int? Slot { get; init; }

    /// <summary>
    /// Healthy child zones of <c>test.</c> added to the scenario zones, for benchmarks: see
    /// <see cref="LabGeneratedZones"/>. 0 (the default) builds the usual lab.
    /// </summary>
    public int GeneratedZones { get; init; }
}

/// <summary>
/// Generated healthy zones, <c>bulk-0001.test.</c> … : each is delegated to two in-bailiwick name
/// servers, <c>ns1</c> and <c>ns2</c>, with glue, served by two of BIND, NSD and Knot in turn
/// (BIND+NSD, NSD+Knot, Knot+BIND, …), unsigned, with the same NS set, addresses and SOA on both
/// servers. Nothing in them is a fault.
/// </summary>
internal static class LabGeneratedZones
{
    public const string Prefix = "bulk-";

    public static IReadOnlyList<LabZoneSpec> Healthy(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, DnsLabOptions.MaxGeneratedZones);
        LabHost[] rotation = [LabHost.ChildBind, LabHost.ChildNsd, LabHost.ChildKnot];
        var width = Math.Max(4, count.ToString(CultureInfo.InvariantCulture).Length);
        var specs = new List<LabZoneSpec>(count);
        for (var i = 1; i <= count; i++)
        {
            var name = Prefix + i.ToString("D" + width.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + ".test.";
            var first = rotation[(i - 1) % 3];
            var second = rotation[i % 3];
            specs.Add(new LabZoneSpec(
                name,
                "generated healthy zone, unsigned, two name servers with glue",
                [new LabNs("ns1." + name, first), new LabNs("ns2." + name, second)],
                [first, second]));
        }

        return specs;
    }
}
