using System.Net;
using NsPolicy.Dns.Resolution;

namespace NsPolicy.Dns.Tests.Resolution;

public sealed class RootHintsTests
{
    [Fact]
    public void The_built_in_hints_name_the_thirteen_root_servers_with_ipv4_and_ipv6_addresses()
    {
        Assert.Equal(13, RootHints.Iana.Servers.Length);
        Assert.Equal("a.root-servers.net.", RootHints.Iana.Servers[0].Name.ToString());
        Assert.Equal(IPAddress.Parse("198.41.0.4"), RootHints.Iana.Servers[0].Addresses[0]);
        Assert.All(RootHints.Iana.Servers, s => Assert.Equal(2, s.Addresses.Length));
    }

    [Fact]
    public void Reads_a_named_root_file_with_comments_ttls_and_classes()
    {
        const string text = """
            ; formerly NS.INTERNIC.NET
            .                        3600000      NS    A.ROOT-SERVERS.NET.
            A.ROOT-SERVERS.NET.      3600000      A     198.41.0.4
            A.ROOT-SERVERS.NET.      3600000 IN   AAAA  2001:503:ba3e::2:30
            .                        3600000 IN   NS    b.root.test.
            b.root.test.             A     127.0.0.1
            """;

        var hints = RootHints.Parse(text, "named.root");

        Assert.Equal(["a.root-servers.net.", "b.root.test."], hints.Servers.Select(s => s.Name.ToString()));
        Assert.Equal(["198.41.0.4", "2001:503:ba3e::2:30", "127.0.0.1"], hints.Addresses.Select(a => a.ToString()));
    }

    [Fact]
    public void Names_the_file_and_line_of_a_record_that_does_not_belong_in_root_hints()
    {
        var error = Assert.Throws<FormatException>(() => RootHints.Parse(". NS a.root.test.\na.root.test. MX 10 mail.test.\n", "hints.txt"));

        Assert.StartsWith("hints.txt:2:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_hints_without_any_addressed_server()
    {
        var error = Assert.Throws<FormatException>(() => RootHints.Parse(". NS a.root.test.\n", "hints.txt"));

        Assert.Contains("no root server", error.Message, StringComparison.Ordinal);
    }
}
