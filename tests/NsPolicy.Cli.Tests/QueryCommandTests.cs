using System.Net;
using System.Net.Sockets;
using NsPolicy.Dns;
using NsPolicy.Dns.Records;

namespace NsPolicy.Cli.Tests;

/// <summary>
/// <c>nspolicy query</c>. CliRunner always sets NSPOLICY_LOOPBACK_ONLY=1, so
/// nothing here can leave loopback; the one answering server is a socket in this test on 127.0.0.1.
/// </summary>
public sealed class QueryCommandTests
{
    [Fact]
    public async Task Prints_a_dig_like_answer_from_a_server_on_loopback_and_exits_0()
    {
        using var server = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)server.Client.LocalEndPoint!).Port;
        var answering = AnswerOnceAsync(server);

        var result = await CliRunner.RunInRepositoryAsync("query", "www.example.test", "A", $"@127.0.0.1#{port}", "--retries", "0");
        await answering;

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(";; ->>HEADER<<- opcode: QUERY, status: NOERROR", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(";; flags: qr aa;", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("www.example.test.\t300\tIN\tA\t127.0.0.80", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($";; SERVER: 127.0.0.1#{port} (UDP)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(";; MSG SIZE  rcvd: ", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_to_query_a_non_loopback_server_when_only_loopback_is_allowed()
    {
        var result = await CliRunner.RunInRepositoryAsync("query", "example.test", "SOA", "@192.0.2.1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("query example.test. SOA @192.0.2.1#53: Blocked", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was sent", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_a_unique_local_server_unless_NSPOLICY_ALLOW_PREFIXES_names_its_prefix()
    {
        var refused = await CliRunner.RunInRepositoryAsync("query", "example.test", "SOA", "@fd00:20::1", "--retries", "0");
        var outside = await CliRunner.RunAsync(
            Repository.Root, new Dictionary<string, string> { ["NSPOLICY_ALLOW_PREFIXES"] = "fd00:21::/32" }, "query", "example.test", "SOA", "@fd00:20::1", "--retries", "0");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("query example.test. SOA @fd00:20::1#53: Blocked", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("only loopback is allowed (NSPOLICY_LOOPBACK_ONLY=1); nothing was sent", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, outside.ExitCode);
        Assert.Contains("only loopback and fd00:21::/32 are allowed", outside.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("::/0")]
    [InlineData("192.0.2.0/24")]
    [InlineData("fd00::1")]
    public async Task A_prefix_outside_fd00_in_NSPOLICY_ALLOW_PREFIXES_is_a_usage_error(string prefixes)
    {
        var result = await CliRunner.RunAsync(
            Repository.Root, new Dictionary<string, string> { ["NSPOLICY_ALLOW_PREFIXES"] = prefixes }, "query", "example.test", "SOA", "@127.0.0.1");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("nspolicy: NSPOLICY_ALLOW_PREFIXES: ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Iterative_resolution_from_the_built_in_root_hints_is_blocked_when_only_loopback_is_allowed()
    {
        var result = await CliRunner.RunInRepositoryAsync("query", "example.com", "--trace");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("@198.41.0.4 (UDP, 0 ms): Blocked", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("13 tried: 13 Blocked", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("example.test", "NOTATYPE")]
    [InlineData("example.test", "A", "@not-an-address")]
    [InlineData("example.test", "@127.0.0.1", "@127.0.0.2")]
    [InlineData("bad..name")]
    public async Task Reports_bad_arguments_as_a_usage_error(params string[] words)
    {
        var result = await CliRunner.RunInRepositoryAsync(["query", .. words]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("nspolicy: ", result.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("\nRun 'nspolicy query --help' for usage.\n", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timeout_takes_a_duration_like_check_and_a_silent_server_times_out()
    {
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)silent.Client.LocalEndPoint!).Port;

        var result = await CliRunner.RunInRepositoryAsync("query", "example.test", $"@127.0.0.1#{port}", "--timeout", "200ms", "--retries", "0");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"query example.test. A @127.0.0.1#{port}: Timeout", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("0s")]
    [InlineData("301s")]
    [InlineData("1.5s")]
    public async Task Timeout_that_is_not_a_duration_of_at_most_300s_is_a_usage_error(string timeout)
    {
        var result = await CliRunner.RunInRepositoryAsync("query", "example.test", "@127.0.0.1", "--timeout", timeout);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"nspolicy: --timeout {timeout}: expected a duration of at most 300s such as 500ms or 2s\nRun 'nspolicy query --help' for usage.\n", result.Stderr);
    }

    [Fact]
    public async Task Help_documents_the_exit_codes()
    {
        var result = await CliRunner.RunInRepositoryAsync("query", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Exit codes: 0 a response was received", result.Stdout, StringComparison.Ordinal);
    }

    private static async Task AnswerOnceAsync(UdpClient server)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var request = await server.ReceiveAsync(guard.Token);
        var query = DnsMessage.FromWire(request.Buffer);
        var reply = new DnsMessage
        {
            Header = new DnsHeader { Id = query.Header.Id, IsResponse = true, IsAuthoritative = true },
            Questions = query.Questions,
            Answers = [new ResourceRecord(query.Question!.Name, 300, new ARData(IPAddress.Parse("127.0.0.80")))],
        };
        await server.SendAsync(reply.ToWire(), request.RemoteEndPoint, guard.Token);
    }
}
