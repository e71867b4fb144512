using System.Globalization;
using NsPolicy.Dns.Records;

namespace NsPolicy.Dns.Tests;

// Reads the one-record-per-line files that "dnssec-signzone -O full" and dnssec-dsfromkey write:
// owner [ttl] class type rdata. Enough for test data; the real zone-file parser lives elsewhere.
internal static class RecordLine
{
    public static ResourceRecord Parse(string line)
    {
        var tokens = Presentation.Tokenize(line);
        var owner = DnsName.Parse(tokens[0]);
        var i = 1;
        uint ttl = 0;
        if (uint.TryParse(tokens[i], NumberStyles.None, CultureInfo.InvariantCulture, out var t))
        {
            ttl = t;
            i++;
        }

        var @class = RecordClass.Parse(tokens[i++]);
        var type = RecordType.Parse(tokens[i++]);
        return new ResourceRecord(owner, @class, ttl, RData.Parse(type, tokens.Skip(i).ToList(), owner));
    }

    public static List<ResourceRecord> ReadFile(params string[] path) =>
        File.ReadAllLines(TestData.PathOf(path))
            .Where(l => l.Length > 0 && !l.StartsWith(';'))
            .Select(Parse)
            .ToList();
}
