using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NsPolicy.Core.GitHub;

/// <summary>Reads the few members of GitHub's JSON that nspolicy uses, and writes request bodies.</summary>
internal static class GitHubJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static GitHubIssue ReadIssue(JsonElement e)
    {
        var labels = new List<string>();
        if (e.TryGetProperty("labels", out var labelArray) && labelArray.ValueKind == JsonValueKind.Array)
        {
            foreach (var label in labelArray.EnumerateArray())
            {
                // Labels come as objects with a name; some endpoints and old servers give plain strings.
                var name = label.ValueKind == JsonValueKind.String ? label.GetString() : OptionalString(label, "name");
                if (name is not null)
                {
                    labels.Add(name);
                }
            }
        }

        var state = RequiredString(e, "state") switch
        {
            "open" => GitHubIssueState.Open,
            "closed" => GitHubIssueState.Closed,
            var other => throw new JsonException($"unknown issue state '{other}'"),
        };
        return new GitHubIssue(
            e.GetProperty("number").GetInt32(),
            OptionalString(e, "title") ?? string.Empty,
            OptionalString(e, "body") ?? string.Empty,
            state,
            OptionalString(e, "state_reason"),
            labels,
            ReadTime(e, "created_at"),
            OptionalString(e, "html_url"),
            e.TryGetProperty("pull_request", out var pr) && pr.ValueKind == JsonValueKind.Object);
    }

    public static GitHubComment ReadComment(JsonElement e) =>
        new(e.GetProperty("id").GetInt64(), OptionalString(e, "body") ?? string.Empty, ReadTime(e, "created_at"), OptionalString(e, "html_url"));

    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static byte[] NewIssue(NewIssue issue) => Write(json =>
    {
        json.WriteString("title", issue.Title);
        json.WriteString("body", issue.Body);
        WriteLabels(json, issue.Labels);
    });

    public static byte[] Edit(IssueEdit edit) => Write(json =>
    {
        if (edit.Title is not null)
        {
            json.WriteString("title", edit.Title);
        }

        if (edit.Body is not null)
        {
            json.WriteString("body", edit.Body);
        }

        if (edit.State is { } state)
        {
            json.WriteString("state", state == GitHubIssueState.Open ? "open" : "closed");
            if (edit.StateReason is not null)
            {
                json.WriteString("state_reason", edit.StateReason);
            }
        }

        if (edit.Labels is not null)
        {
            WriteLabels(json, edit.Labels);
        }
    });

    public static byte[] Comment(string body) => Write(json => json.WriteString("body", body));

    /// <summary>GitHub's error message (<c>message</c>, plus any <c>errors[].message</c>), or null.</summary>
    public static string? ErrorMessage(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var message = OptionalString(doc.RootElement, "message");
            if (doc.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                var details = errors.EnumerateArray()
                    .Select(x => x.ValueKind == JsonValueKind.Object ? OptionalString(x, "message") ?? OptionalString(x, "code") : null)
                    .Where(x => x is not null);
                var joined = string.Join("; ", details);
                if (joined.Length > 0)
                {
                    message = message is null ? joined : $"{message} ({joined})";
                }
            }

            return message;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void WriteLabels(Utf8JsonWriter json, IReadOnlyList<string> labels)
    {
        json.WriteStartArray("labels");
        foreach (var label in labels)
        {
            json.WriteStringValue(label);
        }

        json.WriteEndArray();
    }

    private static string RequiredString(JsonElement e, string name) =>
        OptionalString(e, name) ?? throw new JsonException($"member '{name}' is missing");

    private static string? OptionalString(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset ReadTime(JsonElement e, string name) =>
        OptionalString(e, name) is { } text
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : DateTimeOffset.MinValue;
}
