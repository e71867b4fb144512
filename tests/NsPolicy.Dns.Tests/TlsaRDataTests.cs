using NsPolicy.Dns.Records;

namespace NsPolicy.Dns.Tests;

public sealed class TlsaRDataTests
{
    [Fact]
    public void Parses_tlsa_text_with_split_hex_and_keeps_it_through_the_wire()
    {
        var data = RData.Parse(RecordType.TLSA, ["3", "1", "1", "0a0B", "0c"], DnsName.Root);

        var tlsa = Assert.IsType<TlsaRData>(data);
        Assert.Equal("3 1 1 0A0B0C", tlsa.ToString());
        Assert.Equal(TestData.Hex("03 01 01 0a0b0c"), tlsa.ToWire());
        Assert.Equal(data, RData.Parse(RecordType.TLSA, ["\\#", "6", "0301010a0b0c"], DnsName.Root));
    }

    [Fact]
    public void Rejects_a_tlsa_usage_above_one_octet()
    {
        var ex = Assert.Throws<FormatException>(() => RData.Parse(RecordType.TLSA, ["256", "1", "1", "00"], DnsName.Root));
        Assert.Equal("TLSA usage '256' is not a number from 0 to 255", ex.Message);
    }
}
