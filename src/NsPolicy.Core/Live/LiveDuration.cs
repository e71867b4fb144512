using System.Globalization;

namespace NsPolicy.Core.Live;

/// <summary>
/// Durations as the policy writes settings.timeout: a number of 1 to 6 digits with ms or s (500ms,
/// 2s). A time to wait for an answer is at most <see cref="MaxTimeout"/>: the same bound for
/// settings.timeout (the schema), check/init --timeout and query --timeout.
/// </summary>
public static class LiveDuration
{
    /// <summary>The longest time to wait for one answer.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(300);

    /// <summary><see cref="MaxTimeout"/> as a duration is written.</summary>
    public const string MaxTimeoutText = "300s";

    /// <summary>A time to wait for one answer: 1ms to <see cref="MaxTimeout"/>.</summary>
    public static bool TryParse(string? text, out TimeSpan duration) =>
        TryParseAny(text, out duration) && duration <= MaxTimeout || Fail(out duration);

    private static bool Fail(out TimeSpan duration)
    {
        duration = default;
        return false;
    }

    private static bool TryParseAny(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var milliseconds = text.EndsWith("ms", StringComparison.Ordinal);
        var digits = milliseconds ? text[..^2] : text.EndsWith('s') ? text[..^1] : null;
        if (digits is null || digits.Length is 0 or > 6 || digits[0] == '0' || digits.AsSpan().IndexOfAnyExceptInRange('0', '9') >= 0)
        {
            return false;
        }

        var value = int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        duration = milliseconds ? TimeSpan.FromMilliseconds(value) : TimeSpan.FromSeconds(value);
        return true;
    }

    /// <summary>Also accepts whole minutes, hours and days: 30m, 12h, 7d.</summary>
    public static bool TryParseLong(string? text, out TimeSpan duration)
    {
        if (TryParseAny(text, out duration))
        {
            return true;
        }

        if (string.IsNullOrEmpty(text) || text.Length < 2 || "mhd".IndexOf(text[^1], StringComparison.Ordinal) < 0
            || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < 1 or > 999_999)
        {
            return false;
        }

        duration = text[^1] switch
        {
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            _ => TimeSpan.FromDays(value),
        };
        return true;
    }
}
