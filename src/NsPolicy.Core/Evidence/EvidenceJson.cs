// The evidence file: System.Text.Json with camelCase names in declaration order, enums as
// camelCase strings, names and addresses as text, records as master-file lines, rcodes as
// their mnemonics (NOERROR, SERVFAIL, ...). Written with LF line ends.
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using NsPolicy.Dns;
using NsPolicy.Dns.Files;
using NsPolicy.Dns.ZoneFiles;

namespace NsPolicy.Core.Evidence;

/// <summary>
/// Input of the live stage cannot be used: an evidence file that cannot be read or is not valid
/// evidence (the message names the file and position), root hints that cannot be read, an
/// evidence file that cannot be written.
/// </summary>
public sealed class LiveInputException(string message, Exception? inner = null) : Exception(message, inner);

public static class EvidenceJson
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    public static string Serialize(DelegationEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        return JsonSerializer.Serialize(evidence, Options).ReplaceLineEndings("\n") + "\n";
    }

    /// <param name="json">The file's text.</param>
    /// <param name="source">The file name used in error messages.</param>
    public static DelegationEvidence Deserialize(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using (var document = JsonDocument.Parse(json))
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object
                    || !document.RootElement.TryGetProperty("formatVersion", out var version)
                    || version.ValueKind != JsonValueKind.Number
                    || !version.TryGetInt32(out var number)
                    || number != DelegationEvidence.CurrentFormatVersion)
                {
                    throw new LiveInputException(string.Create(CultureInfo.InvariantCulture,
                        $"{source}: not an nspolicy evidence file of format version {DelegationEvidence.CurrentFormatVersion} (\"formatVersion\" is missing or different)"));
                }
            }

            return JsonSerializer.Deserialize<DelegationEvidence>(json, Options)
                ?? throw new LiveInputException($"{source}: the file holds null, not evidence");
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            var column = (e.BytePositionInLine ?? 0) + 1;
            var reason = e.InnerException is FormatException inner ? inner.Message : FirstSentence(e.Message);
            throw new LiveInputException(string.Create(CultureInfo.InvariantCulture,
                $"{source}:{line}:{column}: {reason}{(e.Path is { } path ? $" (at {path})" : string.Empty)}"), e);
        }
    }

    public static async Task SaveAsync(DelegationEvidence evidence, string path, CancellationToken cancellationToken, Secrets.SecretMasker? masker = null)
    {
        try
        {
            await Output.AtomicFile.WriteAsync(path, Serialize(evidence), masker, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LiveInputException($"{path}: cannot write the evidence file: {e.Message}", e);
        }
    }

    public static async Task<DelegationEvidence> LoadAsync(string path, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await FileAccessPolicy.Anywhere.ReadAllTextAsync(path, FileAccessPolicy.MaxEvidenceBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LiveInputException($"{path}: cannot read the evidence file: {e.Message}", e);
        }

        return Deserialize(text, path);
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            IndentSize = 2,
            NewLine = "\n",
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            RespectNullableAnnotations = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        };
        options.Converters.Add(new TextConverter<DnsName>(text =>
            DnsName.TryParse(text, out var name, out var error) ? name! : throw new JsonException($"not a domain name: {error}")));
        options.Converters.Add(new TextConverter<IPAddress>(text =>
            IPAddress.TryParse(text, out var address) ? address : throw new JsonException($"'{Excerpt.Of(text)}' is not an IP address")));
        options.Converters.Add(new TextConverter<RecordType>(text =>
            RecordType.TryParse(text, out var type) ? type : throw new JsonException($"'{Excerpt.Of(text)}' is not a record type")));
        options.Converters.Add(new RcodeConverter());
        options.Converters.Add(new RecordConverter());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>A value written as its text and read back by <paramref name="parse"/>, which throws a <see cref="JsonException"/> saying what the text is not.</summary>
    private sealed class TextConverter<T>(Func<string?, T> parse) : JsonConverter<T>
        where T : notnull
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => parse(reader.GetString());

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }

    private sealed class RcodeConverter : JsonConverter<DnsResponseCode>
    {
        public override DnsResponseCode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString();
            if (text is not null && text.Length > 0 && !char.IsAsciiDigit(text[0])
                && Enum.TryParse<DnsResponseCode>(text, ignoreCase: true, out var code))
            {
                return code;
            }

            if (text is not null && text.StartsWith("RCODE", StringComparison.Ordinal)
                && ushort.TryParse(text.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return (DnsResponseCode)number;
            }

            throw new JsonException($"'{Excerpt.Of(text)}' is not an rcode");
        }

        public override void Write(Utf8JsonWriter writer, DnsResponseCode value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Mnemonic(value));
    }

    /// <summary>The rcode as DNS tools print it: NOERROR, SERVFAIL, NXDOMAIN, REFUSED; RCODEnn for unnamed values.</summary>
    public static string Mnemonic(DnsResponseCode code) => Enum.IsDefined(code)
        ? code.ToString().ToUpperInvariant()
        : "RCODE" + ((ushort)code).ToString(CultureInfo.InvariantCulture);

    /// <summary>A record as one master-file line: owner TTL class type RDATA.</summary>
    public static string RecordLine(ResourceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return string.Create(CultureInfo.InvariantCulture, $"{record.Owner.ToOriginalCaseString()} {record.Ttl} {record.Class} {record.Type} {record.Data}");
    }

    private sealed class RecordConverter : JsonConverter<ResourceRecord>
    {
        public override ResourceRecord Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString() ?? throw new JsonException("a record is null");
            ZoneFileError? error = null;
            var records = new List<ResourceRecord>(1);
            using (var lines = new StringReader(text))
            using (var parser = ZoneFileParser.ForText(lines, "record", DnsName.Root))
            {
                // One record written in this text (a record from an $INCLUDEd file is none).
                while (error is null && records.Count < 2 && parser.Next(out var entry))
                {
                    error = entry.Error ?? (entry.Record.File == "record" ? null : new ZoneFileError(entry.Record.File, 1, 1, string.Empty, "a record must not come from another file"));
                    if (error is null)
                    {
                        records.Add(entry.Record.Record);
                    }
                }
            }

            if (error is not null || records.Count != 1)
            {
                throw new JsonException($"not one resource record in master-file form: '{Excerpt.Of(text)}'{(error is null ? string.Empty : ": " + error.Message)}");
            }

            return records[0];
        }

        public override void Write(Utf8JsonWriter writer, ResourceRecord value, JsonSerializerOptions options) =>
            writer.WriteStringValue(RecordLine(value));
    }
}
