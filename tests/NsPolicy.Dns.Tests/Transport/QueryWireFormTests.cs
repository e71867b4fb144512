using NsPolicy.Dns.Transport;

namespace NsPolicy.Dns.Tests.Transport;

/// <summary>
/// The transport writes each query's wire form directly; it must be octet for octet what the
/// message writer makes of <see cref="DnsMessage.CreateQuery"/> (with the question's class).
/// </summary>
public sealed class QueryWireFormTests
{
    public static TheoryData<string, ushort, ushort, bool, bool, ushort> Cases => new()
    {
        { "www.example.com.", 1, 1, false, false, 1232 },
        { "Example.COM.", 48, 1, false, true, 1232 },
        { ".", 2, 1, true, false, 512 },
        { "a.b.c.d.e.f.g.test.", 43, 1, true, true, 4096 },
        { "version.bind.", 16, 3, false, false, 1232 },
        { "xn--bcher-kva.example.", 59, 1, false, true, 65535 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_the_message_writer(string name, ushort type, ushort @class, bool recursionDesired, bool dnssecOk, ushort payload)
    {
        var question = new DnsQuestion(DnsName.Parse(name), new RecordType(type), new RecordClass(@class));
        var options = QueryOptions.Default with { RecursionDesired = recursionDesired, DnssecOk = dnssecOk, UdpPayloadSize = payload };

        var message = DnsMessage.CreateQuery(0, question.Name, question.Type, recursionDesired, dnssecOk, payload) with { Questions = [question] };

        Assert.Equal(message.ToWire(), DnsTransport.BuildQuery(question, options));
    }
}
