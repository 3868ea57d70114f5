using System.Globalization;
using System.Text.Json;

namespace FreshchatStream.Producer.Freshchat.Models;

/// <summary>
/// One object as the API returned it. <see cref="Json"/> keeps every field, including ones Freshchat adds
/// later; the typed properties of subclasses are read-only views over it that tolerate missing fields and
/// keep enum-like values as strings.
/// </summary>
public class FreshchatRecord
{
    public FreshchatRecord(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"A Freshchat record must be a JSON object, not {json.ValueKind}.", nameof(json));
        }

        Json = json;
    }

    /// <summary>The whole object, detached from the response document.</summary>
    public JsonElement Json { get; }

    /// <summary>The property as text: strings as they are, numbers and booleans as their JSON text; null when missing or null.</summary>
    public string? GetString(string property) =>
        Json.TryGetProperty(property, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                _ => null,
            }
            : null;

    /// <summary>An ISO-8601 timestamp as UTC; null when missing or not a parseable timestamp.</summary>
    public DateTimeOffset? GetTimestamp(string property) =>
        GetString(property) is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed.ToUniversalTime()
            : null;

    public bool? GetBoolean(string property) =>
        Json.TryGetProperty(property, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;

    public override string ToString() => Json.GetRawText();
}
