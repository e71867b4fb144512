// RDATA of a resource record: RFC 1035 §3.2.1 (RR format), RFC 3597 (unknown types, generic
// "\# len hex" form), RFC 4034 §6.2 (canonical form, which also defines value equality here).
using System.Globalization;

namespace NsPolicy.Dns.Records;

/// <summary>
/// The data of a resource record. Subclasses are immutable; two RDATA are equal when they have the
/// same type and the same canonical wire form (RFC 4034 §6.2), so name case is ignored where DNSSEC
/// ignores it and nowhere else.
/// </summary>
public abstract class RData : IEquatable<RData>
{
    private byte[]? _canonical;

    private protected RData()
    {
    }

    public abstract RecordType Type { get; }

    /// <summary>Uncompressed wire form, names in their original case.</summary>
    public byte[] ToWire()
    {
        var writer = new WireWriter(compress: false, canonical: false);
        WriteTo(writer);
        return writer.ToArray();
    }

    /// <summary>Canonical wire form of RFC 4034 §6.2: uncompressed, names lower-cased in the types it lists.</summary>
    public ReadOnlySpan<byte> CanonicalWire => _canonical ??= BuildCanonical();

    /// <summary>The RFC 3597 §5 generic form: <c>\# length hex</c>.</summary>
    public string ToGenericString()
    {
        var wire = ToWire();
        return wire.Length == 0
            ? "\\# 0"
            : string.Create(CultureInfo.InvariantCulture, $"\\# {wire.Length} {Convert.ToHexString(wire)}");
    }

    /// <summary>
    /// Presentation form of the RDATA as BIND prints it on one line (base64 and hex unsplit). Names
    /// keep their original case, as in BIND; compare names with <see cref="DnsName"/>, not text.
    /// </summary>
    public abstract override string ToString();

    public bool Equals(RData? other) =>
        other is not null && other.Type == Type && CanonicalWire.SequenceEqual(other.CanonicalWire);

