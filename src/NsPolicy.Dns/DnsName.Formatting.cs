// Domain names as text: RFC 1035 §5.1 (presentation form and escapes); RFC 5891 (A-labels shown as U-labels).
using System.Globalization;
using System.Text;

namespace NsPolicy.Dns;

/// <summary>Writing names: the canonical presentation form, the original case, and the display form with U-labels.</summary>
public sealed partial class DnsName
{
    /// <summary>Canonical presentation form: lower-case, RFC 1035 escapes, trailing dot; the root is ".".</summary>
    public override string ToString() => _text ??= Format(lowerCase: true);

    /// <summary>Presentation form keeping the original case of each label.</summary>
    public string ToOriginalCaseString() => Format(lowerCase: false);

    /// <summary>
    /// Form for people to read: A-labels shown as Unicode where they decode, otherwise as
    /// <see cref="ToString"/>. Never use it to compare names.
    /// </summary>
    public string ToDisplayString()
    {
        var text = ToString();
        if (!text.Contains("xn--", StringComparison.Ordinal))
        {
            return text;
        }

        try
        {
            return IsRoot ? text : Idn.GetUnicode(text[..^1]) + ".";
        }
        catch (ArgumentException)
        {
            return text;
        }
    }

    private string Format(bool lowerCase)
    {
        if (IsRoot)
        {
            return ".";
        }

        var sb = new StringBuilder(WireLength + 8);
        foreach (var label in _labels)
        {
            AppendLabel(sb, label, lowerCase);
            sb.Append('.');
        }

        return sb.ToString();
    }

    private static string FormatLabel(byte[] label, bool lowerCase)
    {
        var sb = new StringBuilder(label.Length + 4);
        AppendLabel(sb, label, lowerCase);
        return sb.ToString();
    }

    // Presentation escapes as BIND prints them: special characters get a backslash, octets outside
    // printable ASCII become \DDD.
    private static void AppendLabel(StringBuilder sb, byte[] label, bool lowerCase)
    {
        foreach (var raw in label)
        {
            var b = lowerCase ? ToLower(raw) : raw;
            switch (b)
            {
                case (byte)'.' or (byte)'\\' or (byte)'"' or (byte)'(' or (byte)')' or (byte)';' or (byte)'@' or (byte)'$':
                    sb.Append('\\').Append((char)b);
                    break;
                case < 0x21 or > 0x7E:
                    sb.Append('\\').Append(((int)b).ToString("D3", CultureInfo.InvariantCulture));
                    break;
                default:
                    sb.Append((char)b);
                    break;
            }
        }
    }
}
