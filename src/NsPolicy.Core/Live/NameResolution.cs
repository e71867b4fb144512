// Nameserver names resolved from the root (A and AAAA), once per run whoever asks.
using System.Collections.Concurrent;
using System.Net;
using NsPolicy.Core.Evidence;
using NsPolicy.Dns;
using NsPolicy.Dns.Records;
using NsPolicy.Dns.Resolution;

namespace NsPolicy.Core.Live;

internal sealed class NameResolution(IterativeResolver resolver)
{
    private readonly ConcurrentDictionary<DnsName, Lazy<Task<NameResolutionEvidence>>> names = new();

    public Task<NameResolutionEvidence> ResolveAsync(DnsName name, CancellationToken runToken) =>
        names.GetOrAdd(name, n => new Lazy<Task<NameResolutionEvidence>>(() => ResolveCoreAsync(n, runToken))).Value;

    private async Task<NameResolutionEvidence> ResolveCoreAsync(DnsName name, CancellationToken runToken)
    {
        var a = resolver.ResolveAsync(name, RecordType.A, runToken);
        var aaaa = resolver.ResolveAsync(name, RecordType.AAAA, runToken);
        var results = await Task.WhenAll(a, aaaa).ConfigureAwait(false);
        var (v4, v6) = (results[0], results[1]);
        var chain = v4.Answers.Select(r => r.Data).OfType<CnameRData>().Select(c => c.Target).ToList();
        var addresses = results.SelectMany(r => r.Answers)
            .Select(r => r.Data switch { ARData x => x.Address, AaaaRData x => x.Address, _ => null })
            .OfType<IPAddress>()
            .Distinct()
            .OrderBy(x => x, AddressOrder.Instance)
            .ToList();
        if (addresses.Count > 0)
        {
            return new NameResolutionEvidence { Result = ResolutionResult.Addresses, CnameChain = chain, Addresses = addresses };
        }

        if (v4.Status == ResolutionStatus.NXDomain || v6.Status == ResolutionStatus.NXDomain)
        {
            var nx = v4.Status == ResolutionStatus.NXDomain ? v4 : v6;
            var soa = nx.Response?.Authority.FirstOrDefault(r => r.Data is SoaRData);
            return new NameResolutionEvidence { Result = ResolutionResult.NXDomain, CnameChain = chain, NXDomainZone = soa?.Owner };
        }

        if ((v4.Status is ResolutionStatus.Answer or ResolutionStatus.NoData) && (v6.Status is ResolutionStatus.Answer or ResolutionStatus.NoData))
        {
            return new NameResolutionEvidence { Result = ResolutionResult.NoAddresses, CnameChain = chain };
        }

        var failed = v4.Status is ResolutionStatus.Answer or ResolutionStatus.NoData ? v6 : v4;
        return new NameResolutionEvidence
        {
            Result = ResolutionResult.Failed,
            CnameChain = chain,
            Error = failed.Error ?? failed.Status.ToString(),
        };
    }
}
