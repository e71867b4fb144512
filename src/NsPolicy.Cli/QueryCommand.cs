using System.CommandLine;
using System.Globalization;
using System.Net;
using NsPolicy.Dns;
using NsPolicy.Dns.Resolution;
using NsPolicy.Dns.Transport;

namespace NsPolicy.Cli;

/// <summary>
/// <c>nspolicy query NAME [TYPE] [@SERVER]</c>: one query to one server, or iterative resolution
/// from the root hints when no server is given; prints a dig-like presentation to stdout.
/// </summary>
internal sealed class QueryCommand(TextWriter stdout, TextWriter stderr, CliEnvironment environment)
{
    private const string ExitCodeHelp =
        "Exit codes: 0 a response was received (whatever its RCODE; iteratively: an answer, NXDOMAIN or no data); " +
        "1 no usable response (timeout, connection refused, network error, malformed, blocked, truncated over TCP, resolution failed); 2 usage error.";


    public Command Build()
    {
        var words = new Argument<QueryWords?>("NAME [TYPE] [@SERVER]")
        {
            Description = "The name, the record type (default A) and, optionally, @ADDRESS or @ADDRESS#PORT of the server to ask.",
            Arity = new ArgumentArity(1, 3),
            CustomParser = result =>
            {
                if (TryReadWords([.. result.Tokens.Select(t => t.Value)], out var question, out var server, out var error))
                {
                    return new QueryWords(question!, server);
                }

                result.AddError(error!);
                return null;
            },
        };
        var tcp = new Option<bool>("--tcp") { Description = "Ask over TCP only (default: UDP, then TCP when the response is truncated)." };
        var dnssec = new Option<bool>("--dnssec") { Description = "Set the DO bit so that servers include DNSSEC records." };
        var trace = new Option<bool>("--trace") { Description = "Without @SERVER: print every query of the iterative resolution." };
        var rootHints = new Option<string?>("--root-hints") { Description = "Root hints file (named.root format) instead of the built-in IANA root servers.", HelpName = "FILE" };
        var timeout = CliOptions.Duration(
            "--timeout",
            "Time to wait for the first attempt, as check --timeout and settings.timeout write it (500ms, 2s; at most 300s); each retry waits twice as long.",
            "2s");
        var retries = CliOptions.Count("--retries", null, "Attempts after the first.", 2, 0, 10, _ => "--retries must be between 0 and 10");

        var command = new Command("query", "Ask DNS like dig (recursion not desired): one server with @SERVER, otherwise iteratively from the root hints. " + ExitCodeHelp)
        {
            words,
            tcp,
            dnssec,
            trace,
            rootHints,
            timeout,
            retries,
        };
        command.SetAction(async (parse, ct) =>
        {
            var (question, server) = parse.GetValue(words)!;
            var options = new QueryOptions
            {
                Timeout = parse.GetValue(timeout).Value,
                Retries = parse.GetValue(retries),
                TcpOnly = parse.GetValue(tcp),
                DnssecOk = parse.GetValue(dnssec),
            };
            var transport = new DnsTransport(environment.Guard);
            if (server is not null)
            {
                return await QueryOneAsync(transport, server, question, options, ct).ConfigureAwait(false);
            }

            RootHints hints;
            var hintsPath = parse.GetValue(rootHints);
            try
            {
                hints = hintsPath is null ? RootHints.Iana : await RootHints.LoadAsync(environment.FullPath(hintsPath), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                throw new UsageException($"cannot read root hints: {e.Message}");
            }

            return await ResolveAsync(new IterativeResolver(transport, hints, ResolverOptions.Default with { Query = options }), question, parse.GetValue(trace), ct)
                .ConfigureAwait(false);
        });
        return command;
    }

    private async Task<int> QueryOneAsync(DnsTransport transport, IPEndPoint server, DnsQuestion question, QueryOptions options, CancellationToken ct)
    {
        var outcome = await transport.QueryAsync(server, question, options, ct).ConfigureAwait(false);
        await stdout.WriteAsync(QueryPresentation.Render(outcome)).ConfigureAwait(false);
        if (outcome.Status == QueryStatus.Answer)
        {
            return ExitCodes.Clean;
        }

        await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"nspolicy: query {question.Name} {question.Type} @{server.Address}#{server.Port}: {outcome.Status}: {outcome.Error}")).ConfigureAwait(false);
        return ExitCodes.Findings;
    }

    private async Task<int> ResolveAsync(IterativeResolver resolver, DnsQuestion question, bool trace, CancellationToken ct)
    {
        var result = await resolver.ResolveAsync(question.Name, question.Type, ct).ConfigureAwait(false);
        if (trace)
        {
            foreach (var step in result.Steps)
            {
                await stdout.WriteLineAsync(TraceLine(step)).ConfigureAwait(false);
            }

            await stdout.WriteLineAsync().ConfigureAwait(false);
        }

        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $";; iterative resolution of {question.Name} {question.Type}: {result.Status}, {result.Steps.Length} queries")).ConfigureAwait(false);
        foreach (var record in result.Answers)
        {
            await stdout.WriteLineAsync(record.ToString()).ConfigureAwait(false);
        }

        if (result.Steps.LastOrDefault(s => s.Outcome.Response == result.Response && result.Response is not null) is { } last)
        {
            await stdout.WriteLineAsync().ConfigureAwait(false);
            await stdout.WriteAsync(QueryPresentation.Render(last.Outcome)).ConfigureAwait(false);
        }

        if (result.Status is ResolutionStatus.Answer or ResolutionStatus.NXDomain or ResolutionStatus.NoData)
        {
            return ExitCodes.Clean;
        }

        await stderr.WriteLineAsync($"nspolicy: resolving {question.Name} {question.Type} from the root hints: {result.Status}: {result.Error}").ConfigureAwait(false);
        return ExitCodes.Findings;
    }

    private static string TraceLine(ResolutionStep step)
    {
        var o = step.Outcome;
        var what = o.Response is { } r
            ? string.Create(CultureInfo.InvariantCulture,
                $"{r.ResponseCode.ToString().ToUpperInvariant()}{(r.Header.IsAuthoritative ? " aa" : string.Empty)} answer {r.Answers.Length} authority {r.Authority.Length} additional {r.Additional.Length}")
            : o.Error ?? string.Empty;
        var indent = new string(' ', step.Depth * 2);
        return string.Create(CultureInfo.InvariantCulture,
            $";; {indent}[{step.Zone}] {step.Question.Name} {step.Question.Type} @{step.Server.Address} ({o.Transport.ToString().ToUpperInvariant()}, {o.RoundTripTime.TotalMilliseconds:0} ms): {o.Status} {what}");
    }

    private static bool TryReadWords(IReadOnlyList<string> words, out DnsQuestion? question, out IPEndPoint? server, out string? error)
    {
        question = null;
        server = null;
        error = null;
        var plain = new List<string>();
        foreach (var word in words)
        {
            if (word.StartsWith('@'))
            {
                if (server is not null)
                {
                    error = "give at most one @SERVER";
                    return false;
                }

                if (!TryParseServer(word[1..], out server))
                {
                    error = $"'{Excerpt.Of(word)}' is not @ADDRESS or @ADDRESS#PORT (an IP address; names are not looked up)";
                    return false;
                }
            }
            else
            {
                plain.Add(word);
            }
        }

        if (plain.Count is 0 or > 2)
        {
            error = "give a NAME, optionally a TYPE, optionally an @SERVER";
            return false;
        }

        if (!DnsName.TryParse(plain[0], out var name, out var nameError))
        {
            error = $"'{Excerpt.Of(plain[0])}' is not a domain name: {nameError}";
            return false;
        }

        var type = RecordType.A;
        if (plain.Count == 2 && !RecordType.TryParse(plain[1], out type))
        {
            error = $"'{Excerpt.Of(plain[1])}' is not a record type";
            return false;
        }

        question = new DnsQuestion(name!, type);
        return true;
    }

    private static bool TryParseServer(string text, out IPEndPoint? server)
    {
        server = null;
        var port = 53;
        var hash = text.LastIndexOf('#');
        if (hash >= 0)
        {
            if (!int.TryParse(text.AsSpan(hash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                return false;
            }

            text = text[..hash];
        }

        if (!IPAddress.TryParse(text.Trim('[', ']'), out var address))
        {
            return false;
        }

        server = new IPEndPoint(address, port);
        return true;
    }

    /// <summary>What the words of the command line ask: a question, and the server to ask (null: resolve iteratively).</summary>
    private sealed record QueryWords(DnsQuestion Question, IPEndPoint? Server);
}
