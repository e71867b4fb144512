using NsPolicy.Core.Secrets;
using NsPolicy.Dns;

namespace NsPolicy.Core.Tests;

public sealed class SecretMaskerTests
{
    private const string Token = "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ab";

    private static readonly SecretMasker Masker = SecretMasker.For(
        [new("GITHUB_TOKEN", Token), new("DEPLOY_KEY", "hunter2-deploy"), new("PATH", "/usr/bin:/bin")], gitHubToken: null);

    [Theory]
    [InlineData(Token)]
    [InlineData("GITHUB_PAT_11ABCDEFG0123456789_ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789AB")]
    [InlineData("hunter2-deploy")]
    [InlineData("HUNTER2-DEPLOY")]
    public void A_secret_in_any_of_its_forms_is_masked(string form) =>
        Assert.Equal("token: ***.", Masker.Apply($"token: {form}."));

    [Fact]
    public void A_secret_in_base64_is_masked() =>
        Assert.DoesNotContain(Convert.ToBase64String("hunter2-deploy"u8.ToArray()).TrimEnd('='), Masker.Apply("x " + Convert.ToBase64String("hunter2-deploy"u8.ToArray())), StringComparison.Ordinal);

    [Theory]
    [InlineData("")]
    [InlineData("TOKEN=")]
    [InlineData("\"")]
    public void An_excerpt_cut_inside_a_secret_shows_none_of_it(string before)
    {
        var message = $"error: '{Excerpt.Of(before + Token)}': is not hexadecimal";

        var masked = Masker.Apply(message);

        Assert.Contains("***…", masked, StringComparison.Ordinal);
        Assert.DoesNotContain(Token[..SecretMasker.MinLength], masked, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_of_other_variables_and_text_that_only_starts_like_a_secret_are_kept() =>
        Assert.Equal("/usr/bin:/bin github_pat_x… hunte…", Masker.Apply("/usr/bin:/bin github_pat_x… hunte…"));
}
