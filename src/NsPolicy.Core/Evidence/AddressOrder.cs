using System.Net;

namespace NsPolicy.Core.Evidence;

/// <summary>Orders addresses IPv4 first, then by their octets.</summary>
public sealed class AddressOrder : IComparer<IPAddress>
{
    public static AddressOrder Instance { get; } = new();

    public int Compare(IPAddress? x, IPAddress? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        var family = x.AddressFamily.CompareTo(y.AddressFamily);
        return family != 0 ? family : x.GetAddressBytes().AsSpan().SequenceCompareTo(y.GetAddressBytes());
    }
}
