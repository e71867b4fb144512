using NsPolicy.Core.GitHub;

namespace NsPolicy.Core.Tests.GitHub;

public sealed class IssueMarkerTests
{
    [Theory]
    [InlineData("<!-- nspolicy:zone=example.com. -->\n\nbody", "example.com.")]
    [InlineData("text first\r\n<!-- nspolicy:zone=xn--bcher-kva.example. -->", "xn--bcher-kva.example.")]
    [InlineData("<!-- nspolicy:zone=a. --> then <!-- nspolicy:zone=b. -->", "a.")]
    [InlineData("<!-- nspolicy:zone=two words. -->", null)]
    [InlineData("<!-- nspolicy:zone= -->", null)]
    [InlineData("<!-- nspolicy:zone=example.com.", null)]
    [InlineData("<!-- nspolicy:comment=pr -->", null)]
    [InlineData("nspolicy:zone=example.com.", null)]
    public void Reads_the_zone_from_a_marker_and_nothing_from_anything_else(string body, string? zone)
    {
        Assert.Equal(zone is not null, IssueMarker.TryReadZone(body, out var read));
        Assert.Equal(zone ?? string.Empty, read);
    }

    [Fact]
    public void A_zone_marker_reads_back_as_its_zone()
    {
        Assert.True(IssueMarker.TryReadZone(IssueMarker.ForZone("example.com."), out var zone));
        Assert.Equal("example.com.", zone);
    }

    [Fact]
    public void A_comment_key_that_could_break_out_of_the_HTML_comment_is_refused()
    {
        Assert.Throws<ArgumentException>(() => IssueMarker.ForComment("x -->"));
        Assert.Equal("<!-- nspolicy:comment=pr -->", IssueMarker.ForComment("pr"));
    }
}
