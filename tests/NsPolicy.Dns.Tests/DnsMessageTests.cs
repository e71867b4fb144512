using System.Net;
using NsPolicy.Dns.Records;

namespace NsPolicy.Dns.Tests;

public sealed class DnsMessageTests
{
    private static readonly DnsName Example = DnsName.Parse("example.com");

    [Fact]
    public void Builds_a_query_with_edns_and_the_do_bit_octet_for_octet()
    {
        var query = DnsMessage.CreateQuery(0x1234, Example, RecordType.A, recursionDesired: true, dnssecOk: true);
        const string expected =
            "1234 0100 0001 0000 0000 0001" // ID, RD, one question, one additional
            + "076578616D706C6503636F6D00 0001 0001" // example.com. A IN
            + "00 0029 04D0 00008000 0000"; // OPT: root, UDP 1232, ext-rcode 0, version 0, DO, no options
        Assert.Equal(TestData.Hex(expected), query.ToWire());
        Assert.Equal(query, DnsMessage.FromWire(query.ToWire()));
        Assert.True(query.Edns!.DnssecOk);
        Assert.Equal(1232, query.Edns.UdpPayloadSize);
    }

    [Fact]
    public void Compresses_owner_names_and_ns_targets_as_rfc_1035_describes()
    {
        var response = new DnsMessage
        {
            Header = new DnsHeader { Id = 0xBEEF, IsResponse = true, IsAuthoritative = true, RecursionDesired = true },
            Questions = [new DnsQuestion(Example, RecordType.NS)],
            Answers =
            [
                new ResourceRecord(Example, 3600, new NsRData(DnsName.Parse("ns1.example.com"))),
                new ResourceRecord(Example, 3600, new NsRData(DnsName.Parse("ns2.example.net"))),
            ],
            Additional = [new ResourceRecord(DnsName.Parse("ns1.example.com"), 3600, new ARData(IPAddress.Parse("192.0.2.1")))],
        };
        const string expected =
            "BEEF 8500 0001 0002 0000 0001"
            + "076578616D706C6503636F6D00 0002 0001" // question at offset 12
            + "C00C 0002 0001 00000E10 0006 036E7331 C00C" // ns1 + pointer to example.com (12); ns1 at 41
            + "C00C 0002 0001 00000E10 0011 036E7332076578616D706C65036E657400"
            + "C029 0001 0001 00000E10 0004 C0000201"; // owner is a pointer to ns1.example.com at 41
        Assert.Equal(TestData.Hex(expected), response.ToWire());
        Assert.Equal(response, DnsMessage.FromWire(TestData.Hex(expected)));
    }

    [Fact]
    public void Compresses_mx_targets_but_never_srv_targets_or_unknown_rdata()
    {
        var message = new DnsMessage
        {
            Header = new DnsHeader { IsResponse = true },
            Answers =
            [
                new ResourceRecord(Example, 60, new MxRData(10, Example)),
                new ResourceRecord(Example, 60, new SrvRData(0, 0, 5060, Example)),
                new ResourceRecord(Example, 60, new NsecRData(Example, [RecordType.A])),
            ],
        };
        var wire = message.ToWire();

        // Header 12; MX: owner 13 + 10 fixed + RDATA (2 + pointer 2) = 27; SRV: pointer owner 2 + 10 + (6 + 13); NSEC: 2 + 10 + (13 + 3).
        Assert.Equal(12 + 13 + 10 + 4 + 2 + 10 + 19 + 2 + 10 + 16, wire.Length);
        Assert.Equal(message, DnsMessage.FromWire(wire));
    }

    [Fact]
    public void Round_trips_every_record_type_through_a_compressed_message()
    {
        var origin = DnsName.Parse("example.");
        var records = File.ReadAllLines(TestData.PathOf("rdata", "rdata.golden"))
            .Select(l => l.Split('\t'))
            .Select((f, i) => new ResourceRecord(DnsName.Parse($"r{i}.example"), (uint)i, RData.Parse(RecordType.Parse(f[0]), f[1], origin)))
            .ToList();
        var message = new DnsMessage
        {
            Header = new DnsHeader { Id = 7, IsResponse = true, AuthenticData = true },
            Questions = [new DnsQuestion(origin, RecordType.ANY)],
            Answers = [.. records.Take(records.Count / 2)],
            Authority = [.. records.Skip(records.Count / 2)],
            Additional = [new EdnsInfo { UdpPayloadSize = 4096, Options = [new EdnsOption(EdnsOption.NsidCode, [0x6E, 0x73])] }.ToRecord()],
        };
        var read = DnsMessage.FromWire(message.ToWire());
        Assert.Equal(message, read);
        Assert.Equal(message.Answers.Select(r => r.ToString()), read.Answers.Select(r => r.ToString()));
        var option = Assert.Single(read.Edns!.Options);
        Assert.True(new EdnsOption(3, [0x6E, 0x73]).Equals(option), option.ToString());
    }

    [Fact]
    public void Combines_the_extended_rcode_from_opt_with_the_header()
    {
        var message = new DnsMessage
        {
            Header = new DnsHeader { IsResponse = true, HeaderRcode = 0 },
            Additional = [new EdnsInfo { ExtendedRcode = 1 }.ToRecord()],
        };
        Assert.Equal(DnsResponseCode.BadVers, DnsMessage.FromWire(message.ToWire()).ResponseCode);
        Assert.Equal(DnsResponseCode.NXDomain, (message with { Header = message.Header with { HeaderRcode = 3 }, Additional = [] }).ResponseCode);
    }

    [Fact]
    public void Keeps_every_header_flag()
    {
        for (var bit = 0; bit < 16; bit++)
        {
            var flags = (ushort)(1 << bit);
            Assert.Equal(flags, DnsHeader.FromWire(1, flags).Flags);
        }

        var header = DnsHeader.FromWire(0xABCD, 0x8000 | (5 << 11) | 0x0400 | 0x0200 | 0x0100 | 0x0080 | 0x0020 | 0x0010 | 0x0005);
        Assert.Equal(DnsOpcode.Update, header.Opcode);
        Assert.Equal("id 43981 opcode Update rcode 5 flags: qr aa tc rd ra ad cd", header.ToString());
    }

    [Fact]
    public void Keeps_unknown_types_and_classes_raw()
    {
        var message = new DnsMessage
        {
            Header = new DnsHeader(),
            Answers = [new ResourceRecord(Example, new RecordClass(3), 5, new UnknownRData(new RecordType(65280), [1, 2, 3]))],
        };
        var read = DnsMessage.FromWire(message.ToWire());
        Assert.Equal("example.com.\t5\tCH\tTYPE65280\t\\# 3 010203", read.Answers[0].ToString());
    }
}
