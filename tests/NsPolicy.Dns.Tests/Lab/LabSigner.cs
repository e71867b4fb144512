using System.Globalization;

namespace NsPolicy.Dns.Tests.Lab;

/// <summary>A DNSSEC key made for one lab run, with its DNSKEY and DS (SHA-256) in master-file form.</summary>
internal sealed record LabKey(string Zone, int Algorithm, int KeyTag, string KeyFileBase, string DnskeyRecord, string DsRecord);

/// <summary>
/// Offline signing with BIND's dnssec-keygen, dnssec-dsfromkey and dnssec-signzone; or with the
/// same key by ldns-signzone (ldnsutils) or Knot's kzonesign (knot-dnssecutils, the key imported
/// with keymgr import-bind), so the parent's DS holds whichever tool signs.
/// </summary>
internal static class LabSigner
{
    /// <summary>The signing tool.</summary>
    public enum Tool
    {
        Bind,
        Ldns,
        Knot,
    }

    /// <summary>dnssec-signzone runs at once, across labs in this process: a lab with many generated zones signs hundreds.</summary>
    private static readonly SemaphoreSlim Signers = new(Math.Max(4, Environment.ProcessorCount * 2));

    /// <summary>Makes one key with the SEP flag (257); it signs every RRset of its zone.</summary>
    public static Task<LabKey> GenerateAsync(string keyDirectory, string zone, LabSigning signing, CancellationToken cancellationToken) =>
        GenerateAsync(keyDirectory, zone, signing, sep: true, cancellationToken);

