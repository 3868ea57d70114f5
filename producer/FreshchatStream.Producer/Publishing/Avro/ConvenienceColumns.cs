using System.Text.Json;

namespace FreshchatStream.Producer.Publishing.Avro;

/// <summary>
/// Columns that are not a property of the API object but derived from it, so warehouse users don't have to
/// parse JSON for the common questions (a message's text, an agent's status name). One small function per
/// (resource, column); everything not listed here maps from the property of the same name.
/// </summary>
internal static class ConvenienceColumns
{
    private static readonly Dictionary<(string Resource, string Column), Func<JsonElement, object?>> Columns = new()
    {
        [("users", "avatar_url")] = e => Path(e, "avatar", "url"),
        [("agents", "avatar_url")] = e => Path(e, "avatar", "url"),
        [("agents", "agent_status_id")] = e => Path(e, "agent_status", "id"),
        [("agents", "agent_status_name")] = e => Path(e, "agent_status", "name"),
        [("channels", "icon_url")] = e => Path(e, "icon", "url"),
        [("conversations", "priority")] = e => Path(e, "properties", "priority"),
        [("messages", "text")] = MessageText,
        [("messages", "part_types")] = PartTypes,
        [("messages", "in_reply_to_message_id")] = e => Path(e, "in_reply_to", "message_id"),
        [("outbound_messages", "created_on")] = EpochSeconds,
        [("outbound_messages", "from_phone_number")] = e => Path(e, "from", "phone_number"),
        [("outbound_messages", "to_phone_number")] = e => Path(e, "to", "phone_number"),
        [("report_events", "conversation_id")] = e => RowColumn(e, "conversationid"),
        [("report_events", "agent_id")] = e => RowColumn(e, "agentid"),
        [("report_events", "user_id")] = e => RowColumn(e, "userid"),
        [("report_events", "group_id")] = e => RowColumn(e, "groupid"),
    };

    public static bool TryDerive(string resource, string column, JsonElement entity, out object? value)
    {
        if (Columns.TryGetValue((resource, column), out var derive))
        {
            value = derive(entity);
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>The derivation of a column, for writers that resolve it once per schema instead of per record.</summary>
    public static Func<JsonElement, object?>? For(string resource, string column) => Columns.GetValueOrDefault((resource, column));

    private static object? Path(JsonElement entity, string parent, string child) =>
        entity.TryGetProperty(parent, out var node) && node.ValueKind == JsonValueKind.Object && node.TryGetProperty(child, out var value)
            ? value
            : null;

    /// <summary>The content of every text part (inside collections too), in order, one per line.</summary>
    private static object? MessageText(JsonElement message)
    {
        if (!message.TryGetProperty("message_parts", out var parts) || parts.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var texts = new List<string>();
        CollectText(parts, texts);
        return texts.Count == 0 ? null : string.Join('\n', texts);
    }

    private static void CollectText(JsonElement parts, List<string> texts)
    {
        foreach (var part in parts.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            if (Path(part, "text", "content") is JsonElement { ValueKind: JsonValueKind.String } content)
            {
                texts.Add(content.GetString()!);
            }
            else if (Path(part, "collection", "sub_parts") is JsonElement { ValueKind: JsonValueKind.Array } subParts)
            {
                CollectText(subParts, texts);
            }
        }
    }

    /// <summary>The kind of each top-level part (its single property name), comma-separated.</summary>
    private static object? PartTypes(JsonElement message)
    {
        if (!message.TryGetProperty("message_parts", out var parts) || parts.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var kinds = parts.EnumerateArray()
            .Where(p => p.ValueKind == JsonValueKind.Object)
            .Select(p => p.EnumerateObject().Select(m => m.Name).FirstOrDefault())
            .OfType<string>()
            .ToList();
        return kinds.Count == 0 ? null : string.Join(',', kinds);
    }

    /// <summary>Outbound messages carry <c>created_on</c> as epoch seconds, not ISO text.</summary>
    private static object? EpochSeconds(JsonElement message)
    {
        if (!message.TryGetProperty("created_on", out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
            ? DateTime.UnixEpoch.AddSeconds(seconds)
            : value;
    }

    /// <summary>A report row column found by its normalised name (lower case, letters and digits only).</summary>
    private static object? RowColumn(JsonElement reportEvent, string normalisedName)
    {
        if (!reportEvent.TryGetProperty("row", out var row) || row.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var column in row.EnumerateObject())
        {
            if (string.Equals(Normalise(column.Name), normalisedName, StringComparison.Ordinal))
            {
                return column.Value.ValueKind == JsonValueKind.String && column.Value.GetString() is { Length: 0 } ? null : column.Value;
            }
        }

        return null;
    }

    private static string Normalise(string name) =>
        string.Concat(name.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant));
}