    public override bool Equals(object? obj) => Equals(obj as RData);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Type);
        hash.AddBytes(CanonicalWire);
        return hash.ToHashCode();
    }

    /// <summary>
    /// Parses presentation tokens (as a zone-file tokenizer yields them: quoted strings keep their
    /// quotes and escapes, parentheses and comments removed). Relative names are completed with
    /// <paramref name="origin"/>. The generic form <c>\# len hex</c> is accepted for every type.
    /// Throws <see cref="FormatException"/> with a plain reason.
    /// </summary>
    public static RData Parse(RecordType type, IReadOnlyList<string> tokens, DnsName origin)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(origin);
        return Parse(type, new StringTokens(tokens), origin, names: null);
    }

    /// <summary>As <see cref="Parse(RecordType, IReadOnlyList{string}, DnsName)"/>, for tokens held as characters (the zone-file loader's).</summary>
    internal static RData Parse(RecordType type, IPresentationTokens tokens, DnsName origin, INameParser? names)
    {
        if (tokens.Count > 0 && tokens.Span(0) is "\\#")
        {
            var texts = new string[tokens.Count];
            for (var i = 0; i < texts.Length; i++)
            {
                texts[i] = tokens.Text(i);
            }

            return ParseGeneric(type, texts);
        }

        var reader = new TokenReader(type, tokens, origin, names);
        var data = ParseTyped(type, reader);
        reader.ExpectEnd();
        CheckLength(data, tokens);
        return data;
    }

    /// <summary>RDLENGTH is 16 bits (RFC 1035 §3.2.1): RDATA is at most this many octets.</summary>
    public const int MaxLength = ushort.MaxValue;

    // Each presentation character makes at most a few wire octets (a one-digit number in a 32-bit
    // field makes four, '@' makes the origin), so only long entries can exceed the limit: the wire
    // form is built to measure only for those.
    private static void CheckLength(RData data, IPresentationTokens tokens)
    {
        long chars = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            chars += tokens.Span(i).Length + 1;
        }

        if (chars * 8 + 1024 <= MaxLength)
        {
            return;
        }

        var length = data.ToWire().Length;
        if (length > MaxLength)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                $"{data.Type} RDATA is {length} octets; the limit is {MaxLength} (RFC 1035 §3.2.1)"));
        }
    }

    /// <summary>Parses one line of presentation text (split on white space outside quotes).</summary>
    public static RData Parse(RecordType type, string text, DnsName origin) =>
        Parse(type, Presentation.Tokenize(text), origin);

    /// <summary>Decodes RDATA octets (uncompressed) as <paramref name="type"/>. Throws <see cref="DnsFormatException"/>.</summary>
    public static RData FromWire(RecordType type, ReadOnlySpan<byte> rdata)
    {
        var bytes = rdata.ToArray();
        return Read(type, new WireReader(bytes), bytes.Length);
    }

    /// <summary>Reads RDATA of <paramref name="length"/> octets at the reader's position and checks it ends exactly there.</summary>
    internal static RData Read(RecordType type, WireReader reader, int length)
    {
        var start = reader.Position;
        var end = start + length;
        var previous = reader.PushLimit(end, type);
        RData data;
        try
        {
            data = ReadTyped(type, reader, length);
        }
        finally
        {
            reader.PopLimit(previous);
        }

        if (reader.Position != end)
        {
            throw WireReader.Error(reader.Position, string.Create(CultureInfo.InvariantCulture,
                $"RDATA of {type} has {WireReader.Octets(end - reader.Position)} left over after its fields (RDLENGTH {length})"));
        }

        return data;
    }

    internal abstract void WriteTo(WireWriter writer);

    private static RData ReadTyped(RecordType type, WireReader r, int length) => type.Value switch
    {
        1 => ARData.Read(r),
        2 => NsRData.Read(r),
        5 => CnameRData.Read(r),
        6 => SoaRData.Read(r),
        12 => PtrRData.Read(r),
        15 => MxRData.Read(r),
        16 => TxtRData.Read(r, length),
        28 => AaaaRData.Read(r),
        33 => SrvRData.Read(r),
        39 => DnameRData.Read(r),
        41 => OptRData.Read(r),
        43 => DsRData.Read(r),
        46 => RrsigRData.Read(r),
        47 => NsecRData.Read(r),
        48 => DnskeyRData.Read(r),
        50 => Nsec3RData.Read(r),
        51 => Nsec3ParamRData.Read(r),
        52 => TlsaRData.Read(r),
        59 => CdsRData.Read(r),
        60 => CdnskeyRData.Read(r),
        257 => CaaRData.Read(r),
        _ => new UnknownRData(type, [.. r.ReadRest()]),
    };

    private static RData ParseTyped(RecordType type, TokenReader t) => type.Value switch
    {
        1 => ARData.Parse(t),
        2 => NsRData.Parse(t),
        5 => CnameRData.Parse(t),
        6 => SoaRData.Parse(t),
        12 => PtrRData.Parse(t),
        15 => MxRData.Parse(t),
        16 => TxtRData.Parse(t),
        28 => AaaaRData.Parse(t),
        33 => SrvRData.Parse(t),
        39 => DnameRData.Parse(t),
        43 => DsRData.Parse(t),
        46 => RrsigRData.Parse(t),
        47 => NsecRData.Parse(t),
        48 => DnskeyRData.Parse(t),
        50 => Nsec3RData.Parse(t),
        51 => Nsec3ParamRData.Parse(t),
        52 => TlsaRData.Parse(t),
        59 => CdsRData.Parse(t),
        60 => CdnskeyRData.Parse(t),
        257 => CaaRData.Parse(t),
        _ => throw new FormatException($"{type} has no presentation form here; use the generic form \\# length hex"),
    };

    // RFC 3597 §5: "\# <length> <hex...>"; for a known type the octets are decoded as that type.
    private static RData ParseGeneric(RecordType type, IReadOnlyList<string> tokens)
    {
        if (tokens.Count < 2
            || tokens[1].Length == 0
            || tokens[1].AsSpan().IndexOfAnyExceptInRange('0', '9') >= 0
            || !int.TryParse(tokens[1], NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            || length > ushort.MaxValue)
        {
            throw new FormatException("generic RDATA needs a decimal length after \\#");
        }

        var hex = string.Concat(tokens.Skip(2));
        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            throw new FormatException($"generic RDATA '{Excerpt.Of(hex)}' is not hexadecimal");
        }

        if (bytes.Length != length)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"generic RDATA says {length} octets but has {bytes.Length}"));
        }

        try
        {
            return FromWire(type, bytes);
        }
        catch (DnsFormatException ex)
        {
            throw new FormatException($"generic RDATA is not valid {type} data: {ex.Reason}");
        }
    }

    private byte[] BuildCanonical()
    {
        var writer = new WireWriter(compress: false, canonical: true);
        WriteTo(writer);
        return writer.ToArray();
    }
}
