using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

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

    /// <summary>
    /// Dual-stack lab: the servers listen on their fd00:20:0:slot::n:h address as well, the root
    /// hints and the TLD glue carry AAAA records, and the IPv6 scenario zones are added
    /// (<see cref="LabCatalogue.Ipv6Children"/>). Only inside a network namespace of its own that has
    /// nothing but lo (<see cref="LabNamespace"/>); anywhere else the lab refuses to start.
    /// </summary>
    public bool Ipv6 { get; init; }
}

/// <summary>
/// Generated healthy zones, <c>bulk-0001.test.</c> … : each is delegated to two in-bailiwick name
/// servers, <c>ns1</c> and <c>ns2</c>, with glue, served by two of BIND, NSD and Knot in turn
/// (BIND+NSD, NSD+Knot, Knot+BIND, …), with the same NS set, addresses and SOA on both servers.
/// Odd-numbered zones are signed (algorithm 13, NSEC) with the DS at the parent, all with copies
/// of one key so that a thousand zones need one dnssec-keygen; even-numbered zones are unsigned.
/// Nothing in them is a fault.
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
            var signed = i % 2 == 1;
            specs.Add(new LabZoneSpec(
                name,
                signed
                    ? "generated healthy zone, signed (algorithm 13) with its DS at the parent, two name servers with glue"
                    : "generated healthy zone, unsigned, two name servers with glue",
                [new LabNs("ns1." + name, first), new LabNs("ns2." + name, second)],
                [first, second])
            {
                Signing = signed ? LabSigning.EcdsaP256Sha256 : LabSigning.None,
                Ds = signed ? LabDs.Matching : LabDs.None,
                SharesKeyOf = signed && i > 1 ? specs[0].Name : null,
            });
        }

        return specs;
    }
}

/// <summary>Copies of a lab key under other zones' names, for <see cref="LabZoneSpec.SharesKeyOf"/>.</summary>
internal static class LabKeyCopies
{
    /// <summary>
    /// Writes <c>K{zone}+alg+tag.key</c> and <c>.private</c> beside <paramref name="key"/>'s files
    /// (the key tag depends on the DNSKEY RDATA only, so it stays) and works out the DS (SHA-256,
    /// RFC 4509) over the new owner name, as dnssec-dsfromkey -2 would.
    /// </summary>
    public static async Task<LabKey> CopyAsync(LabKey key, string keyDirectory, string zone, CancellationToken cancellationToken)
    {
        var fields = key.DnskeyRecord.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(fields, "DNSKEY");
        if (at < 0 || fields.Length < at + 5)
        {
            throw new DnsLabException($"expected a DNSKEY record, found `{key.DnskeyRecord}`");
        }

        var flags = ushort.Parse(fields[at + 1], NumberStyles.None, CultureInfo.InvariantCulture);
        var protocol = byte.Parse(fields[at + 2], NumberStyles.None, CultureInfo.InvariantCulture);
        var algorithm = byte.Parse(fields[at + 3], NumberStyles.None, CultureInfo.InvariantCulture);
        var publicKey = Convert.FromBase64String(string.Concat(fields[(at + 4)..]));
        var dnskey = zone + " IN DNSKEY " + string.Join(' ', fields[(at + 1)..]);
        var baseName = Path.Combine(
            keyDirectory, string.Create(CultureInfo.InvariantCulture, $"K{zone}+{key.Algorithm:D3}+{key.KeyTag:D5}"));
        await File.WriteAllTextAsync(baseName + ".key", dnskey + "\n", cancellationToken).ConfigureAwait(false);
        File.Copy(key.KeyFileBase + ".private", baseName + ".private", overwrite: true);

        // RFC 4034 §5.1.4: digest = SHA-256(owner name in canonical wire form | DNSKEY RDATA).
        var input = new List<byte>();
        foreach (var label in zone.TrimEnd('.').Split('.'))
        {
            var bytes = Encoding.ASCII.GetBytes(label.ToLowerInvariant());
            input.Add((byte)bytes.Length);
            input.AddRange(bytes);
        }

        input.Add(0);
        var header = new byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(header, flags);
        header[2] = protocol;
        header[3] = algorithm;
        input.AddRange(header);
        input.AddRange(publicKey);
        var digest = Convert.ToHexString(SHA256.HashData([.. input]));
        var ds = string.Create(CultureInfo.InvariantCulture, $"{zone} IN DS {key.KeyTag} {key.Algorithm} 2 {digest}");
        return new LabKey(zone, key.Algorithm, key.KeyTag, baseName, dnskey, ds);
    }
}
