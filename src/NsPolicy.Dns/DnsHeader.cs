// The message header: RFC 1035 §4.1.1 (ID, QR, OPCODE, AA, TC, RD, RA, Z, RCODE), RFC 4035 §3.2
// (AD, CD), RFC 6891 §6.1.3 (RCODE extended to 12 bits through OPT).
namespace NsPolicy.Dns;

/// <summary>OPCODE values (IANA "DNS OpCodes").</summary>
public enum DnsOpcode : byte
{
    Query = 0,
    IQuery = 1,
    Status = 2,
    Notify = 4,
    Update = 5,
    Dso = 6,
}

/// <summary>RCODE values (IANA "DNS RCODEs"); values above 15 need an OPT record.</summary>
public enum DnsResponseCode : ushort
{
    NoError = 0,
    FormErr = 1,
    ServFail = 2,
    NXDomain = 3,
    NotImp = 4,
    Refused = 5,
    YXDomain = 6,
    YXRRSet = 7,
    NXRRSet = 8,
    NotAuth = 9,
    NotZone = 10,
    BadVers = 16,
    BadKey = 17,
    BadTime = 18,
    BadMode = 19,
    BadName = 20,
    BadAlg = 21,
    BadTrunc = 22,
    BadCookie = 23,
}

/// <summary>The fixed 12-octet header, without the section counts (those follow from the sections).</summary>
public sealed record DnsHeader
{
    public ushort Id { get; init; }

    /// <summary>QR: this is a response.</summary>
    public bool IsResponse { get; init; }

    public DnsOpcode Opcode { get; init; }

    /// <summary>AA: authoritative answer.</summary>
    public bool IsAuthoritative { get; init; }

    /// <summary>TC: truncated.</summary>
    public bool IsTruncated { get; init; }

    /// <summary>RD: recursion desired.</summary>
    public bool RecursionDesired { get; init; }

    /// <summary>RA: recursion available.</summary>
    public bool RecursionAvailable { get; init; }

    /// <summary>Z: the reserved bit, which must be zero; kept so a response is represented faithfully.</summary>
    public bool Reserved { get; init; }

    /// <summary>AD: authentic data (RFC 4035 §3.2.3).</summary>
    public bool AuthenticData { get; init; }

    /// <summary>CD: checking disabled (RFC 4035 §3.2.2).</summary>
    public bool CheckingDisabled { get; init; }

    /// <summary>The low 4 bits of the RCODE as carried in the header.</summary>
    public byte HeaderRcode { get; init; }

    /// <summary>The second 16-bit word of the header: QR, OPCODE, AA, TC, RD, RA, Z, AD, CD, RCODE.</summary>
    public ushort Flags =>
        (ushort)((IsResponse ? 0x8000 : 0)
            | (((byte)Opcode & 0xF) << 11)
            | (IsAuthoritative ? 0x0400 : 0)
            | (IsTruncated ? 0x0200 : 0)
            | (RecursionDesired ? 0x0100 : 0)
            | (RecursionAvailable ? 0x0080 : 0)
            | (Reserved ? 0x0040 : 0)
            | (AuthenticData ? 0x0020 : 0)
            | (CheckingDisabled ? 0x0010 : 0)
            | (HeaderRcode & 0xF));

    public static DnsHeader FromWire(ushort id, ushort flags) => new()
    {
        Id = id,
        IsResponse = (flags & 0x8000) != 0,
        Opcode = (DnsOpcode)((flags >> 11) & 0xF),
        IsAuthoritative = (flags & 0x0400) != 0,
        IsTruncated = (flags & 0x0200) != 0,
        RecursionDesired = (flags & 0x0100) != 0,
        RecursionAvailable = (flags & 0x0080) != 0,
        Reserved = (flags & 0x0040) != 0,
        AuthenticData = (flags & 0x0020) != 0,
        CheckingDisabled = (flags & 0x0010) != 0,
        HeaderRcode = (byte)(flags & 0xF),
    };

    /// <summary>Flag mnemonics as dig prints them, e.g. "qr aa rd".</summary>
    public override string ToString()
    {
        var flags = new List<string>();
        if (IsResponse)
        {
            flags.Add("qr");
        }

        if (IsAuthoritative)
        {
            flags.Add("aa");
        }

        if (IsTruncated)
        {
            flags.Add("tc");
        }

        if (RecursionDesired)
        {
            flags.Add("rd");
        }

        if (RecursionAvailable)
        {
            flags.Add("ra");
        }

        if (AuthenticData)
        {
            flags.Add("ad");
        }

        if (CheckingDisabled)
        {
            flags.Add("cd");
        }

        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"id {Id} opcode {Opcode} rcode {HeaderRcode} flags: {string.Join(' ', flags)}");
    }
}
