// The zone-file loader parses names from character spans with a fast path for plain ASCII; every
// input must give exactly what the string parser gives: the same labels (case kept), or the same error.
namespace NsPolicy.Dns.Tests;

public sealed class DnsNameSpanParsingTests
{
    private static readonly DnsName Origin = DnsName.Parse("Zone.Example.");

    [Theory]
    [InlineData("www")]
    [InlineData("WWW.Sub")]
    [InlineData("host.example.com.")]
    [InlineData("@")]
    [InlineData(".")]
    [InlineData("*.wild")]
    [InlineData("_sip._udp")]
    [InlineData("a..b")]
    [InlineData(".lead")]
    [InlineData("..")]
    [InlineData("trailing..")]
    [InlineData("esc\\.aped")]
    [InlineData("dec\\065imal")]
    [InlineData("bad\\99")]
    [InlineData("bücher")]
    [InlineData("x@y")]
    [InlineData("a/b!c~d")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123")]
    [InlineData("012345678901234567890123456789012345678901234567890123456789012")]
    public void Parses_a_span_exactly_as_the_string_parser_does(string text)
    {
        var fromString = DnsName.TryParse(text, Origin, out var expected, out var expectedError);
        var fromSpan = DnsName.TryParse(text.AsSpan(), Origin, out var actual, out var actualError);

        Assert.Equal(fromString, fromSpan);
        Assert.Equal(expectedError, actualError);
        Assert.Equal(expected?.ToOriginalCaseString(), actual?.ToOriginalCaseString());
        Assert.Equal(expected?.ToWire(), actual?.ToWire());
    }

    [Fact]
    public void Rejects_a_name_longer_than_255_octets_from_a_span_as_from_a_string()
    {
        var text = string.Join('.', Enumerable.Repeat(new string('a', 60), 5));

        var fromSpan = DnsName.TryParse(text.AsSpan(), Origin, out _, out var spanError);
        DnsName.TryParse(text, Origin, out _, out var stringError);

        Assert.False(fromSpan);
        Assert.Equal(stringError, spanError);
    }
}
