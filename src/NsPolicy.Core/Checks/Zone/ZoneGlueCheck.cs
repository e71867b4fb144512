using System.Net;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Checks.Zone;

/// <summary>The addresses of in-zone nameservers in the zone file are the policy's glue for them.</summary>
public sealed class ZoneGlueCheck : IZoneCheck
{
    public static readonly Rule Mismatch = new(
        "ZONE_GLUE_MISMATCH",
        Severity.Error,
        "An in-zone nameserver's addresses differ from the policy's glue",
        "The zone file's A/AAAA records for an in-zone nameserver are what the zone itself answers; the policy's glue is what the parent must publish. When they differ, resolvers reach the server at one address through the parent and learn another from the child, and one of them is stale. Make the zone file and the policy agree, then update the glue at the registrar.");

    public IReadOnlyList<Rule> Rules { get; } = [Mismatch];

    public bool NeedsPolicy => true;

    public IEnumerable<Finding> Run(ZoneCheckContext context)
    {
        foreach (var glue in context.Policy!.Glue)
        {
            if (!glue.Nameserver.IsSubdomainOf(context.Zone.Origin))
            {
                continue;
            }

            var inFile = context.Zone.AddressesOf(glue.Nameserver);
            if (inFile.Count == 0)
            {
                // No address at all is ZONE_NS_ADDRESS_MISSING (or ZONE_NS_NOT_IN_FILE when the file does not name it).
                continue;
            }

            var expected = Set(glue.Addresses.Select(a => a.Value));
            var found = Set(inFile.Select(a => a.Address));
            if (expected.SequenceEqual(found))
            {
                continue;
            }

            var wanted = string.Join(", ", expected);
            var have = string.Join(", ", found);
            yield return new Finding(Mismatch.Code, ZoneCheckContext.At(inFile[0].Position),
                $"addresses of nameserver {glue.Nameserver} in the zone file ({have}) differ from the policy's glue ({wanted})", context.ZoneName)
            {
                Expected = wanted,
                Found = have,
                Subject = glue.Nameserver.ToString(),
            };
        }
    }

    private static List<string> Set(IEnumerable<IPAddress> addresses) =>
        addresses.Distinct().OrderBy(a => a.AddressFamily).ThenBy(a => a.GetAddressBytes(), ByteOrder.Instance).Select(a => a.ToString()).ToList();

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static ByteOrder Instance { get; } = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
