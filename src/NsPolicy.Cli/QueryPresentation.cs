using System.Globalization;
using System.Text;
using NsPolicy.Dns;
using NsPolicy.Dns.Transport;

namespace NsPolicy.Cli;

/// <summary>A dig-like rendering of one query outcome: header, flags, sections, time, server, transport, size.</summary>
internal static class QueryPresentation
{
    public static string Render(QueryOutcome outcome)
    {
        var sb = new StringBuilder();
        var server = string.Create(CultureInfo.InvariantCulture, $"{outcome.Server.Address}#{outcome.Server.Port}");
        if (outcome.Response is not { } response)
        {
            sb.Append(CultureInfo.InvariantCulture, $";; {outcome.Status}: {outcome.Question.Name} {outcome.Question.Type} @{server}: {outcome.Error}\n");
            return sb.ToString();
        }

        var h = response.Header;
        sb.Append(CultureInfo.InvariantCulture, $";; ->>HEADER<<- opcode: {h.Opcode.ToString().ToUpperInvariant()}, status: {response.ResponseCode.ToString().ToUpperInvariant()}, id: {h.Id}\n");
        sb.Append(CultureInfo.InvariantCulture,
            $";; flags: {Flags(h)}; QUERY: {response.Questions.Length}, ANSWER: {response.Answers.Length}, AUTHORITY: {response.Authority.Length}, ADDITIONAL: {response.Additional.Length}\n");
        if (response.Edns is { } edns)
        {
            sb.Append("\n;; OPT PSEUDOSECTION:\n");
            sb.Append(CultureInfo.InvariantCulture, $"; EDNS: version: {edns.Version}, flags:{(edns.DnssecOk ? " do" : string.Empty)}; udp: {edns.UdpPayloadSize}\n");
        }

        sb.Append("\n;; QUESTION SECTION:\n");
        foreach (var q in response.Questions)
        {
            sb.Append(';').Append(q).Append('\n');
        }

        Section(sb, "ANSWER", response.Answers);
        Section(sb, "AUTHORITY", response.Authority);
        Section(sb, "ADDITIONAL", [.. response.AdditionalRecords]);
        sb.Append('\n');
        sb.Append(CultureInfo.InvariantCulture, $";; Query time: {outcome.RoundTripTime.TotalMilliseconds:0} msec\n");
        sb.Append(CultureInfo.InvariantCulture, $";; SERVER: {server} ({outcome.Transport.ToString().ToUpperInvariant()}{(outcome.FellBackToTcp ? ", after a truncated UDP response" : string.Empty)})\n");
        sb.Append(CultureInfo.InvariantCulture, $";; MSG SIZE  rcvd: {outcome.ResponseSize}\n");
        if (outcome.DroppedPackets > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $";; DROPPED: {outcome.DroppedPackets} packet(s) that did not match the query\n");
        }

        if (outcome.Status == QueryStatus.TruncatedOverTcp)
        {
            sb.Append(";; WARNING: the response over TCP is truncated (TC set)\n");
        }

        return sb.ToString();
    }

    private static string Flags(DnsHeader h)
    {
        var flags = new List<string>();
        void Add(bool on, string name)
        {
            if (on)
            {
                flags.Add(name);
            }
        }

        Add(h.IsResponse, "qr");
        Add(h.IsAuthoritative, "aa");
        Add(h.IsTruncated, "tc");
        Add(h.RecursionDesired, "rd");
        Add(h.RecursionAvailable, "ra");
        Add(h.AuthenticData, "ad");
        Add(h.CheckingDisabled, "cd");
        return string.Join(' ', flags);
    }

    private static void Section(StringBuilder sb, string name, IReadOnlyList<ResourceRecord> records)
    {
        if (records.Count == 0)
        {
            return;
        }

        sb.Append("\n;; ").Append(name).Append(" SECTION:\n");
        foreach (var r in records)
        {
            sb.Append(r).Append('\n');
        }
    }
}
