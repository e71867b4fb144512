using System.Globalization;
using System.Net;
using System.Text;
using NsPolicy.Dns.Tests.Lab;
using NsPolicy.Dns.Transport;

namespace NsPolicy.Dns.Tests.LabTests;

/// <summary>
/// Every record type the engine reads, as our transport reads it from BIND, NSD and Knot, compared
/// record by record with what Knot's kdig prints for the same query to the same server. Both sides
/// are brought to one normalised presentation form (see <see cref="Normalise"/>) and compared as
/// sorted lists, section by section, with the RCODE and the AA bit.
/// </summary>
[Collection(DnsLabCollection.Name)]
public sealed class RecordTypesLabTests(DnsLabFixture fixture)
{
    private static readonly QueryOptions Options = new() { Timeout = TimeSpan.FromSeconds(2), Retries = 1, DnssecOk = true };

    private static readonly string Unknown = "TYPE" + LabCatalogue.UnknownType.ToString(CultureInfo.InvariantCulture);

    /// <summary>Queries and the record type each must bring back (in any section).</summary>
    public static TheoryData<string, string, string> Queries()
    {
        (string Name, string Type, string Expect)[] queries =
        [
            ("types.test.", "SOA", "SOA"),
            ("types.test.", "NS", "NS"),
            ("www.types.test.", "A", "A"),
            ("www.types.test.", "AAAA", "AAAA"),
            ("alias.types.test.", "CNAME", "CNAME"),
            ("alias.types.test.", "A", "CNAME"),
            ("ptr.types.test.", "PTR", "PTR"),
            ("types.test.", "MX", "MX"),
            ("txt.types.test.", "TXT", "TXT"),
            ("_sip._tcp.types.test.", "SRV", "SRV"),
            ("types.test.", "CAA", "CAA"),
            ("sub.types.test.", "DS", "DS"),
            ("types.test.", "CDS", "CDS"),
            ("types.test.", "DNSKEY", "DNSKEY"),
            ("types.test.", "CDNSKEY", "CDNSKEY"),
            ("types.test.", "SOA", "RRSIG"),
            ("types.test.", "NSEC3PARAM", "NSEC3PARAM"),
            ("nothing-here.types.test.", "A", "NSEC3"),
            ("_443._tcp.www.types.test.", "TLSA", "TLSA"),
            ("unknown.types.test.", Unknown, Unknown),
            ("good.test.", "NSEC", "NSEC"),
            ("nothing-here.good.test.", "A", "NSEC"),
        ];
        var data = new TheoryData<string, string, string>();
        foreach (var host in new[] { LabHost.ChildBind, LabHost.ChildNsd, LabHost.ChildKnot })
        {
            foreach (var (name, type, expect) in queries)
            {
                data.Add(host.ToString(), name + " " + type, expect);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Our_reading_of_each_record_type_equals_what_kdig_prints(string host, string query, string expect)
    {
        var server = fixture.Lab.AddressOf(Enum.Parse<LabHost>(host));
        var (name, type) = (query.Split(' ')[0], query.Split(' ')[1]);

        var outcome = await new DnsTransport(NetworkGuard.Loopback).QueryAsync(
            new IPEndPoint(server, 53), DnsName.Parse(name), RecordType.Parse(type), Options, CancellationToken.None);
        var kdig = await Kdig.QueryAsync(server, name, type, CancellationToken.None);

        Assert.Equal(QueryStatus.Answer, outcome.Status);
        var ours = outcome.Response!;
        var context = "ours:\n" + ours + "\nkdig:\n" + kdig.Output;
        Assert.True(kdig.Status is not null, context);
        Assert.Equal(kdig.Status, ResponseCodeName(ours.ResponseCode));
        Assert.Equal(kdig.Flags.Contains("aa"), ours.Header.IsAuthoritative);
        Assert.Equal(Normalised(kdig.Answer), Normalised(ours.Answers.Select(r => r.ToString())));
        Assert.Equal(Normalised(kdig.Authority), Normalised(ours.Authority.Select(r => r.ToString())));
        Assert.Equal(Normalised(kdig.Additional), Normalised(ours.AdditionalRecords.Select(r => r.ToString())));
        Assert.Contains(
            ours.Answers.Concat(ours.Authority).Concat(ours.AdditionalRecords),
            r => r.Type == RecordType.Parse(expect));
    }

    [Fact]
    public void The_normal_form_joins_split_blobs_and_ignores_case_only_where_presentation_does()
    {
        Assert.Equal(
            "k.test. 60 IN DNSKEY 257 3 13 AbC+dEf=",
            Normalise("K.Test.\t60\tIN\tDNSKEY\t257 3 13 AbC+ dEf="));
        Assert.Equal(
            "x.test. 60 IN TXT \"Hello  World\"",
            Normalise("x.test.  60 IN TXT \"Hello  World\""));
        Assert.Equal(
            "x.test. 60 IN DS 1 13 2 abcdef01",
            Normalise("x.test. 60 IN DS 1 13 2 ABCD EF01"));
        Assert.NotEqual(Normalise("k.test. 60 IN DNSKEY 257 3 13 abc="), Normalise("k.test. 60 IN DNSKEY 257 3 13 ABC="));
    }

    private static string ResponseCodeName(DnsResponseCode code) => code switch
    {
        DnsResponseCode.NoError => "NOERROR",
        DnsResponseCode.NXDomain => "NXDOMAIN",
        DnsResponseCode.Refused => "REFUSED",
        DnsResponseCode.ServFail => "SERVFAIL",
        DnsResponseCode.FormErr => "FORMERR",
        DnsResponseCode.NotImp => "NOTIMP",
        _ => code.ToString().ToUpperInvariant(),
    };

    private static List<string> Normalised(IEnumerable<string> lines) =>
        [.. lines.Select(Normalise).Order(StringComparer.Ordinal)];

    /// <summary>
    /// One record line in a form both printers agree on: fields split on white space outside
    /// quotes and joined by one space; the owner and every unquoted field lower case (names, hex,
    /// base32hex and type mnemonics are case-insensitive), except base64 (DNSKEY/CDNSKEY key, RRSIG
    /// signature), which is kept as is; blobs that a printer may split with spaces (base64, DS/CDS
    /// and TLSA digests, RFC 3597 hex) are joined.
    /// </summary>
    internal static string Normalise(string line)
    {
        var fields = Split(line);
        if (fields.Count < 4)
        {
            throw new FormatException("not a record line: " + line);
        }

        var type = fields[3].ToUpperInvariant();
        var rdata = fields.Skip(4).ToList();
        int? base64From = type switch
        {
            "DNSKEY" or "CDNSKEY" => 3,
            "RRSIG" => 8,
            _ => null,
        };
        int? joinFrom = type switch
        {
            "DS" or "CDS" or "TLSA" => 3,
            _ when rdata.Count > 1 && rdata[0] == "\\#" => 2,
            _ => base64From,
        };
        if (joinFrom is { } from && rdata.Count > from)
        {
            rdata = [.. rdata.Take(from), string.Concat(rdata.Skip(from))];
        }

        var normal = new List<string> { fields[0].ToLowerInvariant(), fields[1], fields[2].ToUpperInvariant(), type };
        for (var i = 0; i < rdata.Count; i++)
        {
            var keep = rdata[i].StartsWith('"') || (base64From is { } b && i == b);
            normal.Add(keep ? rdata[i] : rdata[i].ToLowerInvariant());
        }

        return string.Join(' ', normal);
    }

    private static List<string> Split(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length)
            {
                current.Append(c).Append(line[++i]);
            }
            else if (c == '"')
            {
                quoted = !quoted;
                current.Append(c);
            }
            else if (!quoted && char.IsWhiteSpace(c))
            {
                if (current.Length > 0)
                {
                    fields.Add(current.ToString());
                    current.Clear();
                }
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.Length > 0)
        {
            fields.Add(current.ToString());
        }

        return fields;
    }

    /// <summary>What kdig printed for one query, cut into header and sections.</summary>
    private sealed record KdigResult(string Output, string? Status, IReadOnlySet<string> Flags, List<string> Answer, List<string> Authority, List<string> Additional);

    /// <summary>Knot's kdig against one lab server: no recursion, DO, 1232-octet buffer, 2 s, one try.</summary>
    private static class Kdig
    {
        public static async Task<KdigResult> QueryAsync(IPAddress server, string name, string type, CancellationToken cancellationToken)
        {
            var result = await LabProcess.RunAsync(
                "kdig",
                ["-4", "@" + server, "-p", "53", "+norec", "+dnssec", "+bufsize=1232", "+time=2", "+retry=0", name, type],
                null,
                TimeSpan.FromSeconds(15),
                cancellationToken).ConfigureAwait(false);
            string? status = null;
            var flags = new HashSet<string>(StringComparer.Ordinal);
            var answer = new List<string>();
            var authority = new List<string>();
            var additional = new List<string>();
            List<string>? section = null;
            foreach (var line in result.StandardOutput.Split('\n'))
            {
                if (line.StartsWith(";; ->>HEADER<<-", StringComparison.Ordinal))
                {
                    status = line.Split("status: ")[1].Split(';')[0].Trim();
                }
                else if (line.StartsWith(";; Flags:", StringComparison.Ordinal))
                {
                    flags.UnionWith(line[";; Flags:".Length..].Split(';')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
                }
                else if (line.StartsWith(";; ANSWER SECTION:", StringComparison.Ordinal))
                {
                    section = answer;
                }
                else if (line.StartsWith(";; AUTHORITY SECTION:", StringComparison.Ordinal))
                {
                    section = authority;
                }
                else if (line.StartsWith(";; ADDITIONAL SECTION:", StringComparison.Ordinal))
                {
                    section = additional;
                }
                else if (line.Length == 0 || line.StartsWith(';'))
                {
                    section = line.Length == 0 ? null : section;
                }
                else
                {
                    section?.Add(line);
                }
            }

            return new KdigResult(result.CommandLine + "\n" + result.Output, status, flags, answer, authority, additional);
        }
    }
}
