using System.Text.Encodings.Web;
using System.Text.Json;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Reporting;

/// <summary>
/// The machine-readable report: a format version, the tool, the findings in a stable order and
/// with stable property order, and the summary. Written with LF line ends.
/// </summary>
public static class JsonReporter
{
    public const int FormatVersion = 1;

    public static void Write(Stream output, string toolVersion, IReadOnlyList<RatedFinding> findings)
    {
        var options = new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using var json = new Utf8JsonWriter(output, options);
        json.WriteStartObject();
        json.WriteNumber("version", FormatVersion);
        json.WriteStartObject("tool");
        json.WriteString("name", "nspolicy");
        json.WriteString("version", toolVersion);
        json.WriteEndObject();
        json.WriteStartArray("findings");
        foreach (var f in findings)
        {
            json.WriteStartObject();
            json.WriteString("code", f.Code);
            json.WriteString("severity", f.Severity.ToName());
            if (f.Finding.Zone is { } zone)
            {
                json.WriteString("zone", zone);
            }
            else
            {
                json.WriteNull("zone");
            }

            json.WriteStartObject("location");
            json.WriteString("file", f.Location.File);
            json.WriteNumber("line", f.Location.Line);
            json.WriteNumber("column", f.Location.Column);
            json.WriteEndObject();
            json.WriteString("message", f.Finding.Message);
            WriteOptional(json, "expected", f.Finding.Expected);
            WriteOptional(json, "found", f.Finding.Found);
            if (f.Acknowledgement is { } ack)
            {
                json.WriteStartObject("acknowledged");
                json.WriteString("reason", ack.Reason);
                json.WriteString("until", ack.Until.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("acknowledged");
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        var s = FindingSummary.Of(findings);
        json.WriteStartObject("summary");
        json.WriteNumber("errors", s.Errors);
        json.WriteNumber("warnings", s.Warnings);
        json.WriteNumber("notices", s.Notices);
        json.WriteNumber("acknowledged", s.Acknowledged);
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
