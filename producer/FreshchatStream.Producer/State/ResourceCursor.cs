using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FreshchatStream.Producer.State;

/// <summary>
/// The position of one capture stream (a resource, or one conversation's messages), kept apart from its
/// partition — the account (<c>Redis:KeyPrefix</c>) and resource name, which are the Redis key and field.
/// The position is a high-water mark plus the ids already seen at exactly that instant, so equal timestamps
/// at the boundary are neither duplicated nor dropped, and a bag of strategy-specific <see cref="Properties"/>.
/// Stored as versioned JSON (<see cref="Serialize"/>); <see cref="Load"/> tolerates missing and unknown fields.
/// </summary>
public sealed record ResourceCursor
{
    public const int CurrentVersion = 1;

    /// <summary>Latest timestamp fully captured; null means "from the beginning".</summary>
    public DateTimeOffset? HighWaterMark { get; init; }

    /// <summary>Ids already captured whose timestamp equals <see cref="HighWaterMark"/>.</summary>
    public IReadOnlyList<string> IdsAtHighWaterMark { get; init; } = [];

    /// <summary>Strategy-specific values (e.g. a report window end, a scan page); string to string.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>When the cursor last moved (for lag reporting).</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    public bool IsInitial => HighWaterMark is null && IdsAtHighWaterMark.Count == 0 && Properties.Count == 0;

    /// <summary>The cursor of a stream never captured: from <paramref name="startFrom"/> (e.g. now minus a lookback) or from the beginning.</summary>
    public static ResourceCursor Initial(DateTimeOffset? startFrom = null) => new() { HighWaterMark = startFrom };

    /// <summary>True when an item with this timestamp and id is at or behind the cursor, i.e. already captured.</summary>
    public bool HasSeen(DateTimeOffset timestamp, string id) =>
        HighWaterMark is { } mark && (timestamp < mark || (timestamp == mark && IdsAtHighWaterMark.Contains(id, StringComparer.Ordinal)));

    /// <summary>
    /// Moves the mark forward to <paramref name="timestamp"/> recording <paramref name="ids"/> as seen there;
    /// at the same instant the ids are added; an older timestamp leaves the cursor unchanged.
    /// </summary>
    public ResourceCursor Advance(DateTimeOffset timestamp, IEnumerable<string> ids, DateTimeOffset? now = null)
    {
        if (HighWaterMark is { } mark && timestamp < mark)
        {
            return this;
        }

        var atMark = HighWaterMark == timestamp ? IdsAtHighWaterMark.Concat(ids) : ids;
        return this with
        {
            HighWaterMark = timestamp,
            IdsAtHighWaterMark = [.. atMark.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            UpdatedAt = now ?? UpdatedAt,
        };
    }

    public string? Property(string name) => Properties.TryGetValue(name, out var value) ? value : null;

    /// <summary>A time-valued property (round-trip ISO 8601), or null when absent or unreadable.</summary>
    public DateTimeOffset? Time(string name) => ParseTime(Property(name));

    /// <summary>A copy with the time-valued property <paramref name="name"/> set (or removed when null).</summary>
    public ResourceCursor WithTime(string name, DateTimeOffset? value) => WithProperty(name, value is { } time ? FormatTime(time) : null);

    /// <summary>The one text form of a time inside stored state: UTC, round-trip ("O").</summary>
    internal static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    internal static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed) ? parsed : null;

    /// <summary>A copy with <paramref name="name"/> set (or removed when <paramref name="value"/> is null).</summary>
    public ResourceCursor WithProperty(string name, string? value)
    {
        var properties = new Dictionary<string, string>(Properties, StringComparer.Ordinal);
        if (value is null)
        {
            properties.Remove(name);
        }
        else
        {
            properties[name] = value;
        }

        return this with { Properties = properties };
    }

    /// <summary>
    /// Versioned JSON: <c>{"version":1,"high_water_mark":"…Z","ids_at_high_water_mark":[…],"properties":{…},"updated_at":"…Z"}</c>;
    /// absent values are omitted.
    /// </summary>
    public string Serialize()
    {
        var json = new JsonObject { ["version"] = CurrentVersion };
        if (HighWaterMark is { } mark)
        {
            json["high_water_mark"] = Format(mark);
        }

        if (IdsAtHighWaterMark.Count > 0)
        {
            json["ids_at_high_water_mark"] = new JsonArray([.. IdsAtHighWaterMark.Select(id => (JsonNode)id)]);
        }

        if (Properties.Count > 0)
        {
            var properties = new JsonObject();
            foreach (var (name, value) in Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                properties[name] = value;
            }

            json["properties"] = properties;
        }

        if (UpdatedAt is { } updated)
        {
            json["updated_at"] = Format(updated);
        }

        return json.ToJsonString();
    }

    /// <summary>
    /// Reads a stored cursor. Null or empty text is <see cref="Initial"/>; a missing <c>version</c> is read as
    /// version 1; missing fields take their defaults and unknown fields are ignored, so older and newer writers
    /// can share a store. Text that is not a JSON object throws <see cref="FormatException"/>.
    /// </summary>
    public static ResourceCursor Load(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return Initial();
        }

        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"A stored cursor is not valid JSON: {e.Message}", e);
        }

        if (parsed is not JsonObject root)
        {
            throw new FormatException("A stored cursor must be a JSON object.");
        }

        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root["properties"] is JsonObject bag)
        {
            foreach (var (name, value) in bag)
            {
                if (value is JsonValue scalar)
                {
                    properties[name] = scalar.GetValueKind() == JsonValueKind.String ? scalar.GetValue<string>() : scalar.ToJsonString();
                }
            }
        }

        return new ResourceCursor
        {
            HighWaterMark = ReadTime(root["high_water_mark"]),
            IdsAtHighWaterMark = root["ids_at_high_water_mark"] is JsonArray ids
                ? [.. ids.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>())]
                : [],
            Properties = properties,
            UpdatedAt = ReadTime(root["updated_at"]),
        };
    }

    private static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset? ReadTime(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String
        && DateTimeOffset.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : null;

    public bool Equals(ResourceCursor? other) =>
        other is not null && HighWaterMark == other.HighWaterMark && UpdatedAt == other.UpdatedAt
        && IdsAtHighWaterMark.SequenceEqual(other.IdsAtHighWaterMark, StringComparer.Ordinal)
        && Properties.Count == other.Properties.Count
        && Properties.All(p => other.Properties.TryGetValue(p.Key, out var v) && v == p.Value);

    public override int GetHashCode() => HashCode.Combine(HighWaterMark, IdsAtHighWaterMark.Count, Properties.Count);
}
