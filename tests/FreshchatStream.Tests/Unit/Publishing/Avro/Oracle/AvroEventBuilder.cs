using System.Text.Json;
using Avro;
using Avro.Generic;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing.Avro;

namespace FreshchatStream.Tests.Unit.Publishing.Avro.Oracle;

/// <summary>
/// The test oracle of <see cref="AvroRecordPlan"/> (the producer's only serialization path): the original
/// <c>GenericRecord</c> builder, kept here so the direct writer is proven against Avro's own writer.
/// Builds the Avro key and value records of a <see cref="ChangeEvent"/>, driven by the topic's schema: for
/// each value field, metadata (<c>__*</c>) comes from the event, <c>raw_json</c> from the raw object, the id
/// columns from the key, convenience columns from <see cref="ConvenienceColumns"/>, and every other field from
/// the JSON property of the same name, converted by <see cref="JsonAvroConverter"/>. A property the schema
/// does not know stays in <c>raw_json</c> only; a value that does not fit throws <see cref="AvroMappingException"/>.
/// </summary>
internal sealed class AvroEventBuilder(EmbeddedSchemas schemas)
{
    public AvroEventBuilder()
        : this(EmbeddedSchemas.Instance)
    {
    }

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
            case "__source_ts": return JsonAvroConverter.SourceTimestamp(change.Entity);
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
}
