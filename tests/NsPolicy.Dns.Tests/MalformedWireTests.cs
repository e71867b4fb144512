namespace NsPolicy.Dns.Tests;

// Each case: the hex of a broken message, where the reader must stop, and why.
public sealed class MalformedWireTests
{
    private const string OneQuestion = "0000 0000 0001 0000 0000 0000";
    private const string OneAnswer = "0000 8000 0000 0001 0000 0000";
    private const string RecordHead = "00 0001 0001 00000E10"; // root owner, type A, class IN, TTL 3600

    public static TheoryData<string, string, int, string> Cases()
    {
        var tooLong = string.Concat(Enumerable.Repeat("3F" + new string('6', 126), 4)) + "00";
        return new TheoryData<string, string, int, string>
        {
            { "truncated header", "1234 0100 0001", 0, "message is 6 octets, shorter than the 12-octet header" },
            { "empty message", string.Empty, 0, "message is 0 octets, shorter than the 12-octet header" },
            { "question name cut short", OneQuestion + "07 6578616D", 12, "label of 7 octets in question name runs past the end of the data" },
            { "question type missing", OneQuestion + "00 00", 13, "question type needs 2 octets but only 1 remain" },
            { "pointer loop", OneQuestion + "0161 C00C 0001 0001", 14, "compression pointer loop in question name (pointer to offset 12)" },
            { "forward pointer", OneQuestion + "C020 0001 0001", 12, "compression pointer in question name points forward to offset 32" },
            { "pointer to itself", OneQuestion + "C00C 0001 0001", 12, "compression pointer in question name points forward to offset 12" },
            { "half a pointer", OneQuestion + "C0", 12, "compression pointer in question name runs past the end of the data" },
            { "label type 0x40", OneQuestion + "41 61 00 0001 0001", 12, "label type 0x40 in question name is not supported (labels are at most 63 octets)" },
            { "label type 0x80", OneQuestion + "81 61 00 0001 0001", 12, "label type 0x80 in question name is not supported (labels are at most 63 octets)" },
            { "name longer than 255 octets", OneQuestion + tooLong + "0001 0001", 12, "question name is longer than 255 octets" },
            { "RDLENGTH past the end", OneAnswer + RecordHead + "0004 C000", 21, "RDLENGTH 4 of . A runs 2 octets past the end of the message" },
            { "RDATA shorter than its type", OneAnswer + RecordHead + "0003 C00002", 23, "A address needs 4 octets but only 3 remain" },
            { "RDATA longer than its type", OneAnswer + RecordHead + "0005 C0000201 FF", 27, "RDATA of A has 1 octet left over after its fields (RDLENGTH 5)" },
            { "name in RDATA beyond RDLENGTH", OneAnswer + "00 0002 0001 00000E10 0002 036E7331 00", 23, "label of 3 octets in NS target runs past the end of the data" },
            { "octets after the last record", OneQuestion + "00 0001 0001 00", 17, "1 octet follow the last record" },
            { "OPT in the answer section", OneAnswer + "00 0029 1000 00000000 0000", 12, "OPT record in the answer section" },
            { "two OPT records", "0000 8000 0000 0000 0000 0002" + "00 0029 1000 00000000 0000" + "00 0029 1000 00000000 0000", 23, "more than one OPT record" },
            { "OPT not at the root", "0000 8000 0000 0000 0000 0001" + "0161 00 0029 1000 00000000 0000", 12, "OPT record owned by a. instead of the root" },
            { "EDNS option overrun", "0000 8000 0000 0000 0000 0001" + "00 0029 1000 00000000 0006 0003 0005 6E73", 25, "EDNS option 3 says 5 octets but only 2 remain in the OPT RDATA" },
            { "TXT string overrun", OneAnswer + "00 0010 0001 00000E10 0003 05 6869", 23, "TXT character-string of 5 octets runs past the end of the data" },
            { "empty TXT", OneAnswer + "00 0010 0001 00000E10 0000", 23, "TXT RDATA is empty; it needs at least one character-string" },
            { "type bitmap out of order", OneAnswer + "00 002F 0001 00000E10 0007 00 0001 40 0001 40", 27, "type bitmap window 0 is out of order or repeated" },
            { "type bitmap too long", OneAnswer + "00 002F 0001 00000E10 0003 00 0021 40", 25, "type bitmap length 33 is outside 1–32" },
            { "CAA tag empty", OneAnswer + "00 0101 0001 00000E10 0003 00 00 41", 24, "CAA tag must be 1–15 ASCII letters and digits" },
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rejects_malformed_messages_with_offset_and_reason(string description, string hex, int offset, string reason)
    {
        var ex = Assert.Throws<DnsFormatException>(() => DnsMessage.FromWire(TestData.Hex(hex)));
        Assert.True(reason == ex.Reason, $"{description}: {ex.Reason}");
        Assert.True(offset == ex.Offset, $"{description}: offset {ex.Offset}");
        Assert.Equal($"malformed DNS data at offset {offset}: {reason}", ex.Message);
    }

    [Fact]
    public void Follows_a_chain_of_backward_pointers()
    {
        // Question a.example. at 12; answer owner b + pointer to 12; second answer owner pointer to the first answer owner.
        var hex = "0000 8000 0001 0002 0000 0000"
            + "0161 076578616D706C65 00 0001 0001" // 12: a.example.
            + "0162 C00E 0001 0001 00000000 0004 7F000001" // 27: b + pointer to example. (14)
            + "C01B 0001 0001 00000000 0004 7F000002"; // pointer to 27: b.example.
        var message = DnsMessage.FromWire(TestData.Hex(hex));
        Assert.Equal("b.example.", message.Answers[0].Owner.ToString());
        Assert.Equal("b.example.", message.Answers[1].Owner.ToString());
    }

    [Fact]
    public void Random_bytes_raise_nothing_but_dns_format_exceptions()
    {
        var random = new Random(20240101);
        var seed = DnsMessage.CreateQuery(1, DnsName.Parse("www.example.com"), RecordType.AAAA, true, true).ToWire();
        var rejected = 0;
        for (var i = 0; i < 20000; i++)
        {
            byte[] data;
            if (i % 2 == 0)
            {
                data = new byte[random.Next(0, 80)];
                random.NextBytes(data);
                if (data.Length >= 12)
                {
                    // Small counts so that the reader gets past the header more often.
                    for (var k = 4; k < 12; k += 2)
                    {
                        data[k] = 0;
                        data[k + 1] = (byte)random.Next(0, 3);
                    }
                }
            }
            else
            {
                data = (byte[])seed.Clone();
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    data[random.Next(data.Length)] = (byte)random.Next(256);
                }
            }

            try
            {
                DnsMessage.FromWire(data);
            }
            catch (DnsFormatException ex)
            {
                Assert.InRange(ex.Offset, 0, Math.Max(0, data.Length));
                rejected++;
            }
        }

        Assert.True(rejected > 1000, $"only {rejected} inputs were rejected; the generator is not exercising the reader");
    }
}
