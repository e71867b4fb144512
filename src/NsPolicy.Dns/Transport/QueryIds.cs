// Query ids from the operating system's cryptographic random source (RFC 5452 §9.2: ids must be
// unpredictable). Drawn 128 at a time per thread, because one call into the random source costs more
// than the rest of building a query; each id is still used once and never derived from another.
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace NsPolicy.Dns.Transport;

internal static class QueryIds
{
    private const int Batch = 128;

    [ThreadStatic]
    private static ushort[]? t_ids;

    [ThreadStatic]
    private static int t_next;

    public static ushort Next()
    {
        var ids = t_ids ??= new ushort[Batch];
        if (t_next == 0)
        {
            RandomNumberGenerator.Fill(MemoryMarshal.AsBytes(ids.AsSpan()));
        }

        var id = ids[t_next];
        ids[t_next] = 0;
        t_next = (t_next + 1) % Batch;
        return id;
    }
}
