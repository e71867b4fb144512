// OPT: RFC 6891 §6.1.2 — the EDNS(0) pseudo-record's RDATA, a sequence of {code, length, data}
// options. It has no presentation form of its own, so it prints in the generic form of RFC 3597 §5.
using System.Collections.Immutable;
using System.Globalization;

namespace NsPolicy.Dns.Records;

/// <summary>One EDNS option (RFC 6891 §6.1.2); codes in the IANA "DNS EDNS0 Option Codes" registry.</summary>
public sealed class EdnsOption : IEquatable<EdnsOption>
{
    public EdnsOption(ushort code, ImmutableArray<byte> data)
    {
        data = data.IsDefault ? [] : data;
        if (data.Length > ushort.MaxValue)
        {
            throw new ArgumentException("EDNS option data is at most 65535 octets", nameof(data));
        }

        Code = code;
        Data = data;
    }

    /// <summary>NSID, RFC 5001.</summary>
    public const ushort NsidCode = 3;

    /// <summary>Client subnet, RFC 7871.</summary>
    public const ushort ClientSubnetCode = 8;

    /// <summary>Cookie, RFC 7873.</summary>
    public const ushort CookieCode = 10;

    /// <summary>Extended DNS error, RFC 8914.</summary>
    public const ushort ExtendedErrorCode = 15;

    public ushort Code { get; }

    public ImmutableArray<byte> Data { get; }

    public bool Equals(EdnsOption? other) => other is not null && other.Code == Code && other.Data.AsSpan().SequenceEqual(Data.AsSpan());

    public override bool Equals(object? obj) => Equals(obj as EdnsOption);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Code);
        hash.AddBytes(Data.AsSpan());
        return hash.ToHashCode();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Code}:{Convert.ToHexString(Data.AsSpan())}");
}

public sealed class OptRData : RData
{
    public OptRData(IEnumerable<EdnsOption> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = [.. options];
    }

    public static OptRData Empty { get; } = new([]);

    public ImmutableArray<EdnsOption> Options { get; }

    public override RecordType Type => RecordType.OPT;

    public override string ToString() => ToGenericString();

    internal override void WriteTo(WireWriter writer)
    {
        foreach (var option in Options)
        {
            writer.WriteUInt16(option.Code);
            writer.WriteUInt16((ushort)option.Data.Length);
            writer.WriteBytes(option.Data.AsSpan());
        }
    }

    internal static OptRData Read(WireReader r)
    {
        var options = new List<EdnsOption>();
        while (r.Remaining > 0)
        {
            var code = r.ReadUInt16("EDNS option code");
            var at = r.Position;
            var length = r.ReadUInt16("EDNS option length");
            if (length > r.Remaining)
            {
                throw WireReader.Error(at, string.Create(CultureInfo.InvariantCulture,
                    $"EDNS option {code} says {length} octets but only {r.Remaining} remain in the OPT RDATA"));
            }

            options.Add(new EdnsOption(code, [.. r.ReadBytes(length, "EDNS option data")]));
        }

        return new OptRData(options);
    }
}
