// Root hints: the names and addresses of the root servers (IANA root zone, RFC 9609 priming),
// built in as data, or read from a hints file in named.root (master-file) form.
using System.Collections.Immutable;
using System.Globalization;
using System.Net;

namespace NsPolicy.Dns.Resolution;

/// <summary>One root server: its name and its addresses.</summary>
public sealed record RootServer(DnsName Name, ImmutableArray<IPAddress> Addresses);

/// <summary>Where iterative resolution starts.</summary>
public sealed record RootHints(ImmutableArray<RootServer> Servers)
{
    /// <summary>The 13 IANA root servers (https://www.iana.org/domains/root/servers).</summary>
    public static RootHints Iana { get; } = new(
    [
        Server("a", "198.41.0.4", "2001:503:ba3e::2:30"),
        Server("b", "170.247.170.2", "2801:1b8:10::b"),
        Server("c", "192.33.4.12", "2001:500:2::c"),
        Server("d", "199.7.91.13", "2001:500:2d::d"),
        Server("e", "192.203.230.10", "2001:500:a8::e"),
        Server("f", "192.5.5.241", "2001:500:2f::f"),
        Server("g", "192.112.36.4", "2001:500:12::d0d"),
        Server("h", "198.97.190.53", "2001:500:1::53"),
        Server("i", "192.36.148.17", "2001:7fe::53"),
        Server("j", "192.58.128.30", "2001:503:c27::2:30"),
        Server("k", "193.0.14.129", "2001:7fd::1"),
        Server("l", "199.7.83.42", "2001:500:9f::42"),
        Server("m", "202.12.27.33", "2001:dc3::35"),
    ]);

    public IEnumerable<IPAddress> Addresses => Servers.SelectMany(s => s.Addresses);

    /// <summary>
    /// Reads named.root form: "NAME [TTL] [IN] NS|A|AAAA DATA" per line, ';' starts a comment.
    /// NS records of the root name the servers; A/AAAA records give their addresses.
    /// </summary>
    /// <exception cref="FormatException">A line cannot be read; the message names source and line.</exception>
    public static RootHints Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var names = new List<DnsName>();
        var addresses = new Dictionary<DnsName, List<IPAddress>>();
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.Split(';')[0].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)
                .Where(f => !f.Equals("IN", StringComparison.OrdinalIgnoreCase) && !uint.TryParse(f, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                .ToArray();
            string Where() => string.Create(CultureInfo.InvariantCulture, $"{source}:{lineNumber}");
            if (fields.Length != 3 || !DnsName.TryParse(fields[0], out var owner, out var error))
            {
                throw new FormatException($"{Where()}: expected 'NAME [TTL] [IN] TYPE DATA', found '{Excerpt.Of(line)}'");
            }

            switch (fields[1].ToUpperInvariant())
            {
                case "NS" when owner!.IsRoot:
                    names.Add(DnsName.TryParse(fields[2], out var ns, out error) ? ns! : throw new FormatException($"{Where()}: {error}"));
                    break;
                case "A" or "AAAA":
                    if (!IPAddress.TryParse(fields[2], out var address))
                    {
                        throw new FormatException($"{Where()}: '{Excerpt.Of(fields[2])}' is not an address");
                    }

                    if (!addresses.TryGetValue(owner!, out var list))
                    {
                        addresses[owner!] = list = [];
                    }

                    list.Add(address);
                    break;
                default:
                    throw new FormatException($"{Where()}: only root NS and A/AAAA records belong in root hints, found '{Excerpt.Of(line)}'");
            }
        }

        var servers = names.Distinct()
            .Select(n => new RootServer(n, addresses.TryGetValue(n, out var a) ? [.. a] : []))
            .Where(s => !s.Addresses.IsEmpty)
            .ToImmutableArray();
        if (servers.IsEmpty)
        {
            throw new FormatException($"{source}: no root server with an address");
        }

        return new RootHints(servers);
    }

    /// <summary>Reads a root hints file: a regular file of at most 1 MiB, inside the root of <paramref name="access"/> when it has one.</summary>
    /// <exception cref="Files.FileRefusedException">The file-access policy refuses it.</exception>
    public static async Task<RootHints> LoadAsync(string path, CancellationToken cancellationToken, Files.FileAccessPolicy? access = null) =>
        Parse(await (access ?? Files.FileAccessPolicy.Anywhere).ReadAllTextAsync(path, Files.FileAccessPolicy.MaxRootHintsBytes, cancellationToken).ConfigureAwait(false), path);

    private static RootServer Server(string letter, string v4, string v6) =>
        new(DnsName.Parse(letter + ".root-servers.net."), [IPAddress.Parse(v4), IPAddress.Parse(v6)]);
}
