using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Avro;

namespace FreshchatStream.Producer.Publishing.Avro;

/// <summary>
/// Converts one JSON value (or a value computed by <see cref="ConvenienceColumns"/>) to the .NET value Avro's
/// generic writer expects for a field schema: <c>string</c>, <c>long</c>, <c>bool</c> or, for
/// <c>timestamp-millis</c>, a UTC <see cref="DateTime"/>. Accepted inputs per target type:
/// string ⇐ string, number (as its text), boolean (<c>true</c>/<c>false</c>), object/array (compact JSON);
/// long ⇐ integer number or numeric string; boolean ⇐ boolean or <c>"true"</c>/<c>"false"</c>;
/// timestamp-millis ⇐ ISO-8601 string or epoch-milliseconds number. Anything else is a mismatch.
/// </summary>
internal static class JsonAvroConverter
{
    private static readonly JsonWriterOptions CompactWriter = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Converts <paramref name="source"/>; returns a problem description instead of throwing.</summary>
    public static object? Convert(object? source, Schema schema, out string? problem)
    {
        problem = null;
        if (schema is UnionSchema union)
        {
            if (IsNull(source))
            {
                return null;
            }

            foreach (var branch in union.Schemas)
            {
                if (branch.Tag != Schema.Type.Null)
                {
                    return Convert(source, branch, out problem);
                }
            }
        }

        if (IsNull(source))
        {
            problem = "is required but the value is missing or null";
            return null;
        }

        if (schema is LogicalSchema { LogicalTypeName: "timestamp-millis" })
        {
            return ToTimestamp(source!, out problem);
        }

        return schema.Tag switch
        {
            Schema.Type.String => ToText(source!),
            Schema.Type.Long => ToLong(source!, out problem),
            Schema.Type.Boolean => ToBoolean(source!, out problem),
            _ => Unsupported(schema, out problem),
        };
    }

    /// <summary>Compact JSON text of an element with minimal escaping (non-ASCII kept literal).</summary>
    public static string CompactJson(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, CompactWriter))
        {
            element.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static bool IsNull(object? source) =>
        source is null || source is JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined };

    private static string ToText(object source) => source switch
    {
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()!,
        JsonElement { ValueKind: JsonValueKind.Number } e => e.GetRawText(),
        JsonElement { ValueKind: JsonValueKind.True } => "true",
        JsonElement { ValueKind: JsonValueKind.False } => "false",
        JsonElement e => CompactJson(e),
        DateTime time => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => source.ToString() ?? string.Empty,
    };

    private static object? ToLong(object source, out string? problem)
    {
        problem = null;
        switch (source)
        {
            case long number:
                return number;
            case int number:
                return (long)number;
            case JsonElement { ValueKind: JsonValueKind.Number } e when e.TryGetInt64(out var number):
                return number;
            case JsonElement { ValueKind: JsonValueKind.String } e when TryParseLong(e.GetString()!, out var parsed):
                return parsed;
            case string text when TryParseLong(text, out var parsed):
                return parsed;
            default:
                problem = $"expects a long but got {Describe(source)}";
                return null;
        }
    }

    private static object? ToBoolean(object source, out string? problem)
    {
        problem = null;
        switch (source)
        {
            case bool flag:
                return flag;
            case JsonElement { ValueKind: JsonValueKind.True }:
                return true;
            case JsonElement { ValueKind: JsonValueKind.False }:
                return false;
            case JsonElement { ValueKind: JsonValueKind.String } e when bool.TryParse(e.GetString(), out var parsed):
                return parsed;
            case string text when bool.TryParse(text, out var parsed):
                return parsed;
            default:
                problem = $"expects a boolean but got {Describe(source)}";
                return null;
        }
    }

    private static object? ToTimestamp(object source, out string? problem)
    {
        problem = null;
        switch (source)
        {
            case DateTime time:
                return time.ToUniversalTime();
            case DateTimeOffset time:
                return time.UtcDateTime;
            case long millis:
                return DateTime.UnixEpoch.AddMilliseconds(millis);
            case JsonElement { ValueKind: JsonValueKind.Number } e when e.TryGetInt64(out var millis):
                return DateTime.UnixEpoch.AddMilliseconds(millis);
            case JsonElement { ValueKind: JsonValueKind.String } e when e.TryGetDateTime(out var iso):
                // The fast ISO 8601 path; a value without an offset is UTC, as in TryParseTimestamp.
                return iso.Kind switch
                {
                    DateTimeKind.Utc => iso,
                    DateTimeKind.Local => iso.ToUniversalTime(),
                    _ => DateTime.SpecifyKind(iso, DateTimeKind.Utc),
                };
            case JsonElement { ValueKind: JsonValueKind.String } e when TryParseTimestamp(e.GetString()!, out var parsed):
                return parsed;
            case string text when TryParseTimestamp(text, out var parsed):
                return parsed;
            default:
                problem = $"expects an ISO-8601 timestamp or epoch milliseconds but got {Describe(source)}";
                return null;
        }
    }

    /// <summary>The <c>__source_ts</c> of an entity: <c>updated_time</c> when present and readable, else <c>created_time</c>, else null.</summary>
    public static DateTime? SourceTimestamp(JsonElement? entity)
    {
        if (entity is not { } e)
        {
            return null;
        }

        foreach (var name in (ReadOnlySpan<string>)["updated_time", "created_time"])
        {
            if (e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                && TryParseTimestamp(value.GetString()!, out var parsed))
            {
                return parsed;
            }
        }

        return null;
    }

    /// <summary>Parses an ISO-8601 timestamp; a value without an offset is taken as UTC.</summary>
    public static bool TryParseTimestamp(string text, out DateTime utc)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            utc = parsed.UtcDateTime;
            return true;
        }

        utc = default;
        return false;
    }

    private static bool TryParseLong(string text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    private static object? Unsupported(Schema schema, out string? problem)
    {
        problem = $"has Avro type {schema.Tag}, which the event builder does not map (schemas use string, long, boolean and timestamp-millis)";
        return null;
    }

    private static string Describe(object source) => source switch
    {
        JsonElement { ValueKind: JsonValueKind.String } e => $"a string of {e.GetString()!.Length} characters",
        JsonElement e => $"a JSON {e.ValueKind.ToString().ToLowerInvariant()}",
        string text => $"a string of {text.Length} characters",
        _ => $"a {source.GetType().Name}",
    };
}
