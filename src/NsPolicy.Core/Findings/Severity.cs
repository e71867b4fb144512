namespace NsPolicy.Core.Findings;

/// <summary>How much a finding matters. Ordered: a higher value is more severe.</summary>
public enum Severity
{
    /// <summary>Suppressed by the policy's <c>settings.severity</c>; never reported.</summary>
    Off = 0,
    Notice = 1,
    Warning = 2,
    Error = 3,
}

public static class SeverityNames
{
    public static string ToName(this Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        Severity.Notice => "notice",
        Severity.Off => "off",
        _ => throw new ArgumentOutOfRangeException(nameof(severity)),
    };

    public static bool TryParse(string text, out Severity severity)
    {
        switch (text)
        {
            case "error": severity = Severity.Error; return true;
            case "warning": severity = Severity.Warning; return true;
            case "notice": severity = Severity.Notice; return true;
            case "off": severity = Severity.Off; return true;
            default: severity = Severity.Off; return false;
        }
    }
}
