using NsPolicy.Dns.Tests.Lab;

namespace NsPolicy.Dns.Tests.LabTests;

[Collection(DnsLabCollection.Name)]
public sealed class DnsLabStartupTests(DnsLabFixture fixture)
{
    [Fact]
    public async Task Root_refers_test_to_both_tld_servers()
    {
        var lab = fixture.Lab;
        var answer = await LabDig.QueryAsync(lab.RootServerAddress, "good.test.", "SOA", TestContext.Token);
        Assert.Equal("NOERROR", answer.Status);
        Assert.False(answer.HasFlag("aa"), answer.ToString());
        Assert.Equal(["a.nic.test.", "b.nic.test."], LabDigResult.Data(answer.Authority, "NS"));
    }
}

internal static class TestContext
{
    public static CancellationToken Token => CancellationToken.None;
}
