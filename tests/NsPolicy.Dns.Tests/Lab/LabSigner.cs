using System.Globalization;

namespace NsPolicy.Dns.Tests.Lab;

/// <summary>A DNSSEC key made for one lab run, with its DNSKEY and DS (SHA-256) in master-file form.</summary>
internal sealed record LabKey(string Zone, int Algorithm, int KeyTag, string KeyFileBase, string DnskeyRecord, string DsRecord);

/// <summary>Offline signing with BIND's dnssec-keygen, dnssec-dsfromkey and dnssec-signzone.</summary>
internal static class LabSigner
{
    /// <summary>dnssec-signzone runs at once, across labs in this process: a lab with many generated zones signs hundreds.</summary>
    private static readonly SemaphoreSlim Signers = new(Math.Max(4, Environment.ProcessorCount * 2));

    /// <summary>Makes one key with the SEP flag (257); it signs every RRset of its zone.</summary>
    public static async Task<LabKey> GenerateAsync(string keyDirectory, string zone, LabSigning signing, CancellationToken cancellationToken)
    {
        string[] algorithm = signing switch
        {
            LabSigning.EcdsaP256Sha256 => ["-a", "ECDSAP256SHA256"],
            LabSigning.RsaSha256 => ["-a", "RSASHA256", "-b", "2048"],
            _ => throw new ArgumentOutOfRangeException(nameof(signing), signing, "no key for an unsigned zone"),
        };
        var generated = await LabProcess.RunCheckedAsync(
            "dnssec-keygen", ["-q", "-K", keyDirectory, .. algorithm, "-f", "KSK", "-n", "ZONE", zone], keyDirectory, cancellationToken)
            .ConfigureAwait(false);
        var name = generated.StandardOutput.Trim();
        var keyFileBase = Path.Combine(keyDirectory, name);
        var parts = name.Split('+');
        if (parts.Length != 3)
        {
            throw new DnsLabException($"dnssec-keygen printed an unexpected key name `{name}`");
        }

        var dnskey = string.Join('\n', (await File.ReadAllLinesAsync(keyFileBase + ".key", cancellationToken).ConfigureAwait(false))
            .Where(l => l.Length > 0 && !l.StartsWith(';')));
        var ds = await LabProcess.RunCheckedAsync("dnssec-dsfromkey", ["-2", keyFileBase + ".key"], keyDirectory, cancellationToken)
            .ConfigureAwait(false);
        return new LabKey(
            zone,
            int.Parse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture),
            int.Parse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture),
            keyFileBase,
            dnskey,
            ds.StandardOutput.Trim());
    }

    /// <summary>
    /// Signs <paramref name="sourcePath"/> (which already holds the DNSKEY) into <paramref name="signedPath"/> with NSEC.
    /// Expired: inception 2020-01-01, expiration 2020-02-01; otherwise BIND's defaults (now − 1 h to now + 30 d).
    /// </summary>
    public static Task SignAsync(
        string keyDirectory, string zone, string sourcePath, string signedPath, LabKey key, bool expired, CancellationToken cancellationToken) =>
        SignAsync(keyDirectory, zone, sourcePath, signedPath, key, expired, nsec3Salt: null, cancellationToken);

    /// <summary>As above; with <paramref name="nsec3Salt"/> (hexadecimal) the zone gets NSEC3 (no opt-out, 0 iterations) instead of NSEC.</summary>
    public static Task SignAsync(
        string keyDirectory, string zone, string sourcePath, string signedPath, LabKey key, bool expired, string? nsec3Salt, CancellationToken cancellationToken) =>
        SignAsync(keyDirectory, zone, sourcePath, signedPath, key, new LabSigningOptions(expired, nsec3Salt), cancellationToken);

    /// <summary>
    /// As above, with every option: NSEC3 with a salt ("-" for none) and a number of iterations, and
    /// expired signatures on everything except the DNSKEY RRset (signed twice, one record per line,
    /// and the DNSKEY RRSIGs of the fresh signing put in place of the expired ones).
    /// </summary>
    public static async Task SignAsync(
        string keyDirectory, string zone, string sourcePath, string signedPath, LabKey key, LabSigningOptions options, CancellationToken cancellationToken)
    {
        if (!options.ExpiredExceptDnskey)
        {
            await SignOnceAsync(keyDirectory, zone, sourcePath, signedPath, key, options.Expired, options, cancellationToken).ConfigureAwait(false);
            return;
        }

        await SignOnceAsync(keyDirectory, zone, sourcePath, signedPath + ".expired", key, expired: true, options, cancellationToken).ConfigureAwait(false);
        await SignOnceAsync(keyDirectory, zone, sourcePath, signedPath + ".fresh", key, expired: false, options, cancellationToken).ConfigureAwait(false);
        static bool CoversDnskey(string line)
        {
            var f = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            return f.Length > 4 && f[3] == "RRSIG" && f[4] == "DNSKEY";
        }

        var expiredLines = await File.ReadAllLinesAsync(signedPath + ".expired", cancellationToken).ConfigureAwait(false);
        var freshLines = await File.ReadAllLinesAsync(signedPath + ".fresh", cancellationToken).ConfigureAwait(false);
        await File.WriteAllLinesAsync(signedPath, [.. expiredLines.Where(l => !CoversDnskey(l)), .. freshLines.Where(CoversDnskey)], cancellationToken).ConfigureAwait(false);
    }

    private static async Task SignOnceAsync(
        string keyDirectory, string zone, string sourcePath, string signedPath, LabKey key, bool expired, LabSigningOptions options, CancellationToken cancellationToken)
    {
        List<string> arguments = ["-q", "-K", keyDirectory, "-o", zone, "-z", "-f", signedPath, "-d", keyDirectory];
        if (expired)
        {
            arguments.AddRange(["-s", "20200101000000", "-e", "20200201000000", "-P"]);
        }

        if (options.Nsec3Salt is not null)
        {
            arguments.AddRange(["-3", options.Nsec3Salt, "-H", options.Nsec3Iterations.ToString(CultureInfo.InvariantCulture)]);
        }

        if (options.ExpiredExceptDnskey)
        {
            arguments.AddRange(["-O", "full"]);
        }

        arguments.AddRange([sourcePath, key.KeyFileBase]);
        await Signers.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await LabProcess.RunCheckedAsync("dnssec-signzone", arguments, keyDirectory, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Signers.Release();
        }
    }
}

/// <summary>How a lab zone is signed.</summary>
internal sealed record LabSigningOptions(bool Expired, string? Nsec3Salt, int Nsec3Iterations = 0, bool ExpiredExceptDnskey = false);
