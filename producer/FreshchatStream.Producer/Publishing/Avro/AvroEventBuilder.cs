using System.Text.Json;
using Avro;
using Avro.Generic;
using FreshchatStream.Producer.Events;

namespace FreshchatStream.Producer.Publishing.Avro;

/// <summary>
/// Builds the Avro key and value records of a <see cref="ChangeEvent"/>, driven by the topic's schema: for
/// each value field, metadata (<c>__*</c>) comes from the event, <c>raw_json</c> from the raw object, the id
/// columns from the key, convenience columns from <see cref="ConvenienceColumns"/>, and every other field from
/// the JSON property of the same name, converted by <see cref="JsonAvroConverter"/>. A property the schema
/// does not know stays in <c>raw_json</c> only; a value that does not fit throws <see cref="AvroMappingException"/>.
/// </summary>
public sealed class AvroEventBuilder(EmbeddedSchemas schemas)
{
    public AvroEventBuilder()
        : this(EmbeddedSchemas.Instance)
    {
    }

    /// <summary>The schemas records are built against (the direct writers compile the same ones).</summary>
    internal EmbeddedSchemas Schemas => schemas;

    public GenericRecord BuildKey(ChangeEvent change)
    {
        var record = new GenericRecord(schemas.Key(change.Resource));
        if (change.Key.ConversationId is { } conversationId)
        {
            record.Add("conversation_id", conversationId);
        }

        record.Add("id", change.Key.Id);
        return record;
    }

    /// <param name="change">The event.</param>
    /// <param name="topic">The full topic name, used in errors and the event id.</param>
    /// <param name="eventId">The event's id (see <see cref="EventIds"/>).</param>
    public GenericRecord BuildValue(ChangeEvent change, string topic, string eventId)
    {
        var schema = schemas.Value(change.Resource);
        var record = new GenericRecord(schema);
        foreach (var field in schema.Fields)
        {
            var source = Source(change, field.Name, eventId);
            var value = JsonAvroConverter.Convert(source, field.Schema, out var problem);
            if (problem is not null)
            {
                throw new AvroMappingException(topic, field.Name, change.Key.CanonicalJson, problem);
            }

            record.Add(field.Name, value);
        }

        return record;
    }

    private static object? Source(ChangeEvent change, string field, string eventId)
    {
        switch (field)
        {
            case "__event_id": return eventId;
            case "__op": return change.Op.Code();
            case "__deleted": return change.IsDelete;
            case "__captured_at": return change.CapturedAt.UtcDateTime;
            case "__source_ts": return SourceTimestamp(change.Entity);
            case "__account": return change.Account;
            case "__endpoint": return change.Endpoint;
            case "raw_json": return change.Entity is { } raw ? raw.GetRawText() : null;
        }

        if (field == change.Resource.IdField)
        {
            return change.Key.Id;
        }

        if (change.Resource.KeyKind == TopicKeyKind.Message && field == "conversation_id")
        {
            return change.Key.ConversationId;
        }

        if (change.Entity is not { } entity)
        {
            return null;
        }

        if (ConvenienceColumns.TryDerive(change.Resource.Resource, field, entity, out var derived))
        {
            return derived;
        }

        return entity.TryGetProperty(field, out var property) ? property : null;
    }

    /// <summary><c>updated_time</c> when present and readable, else <c>created_time</c>, else null.</summary>
    internal static DateTime? SourceTimestamp(JsonElement? entity)
    {
        if (entity is not { } e)
        {
            return null;
        }

        foreach (var name in (ReadOnlySpan<string>)["updated_time", "created_time"])
        {
            if (e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                && JsonAvroConverter.TryParseTimestamp(value.GetString()!, out var parsed))
            {
                return parsed;
            }
        }

        return null;
    }
}
