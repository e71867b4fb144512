using System.Globalization;
using System.Text.RegularExpressions;

namespace NsPolicy.Dns.Tests.Lab;

/// <summary>
/// Moves lab addresses written for slot 0 (127.20.0.0/20) into another slot, so that a file
/// committed with slot-0 addresses (a policy naming glue, a resolver) fits whichever slot a lab got.
/// </summary>
public static class LabRelocation
{
    private static readonly Regex LabAddress = new(
        @"(?<![0-9.])127\.20\.([0-9]{1,3})\.([0-9]{1,3})(?![0-9])", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(5));

    /// <summary>
    /// <paramref name="text"/> with every 127.20.n.h (n below 16) replaced by the same host in
    /// <paramref name="slot"/>: 127.20.(16·slot + n).h. Other text is left as it is.
    /// </summary>
    public static string ToSlot(string text, int slot)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(slot, 15);
        if (slot == 0)
        {
            return text;
        }

        return LabAddress.Replace(text, match =>
        {
            var subnet = int.Parse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            var host = int.Parse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            if (subnet > 15 || host > 255)
            {
                return match.Value;
            }

            return string.Create(CultureInfo.InvariantCulture, $"127.20.{(16 * slot) + subnet}.{host}");
        });
    }

    /// <summary>The reverse of <see cref="ToSlot"/>: every address of <paramref name="slot"/>'s range, 127.20.(16·slot + n).h, back to 127.20.n.h.</summary>
    public static string FromSlot(string text, int slot)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(slot, 15);
        if (slot == 0)
        {
            return text;
        }

        return LabAddress.Replace(text, match =>
        {
            var subnet = int.Parse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            var host = int.Parse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            if (subnet / 16 != slot || subnet > 255 || host > 255)
            {
                return match.Value;
            }

            return string.Create(CultureInfo.InvariantCulture, $"127.20.{subnet % 16}.{host}");
        });
    }
}