    /// <summary>Makes one key, with the SEP flag (257) or without (256: a zone-signing key).</summary>
    public static async Task<LabKey> GenerateAsync(string keyDirectory, string zone, LabSigning signing, bool sep, CancellationToken cancellationToken)
    {
        string[] algorithm = signing switch
        {
            LabSigning.EcdsaP256Sha256 => ["-a", "ECDSAP256SHA256"],
            LabSigning.RsaSha256 => ["-a", "RSASHA256", "-b", "2048"],
            LabSigning.Ed25519 => ["-a", "ED25519"],
            LabSigning.Ed448 => ["-a", "ED448"],
            _ => throw new ArgumentOutOfRangeException(nameof(signing), signing, "no key for an unsigned zone"),
        };
        var generated = await LabProcess.RunCheckedAsync(
            "dnssec-keygen", ["-q", "-K", keyDirectory, .. algorithm, .. sep ? (string[])["-f", "KSK"] : [], "-n", "ZONE", zone], keyDirectory, cancellationToken)
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
        if (options.Signer != Tool.Bind)
        {
            if (options.Expired || options.Edited || options.SecondKey != LabSecondKey.None)
            {
                throw new DnsLabException($"{zone}: only dnssec-signzone zones can have expired or edited signatures");
            }

            await (options.Signer == Tool.Ldns
                ? SignWithLdnsAsync(keyDirectory, zone, sourcePath, signedPath, key, options, cancellationToken)
                : SignWithKnotAsync(keyDirectory, zone, sourcePath, signedPath, key, options, cancellationToken)).ConfigureAwait(false);
            return;
        }

        if (options.SecondKey != LabSecondKey.None)
        {
            if (options.Expired || options.ExpiredExceptDnskey || options.Edits.Count > 0 || options.TamperSoa)
            {
                throw new DnsLabException($"{zone}: a zone with a second key can have no expired or edited signatures");
            }

            // A zone-signing key of the same algorithm (the SEP key then signs the DNSKEY RRset only),
            // or a second SEP key of another algorithm (both sign everything, as during an algorithm rollover).
            var zsk = options.SecondKey == LabSecondKey.ZoneSigningKey;
            var second = await GenerateAsync(keyDirectory, zone, zsk ? AlgorithmOf(key) : LabSigning.RsaSha256, sep: !zsk, cancellationToken).ConfigureAwait(false);
            var twoKeys = sourcePath + ".two-keys";
            await File.WriteAllLinesAsync(twoKeys, [.. await File.ReadAllLinesAsync(sourcePath, cancellationToken).ConfigureAwait(false), second.DnskeyRecord], cancellationToken)
                .ConfigureAwait(false);
            await SignOnceAsync(keyDirectory, zone, twoKeys, signedPath, key, [], options, cancellationToken, second).ConfigureAwait(false);
            return;
        }

        if (!options.Edited)
        {
            await SignOnceAsync(keyDirectory, zone, sourcePath, signedPath, key, options.Expired ? ExpiredWindow : [], options, cancellationToken).ConfigureAwait(false);
            return;
        }

        List<LabSignatureEdit> edits = [.. options.Edits];
        if (options.ExpiredExceptDnskey)
        {
            edits.Add(new LabSignatureEdit(LabSignatureEdit.AllButDnskey, LabSignatureSource.Expired, ApexOnly: false));
        }

        await SignOnceAsync(keyDirectory, zone, sourcePath, signedPath + ".fresh", key, options.Expired ? ExpiredWindow : [], options, cancellationToken).ConfigureAwait(false);
        var lines = (await File.ReadAllLinesAsync(signedPath + ".fresh", cancellationToken).ConfigureAwait(false)).ToList();
        foreach (var source in edits.Select(e => e.Source).Distinct())
        {
            var variantPath = signedPath + "." + source.ToString().ToLowerInvariant();
            if (source == LabSignatureSource.ForeignKey)
            {
                var foreignDirectory = Directory.CreateDirectory(Path.Combine(keyDirectory, "foreign-" + zone.TrimEnd('.'))).FullName;
                var foreign = await GenerateAsync(foreignDirectory, zone, AlgorithmOf(key), cancellationToken).ConfigureAwait(false);
                var foreignSource = sourcePath + ".foreign";
                await File.WriteAllLinesAsync(foreignSource, (await File.ReadAllLinesAsync(sourcePath, cancellationToken).ConfigureAwait(false))
                    .Select(l => l == key.DnskeyRecord ? foreign.DnskeyRecord : l), cancellationToken).ConfigureAwait(false);
                await SignOnceAsync(Path.GetDirectoryName(foreign.KeyFileBase)!, zone, foreignSource, variantPath, foreign, [], options, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                string[] window = source switch
                {
                    LabSignatureSource.Expired => ExpiredWindow,
                    LabSignatureSource.ExpiringSoon => ["-s", "now-86400", "-e", "now+259200"],
                    _ => ["-s", "+86400", "-e", "+2678400", "-P"],
                };
                await SignOnceAsync(keyDirectory, zone, sourcePath, variantPath, key, window, options, cancellationToken).ConfigureAwait(false);
            }

            var variant = await File.ReadAllLinesAsync(variantPath, cancellationToken).ConfigureAwait(false);
            foreach (var edit in edits.Where(e => e.Source == source))
            {
                if (!edit.Keep)
                {
                    lines.RemoveAll(l => Covers(l, zone, edit));
                }

                lines.AddRange(variant.Where(l => Covers(l, zone, edit)));
            }
        }

        if (options.TamperSoa)
        {
            var at = lines.FindIndex(l => Fields(l) is { Length: > 6 } f && f[3] == "SOA");
            var f = Fields(lines[at]);
            f[6] = (uint.Parse(f[6], NumberStyles.None, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
            lines[at] = string.Join(' ', f);
        }

        if (options.RaiseNsTtl)
        {
            // The apex NS records served with twice the TTL their RRSIG states as original TTL (RFC 4035 §5.3.3: validators cap it).
            for (var i = 0; i < lines.Count; i++)
            {
                if (Fields(lines[i]) is { Length: > 4 } f && f[3] == "NS" && string.Equals(f[0], zone, StringComparison.OrdinalIgnoreCase))
                {
                    f[1] = (uint.Parse(f[1], NumberStyles.None, CultureInfo.InvariantCulture) * 2).ToString(CultureInfo.InvariantCulture);
                    lines[i] = string.Join(' ', f);
                }
            }
        }

        await File.WriteAllLinesAsync(signedPath, lines, cancellationToken).ConfigureAwait(false);
    }

    private static readonly string[] ExpiredWindow = ["-s", "20200101000000", "-e", "20200201000000", "-P"];

    private static string[] Fields(string line) => line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    // An RRSIG line of dnssec-signzone's full format (owner TTL class RRSIG covered ...) that the edit is about.
    private static bool Covers(string line, string zone, LabSignatureEdit edit) =>
        Fields(line) is { Length: > 4 } f && f[3] == "RRSIG" && (edit.Type == LabSignatureEdit.AllButDnskey ? f[4] != "DNSKEY" : f[4] == edit.Type)
        && (!edit.ApexOnly || string.Equals(f[0], zone, StringComparison.OrdinalIgnoreCase));

    private static LabSigning AlgorithmOf(LabKey key) => key.Algorithm switch
    {
        8 => LabSigning.RsaSha256,
        15 => LabSigning.Ed25519,
        16 => LabSigning.Ed448,
        _ => LabSigning.EcdsaP256Sha256,
    };

    private static async Task SignOnceAsync(
        string keyDirectory, string zone, string sourcePath, string signedPath, LabKey key, string[] window, LabSigningOptions options, CancellationToken cancellationToken,
        LabKey? second = null)
    {
        // -z: the SEP key signs every RRset; not with a zone-signing key beside it.
        string[] everything = options.SecondKey == LabSecondKey.ZoneSigningKey ? [] : ["-z"];
        List<string> arguments = ["-q", "-K", keyDirectory, "-o", zone, .. everything, "-f", signedPath, "-d", keyDirectory, .. window];
        if (options.Nsec3Salt is not null)
        {
            arguments.AddRange(["-3", options.Nsec3Salt, "-H", options.Nsec3Iterations.ToString(CultureInfo.InvariantCulture)]);
            if (options.OptOut)
            {
                arguments.Add("-A");
            }
        }

        if (options.Edited)
        {
            arguments.AddRange(["-O", "full"]);
        }

        arguments.AddRange([sourcePath, key.KeyFileBase, .. second is null ? (string[])[] : [second.KeyFileBase]]);
        await RunSignerAsync("dnssec-signzone", arguments, keyDirectory, cancellationToken).ConfigureAwait(false);
    }

    // ldns-signzone reads BIND's key files; it adds the DNSKEY itself, so the source goes without it.
    private static async Task SignWithLdnsAsync(
        string keyDirectory, string zone, string sourcePath, string signedPath, LabKey key, LabSigningOptions options, CancellationToken cancellationToken)
    {
        var source = sourcePath + ".nokey";
        await File.WriteAllLinesAsync(source, (await File.ReadAllLinesAsync(sourcePath, cancellationToken).ConfigureAwait(false)).Where(l => l != key.DnskeyRecord), cancellationToken)
            .ConfigureAwait(false);
        List<string> arguments = ["-o", zone, "-f", signedPath];
        if (options.Nsec3Salt is not null)
        {
            arguments.AddRange(["-n", "-t", options.Nsec3Iterations.ToString(CultureInfo.InvariantCulture)]);
            if (options.Nsec3Salt != "-")
            {
                arguments.AddRange(["-s", options.Nsec3Salt]);
            }

            if (options.OptOut)
            {
                arguments.Add("-p");
            }
        }

        arguments.AddRange([source, key.KeyFileBase]);
        await RunSignerAsync("ldns-signzone", arguments, keyDirectory, cancellationToken).ConfigureAwait(false);
    }

    // kzonesign signs with the keys of a KASP database: the lab's key goes in with keymgr import-bind,
    // as the only key, both KSK and ZSK (single-type signing), and the signatures last 30 days like dnssec-signzone's.
    private static async Task SignWithKnotAsync(
        string keyDirectory, string zone, string sourcePath, string signedPath, LabKey key, LabSigningOptions options, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(keyDirectory, "knot-" + zone.TrimEnd('.'));
        var output = Path.Combine(directory, "signed");
        Directory.CreateDirectory(output);
        var source = Path.Combine(directory, "source.zone");
        await File.WriteAllLinesAsync(source, (await File.ReadAllLinesAsync(sourcePath, cancellationToken).ConfigureAwait(false)).Where(l => l != key.DnskeyRecord), cancellationToken)
            .ConfigureAwait(false);
        var nsec3 = options.Nsec3Salt is null
            ? "    nsec3: off\n"
            : string.Create(CultureInfo.InvariantCulture, $"    nsec3: on\n    nsec3-iterations: {options.Nsec3Iterations}\n    nsec3-salt-length: {(options.Nsec3Salt == "-" ? 0 : options.Nsec3Salt.Length / 2)}\n    nsec3-opt-out: {(options.OptOut ? "on" : "off")}\n");
        var config = Path.Combine(directory, "knot.conf");
        await File.WriteAllTextAsync(config, $"""
            database:
                storage: "{directory}"
            keystore:
              - id: default
                backend: pem
                config: "{Path.Combine(directory, "keys")}"
            policy:
              - id: lab
                manual: on
                single-type-signing: on
                rrsig-lifetime: 30d
                rrsig-refresh: 1d
            {nsec3}zone:
              - domain: "{zone}"
                storage: "{directory}"
                file: "{source}"
                dnssec-policy: lab

            """, cancellationToken).ConfigureAwait(false);
        await LabProcess.RunCheckedAsync("keymgr", ["-c", config, zone, "import-bind", key.KeyFileBase + ".private"], directory, cancellationToken).ConfigureAwait(false);
        await LabProcess.RunCheckedAsync("keymgr", ["-c", config, zone, "set", key.KeyTag.ToString(CultureInfo.InvariantCulture), "ksk=yes", "zsk=yes"], directory, cancellationToken)
            .ConfigureAwait(false);
        await RunSignerAsync("kzonesign", ["-c", config, "-o", output, zone], directory, cancellationToken).ConfigureAwait(false);
        File.Copy(Path.Combine(output, "source.zone"), signedPath, overwrite: true);
    }

    private static async Task RunSignerAsync(string tool, IReadOnlyList<string> arguments, string directory, CancellationToken cancellationToken)
    {
        await Signers.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await LabProcess.RunCheckedAsync(tool, arguments, directory, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Signers.Release();
        }
    }
}

/// <summary>Where the RRSIGs of a <see cref="LabSignatureEdit"/> come from.</summary>
internal enum LabSignatureSource
{
    /// <summary>A signing valid 2020-01-01 to 2020-02-01.</summary>
    Expired,

    /// <summary>A signing whose inception is a day after the lab starts.</summary>
    NotYetValid,

    /// <summary>A signing valid from a day before the lab starts to three days after.</summary>
    ExpiringSoon,

    /// <summary>A signing with a key of the same algorithm that the zone does not publish.</summary>
    ForeignKey,
}

/// <summary>RRSIGs over <paramref name="Type"/> (at the apex only, unless told) taken from another signing: in place of the good ones, or beside them when <paramref name="Keep"/>.</summary>
internal sealed record LabSignatureEdit(string Type, LabSignatureSource Source, bool Keep = false, bool ApexOnly = true)
{
    /// <summary>The <see cref="Type"/> that stands for every type except DNSKEY.</summary>
    public const string AllButDnskey = "*";
}

/// <summary>How a lab zone is signed.</summary>
internal sealed record LabSigningOptions(bool Expired, string? Nsec3Salt, int Nsec3Iterations = 0, bool ExpiredExceptDnskey = false)
{
    public LabSigner.Tool Signer { get; init; }

    public bool OptOut { get; init; }

    public IReadOnlyList<LabSignatureEdit> Edits { get; init; } = [];

    public bool TamperSoa { get; init; }

    /// <summary>After signing, the apex NS TTL doubled (above the RRSIG's original TTL).</summary>
    public bool RaiseNsTtl { get; init; }

    public LabSecondKey SecondKey { get; init; }

    /// <summary>Signed in dnssec-signzone's full format and changed afterwards.</summary>
    public bool Edited => ExpiredExceptDnskey || Edits.Count > 0 || TamperSoa || RaiseNsTtl;
}

/// <summary>A key that signs beside the zone's own (SEP) key, whose DS the parent has.</summary>
internal enum LabSecondKey
{
    None,

    /// <summary>A zone-signing key (flags 256) of the same algorithm: it signs everything but the DNSKEY RRset, which the SEP key signs.</summary>
    ZoneSigningKey,

    /// <summary>A second SEP key of algorithm 8 (RSASHA256); both keys sign every RRset, as in the middle of an algorithm rollover.</summary>
    OtherAlgorithm,
}
