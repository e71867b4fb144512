using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NsPolicy.Dns;

namespace NsPolicy.Core.Checking;

/// <summary>
/// The K-th of N parts of a policy's zones (<c>--shard K/N</c>), for a job matrix. A zone belongs
/// to shard 1 + (h mod N), where h is the first 8 bytes, big-endian, of SHA-256 over the zone's
/// canonical name (lower case, trailing dot, UTF-8). The split depends on each zone's name alone:
/// every zone is in exactly one shard, and adding or removing a zone moves no other zone.
/// </summary>
public sealed record ZoneShard(int Index, int Count)
{
    /// <summary>More shards than this is a typo, not a matrix.</summary>
    public const int MaxCount = 10_000;

    public static bool TryParse(string text, out ZoneShard? shard, out string? error)
    {
        shard = null;
        error = null;
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            error = $"'{Excerpt.Of(text)}' is not K/N, e.g. 2/4 for the second of four shards";
            return false;
        }

        if (count < 1 || count > MaxCount || index < 1 || index > count)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"'{Excerpt.Of(text)}': K must be 1 to N and N 1 to {MaxCount}");
            return false;
        }

        shard = new ZoneShard(index, count);
        return true;
    }

    /// <summary>The shard (1 to <paramref name="count"/>) a zone belongs to.</summary>
    public static int Of(DnsName zone, int count)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(zone.ToString()));
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % (ulong)count) + 1;
    }

    public bool Contains(DnsName zone) => Of(zone, Count) == Index;

    /// <summary>Findings of no zone are reported once per matrix: by shard 1.</summary>
    public bool ReportsPolicyWideFindings => Index == 1;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
