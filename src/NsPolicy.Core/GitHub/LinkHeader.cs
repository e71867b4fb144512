namespace NsPolicy.Core.GitHub;

/// <summary>
/// Reads the <c>rel="next"</c> target from an RFC 8288 <c>Link</c> header, as GitHub sends it for
/// paginated lists: <c>&lt;https://…?page=2&gt;; rel="next", &lt;https://…?page=5&gt;; rel="last"</c>.
/// </summary>
internal static class LinkHeader
{
    public static string? Next(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        var position = 0;
        while (position < header.Length)
        {
            var open = header.IndexOf('<', position);
            if (open < 0)
            {
                return null;
            }

            var close = header.IndexOf('>', open + 1);
            if (close < 0)
            {
                return null;
            }

            var target = header[(open + 1)..close];
            // The parameters run to the next link, which starts at the next '<' (a ',' may appear inside quotes).
            var nextLink = header.IndexOf('<', close + 1);
            var parameters = nextLink < 0 ? header[(close + 1)..] : header[(close + 1)..nextLink];
            if (HasRelNext(parameters))
            {
                return target;
            }

            position = nextLink < 0 ? header.Length : nextLink;
        }

        return null;
    }

    private static bool HasRelNext(string parameters)
    {
        foreach (var raw in parameters.Split(';'))
        {
            var parameter = raw.Trim().TrimEnd(',').Trim();
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0 || !parameter[..equals].Trim().Equals("rel", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var value = parameter[(equals + 1)..].Trim().Trim('"');
            // rel may hold several space-separated relation types.
            if (value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(v => v.Equals("next", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }
}
