using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using NsPolicy.Core.Checks;
using NsPolicy.Core.Findings;

namespace NsPolicy.Core.Reporting;

/// <summary>
/// The machine-readable report, described by <c>schemas/nspolicy-report.schema.json</c>: a format
/// version, the tool, the findings in report order with a stable property order and a stable
/// fingerprint each, and the summary. Written with LF line ends.
/// </summary>
public static class JsonReporter
{
    /// <summary>The report format version; raised only when a change would break a reader.</summary>
    public const int FormatVersion = 1;

    public static string Render(ReportInput input)
    {
        using var buffer = new MemoryStream();
        Write(buffer, input.ToolVersion, input.Findings);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void Write(Stream output, string toolVersion, IReadOnlyList<RatedFinding> findings)
    {
        var sorted = FindingRater.Sort(findings);
        var fingerprints = FindingFingerprints.Of(sorted);
        var options = new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using var json = new Utf8JsonWriter(output, options);
        json.WriteStartObject();
        json.WriteNumber("version", FormatVersion);
        json.WriteStartObject("tool");
        json.WriteString("name", "nspolicy");
        json.WriteString("version", toolVersion);
        json.WriteEndObject();
        json.WriteStartArray("findings");
        for (var i = 0; i < sorted.Count; i++)
        {
            var f = sorted[i];
            json.WriteStartObject();
            json.WriteString("code", f.Code);
            json.WriteString("severity", f.Severity.ToName());
            WriteOptional(json, "zone", f.Finding.Zone?.ToString());
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
                json.WriteString("until", ack.Until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("acknowledged");
            }

            json.WriteString("fingerprint", fingerprints[i]);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        var s = FindingSummary.Of(sorted);
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
