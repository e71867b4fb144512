namespace NsPolicy.Dns.Tests.Lab;

/// <summary>One lab for every test of the "dns-lab" collection in a test run.</summary>
public sealed class DnsLabFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private DnsLab? lab;

    public DnsLab Lab => lab ?? throw new InvalidOperationException("the lab has not been started");

    public async Task InitializeAsync()
    {
        using var limit = new CancellationTokenSource(StartTimeout);
        lab = await DnsLab.StartAsync(limit.Token).ConfigureAwait(false);
    }

    public async Task DisposeAsync()
    {
        if (lab is not null)
        {
            await lab.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>Tests that use <see cref="DnsLabFixture"/> join this collection: <c>[Collection(DnsLabCollection.Name)]</c>.</summary>
[CollectionDefinition(Name)]
public sealed class DnsLabCollection : ICollectionFixture<DnsLabFixture>
{
    public const string Name = "dns-lab";
}
