namespace NsPolicy.Dns.Tests.Evaluation;

/// <summary>The few wire-format pieces the DnsClient evaluation servers write by hand.</summary>
internal static class WireBytes
{
    /// <summary>A name in wire form, uncompressed.</summary>
    public static byte[] Name(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }

        bytes.Add(0);
        return [.. bytes];
    }

    /// <summary>The question section of a query (its one question, after the 12-byte header).</summary>
    public static byte[] Question(byte[] query)
    {
        var end = 12;
        while (query[end] != 0)
        {
            end += query[end] + 1;
        }

        return query[12..(end + 5)];
    }
}
