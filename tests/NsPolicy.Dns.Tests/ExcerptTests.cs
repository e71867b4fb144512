namespace NsPolicy.Dns.Tests;

/// <summary>The one helper every message uses to quote what it read.</summary>
public sealed class ExcerptTests
{
    [Theory]
    [InlineData("ns1.example.com.", "ns1.example.com.")]
    [InlineData("a\\000b\\\"c", "a\\000b\\\"c")]
    [InlineData("caf\u00e9", "caf\u00e9")]
    [InlineData("\u001b[2J\u001b[31mred", "\\027[2J\\027[31mred")]
    [InlineData("nul\u0000\r\n\t", "nul\\000\\013\\010\\009")]
    [InlineData("del\u007f c1\u0085", "del\\127 c1\\194\\133")]
    [InlineData("\u202egnp.exe", "\\226\\128\\174gnp.exe")]
    [InlineData("zero\u200bwidth\ufeff", "zero\\226\\128\\139width\\239\\187\\191")]
    [InlineData("nb\u00a0sp", "nb\\194\\160sp")]
    [InlineData("\ud83d\ude00", "\ud83d\ude00")]
    public void Control_and_non_printable_characters_are_written_as_decimal_octets(string text, string expected) =>
        Assert.Equal(expected, Excerpt.Of(text));

    [Fact]
    public void A_lone_surrogate_is_shown_as_the_replacement_characters_octets() =>
        Assert.Equal("lone\\239\\191\\189", Excerpt.Of("lone" + (char)0xD800));

    [Fact]
    public void A_long_token_is_cut_to_forty_characters_and_marked()
    {
        var shown = Excerpt.Of(new string('x', 1_000_000));

        Assert.Equal(new string('x', Excerpt.MaxChars) + "…", shown);
    }

    [Fact]
    public void Escapes_count_towards_the_limit_and_are_never_cut_in_half()
    {
        var shown = Excerpt.Of(new string('\u001b', 100));

        Assert.Equal(string.Concat(Enumerable.Repeat("\\027", 10)) + "…", shown);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("\u001b]0;title\u0007")]
    [InlineData("\u202e\u202e\u202e\u202e\u202e\u202e\u202e\u202e\u202e\u202e")]
    [InlineData("0123456789012345678901234567890123456789x")]
    public void Quoting_an_excerpt_again_changes_nothing(string text)
    {
        var once = Excerpt.Of(text);

        Assert.Equal(once, Excerpt.Of(once));
    }

    [Fact]
    public void A_longer_limit_is_kept_for_foreign_messages() =>
        Assert.Equal(new string('m', 300) + "…", Excerpt.Of(new string('m', 301), 300));
}
