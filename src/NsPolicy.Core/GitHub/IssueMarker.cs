namespace NsPolicy.Core.GitHub;

/// <summary>
/// The hidden HTML comments by which nspolicy finds its own issues and comments again. An issue or
/// comment without one is never touched.
/// </summary>
public static class IssueMarker
{
    private const string ZonePrefix = "<!-- nspolicy:zone=";
    private const string End = " -->";

    /// <summary>The marker in the body of the issue that tracks <paramref name="zone"/>.</summary>
    public static string ForZone(string zone)
    {
        ArgumentException.ThrowIfNullOrEmpty(zone);
        if (zone.Contains("--", StringComparison.Ordinal) && zone.Contains('>', StringComparison.Ordinal))
        {
            throw new ArgumentException($"zone name '{zone}' cannot be put in an HTML comment", nameof(zone));
        }

        return ZonePrefix + zone + End;
    }

    /// <summary>The zone named by the first zone marker in <paramref name="body"/>, if any.</summary>
    public static bool TryReadZone(string? body, out string zone)
    {
        zone = string.Empty;
        if (body is null)
        {
            return false;
        }

        var start = body.IndexOf(ZonePrefix, StringComparison.Ordinal);
        if (start < 0)
        {
            return false;
        }

        start += ZonePrefix.Length;
        var end = body.IndexOf(End, start, StringComparison.Ordinal);
        if (end <= start || body.AsSpan(start, end - start).ContainsAny(" \n\r\t"))
        {
            return false;
        }

        zone = body[start..end];
        return true;
    }

    /// <summary>The marker of the comment nspolicy writes when it closes a zone's issue.</summary>
    public const string Cleared = "<!-- nspolicy:cleared -->";

    /// <summary>The marker of the comment nspolicy writes when it reopens a zone's issue.</summary>
    public const string Reopened = "<!-- nspolicy:reopened -->";

    /// <summary>The marker of the comment nspolicy writes when it closes the issue of a zone the policy no longer lists.</summary>
    public const string Removed = "<!-- nspolicy:removed -->";

    /// <summary>The marker of the comment nspolicy writes when it closes a duplicate issue.</summary>
    public const string Duplicate = "<!-- nspolicy:duplicate -->";

    /// <summary>The marker of a sticky pull-request comment; <paramref name="key"/> tells several apart.</summary>
    public static string ForComment(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_' and not '.'))
        {
            throw new ArgumentException($"comment key '{key}' may hold only letters, digits, '-', '_' and '.'", nameof(key));
        }

        return $"<!-- nspolicy:comment={key} -->";
    }
}
