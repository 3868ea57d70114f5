using System.Collections.Concurrent;
using Avro;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;

namespace FreshchatStream.Consumers.Landing;

/// <summary>
/// Decodes Schema Registry wire-format Avro keys and values into <see cref="LandedRecord"/>s (one cached
/// deserializer per process). A record that cannot be decoded throws <see cref="PoisonRecordException"/> with the
/// reason, so the lander dead-letters it and goes on.
/// </summary>
public sealed class RecordDecoder(ISchemaRegistryClient registry)
{
    private readonly AvroDeserializer<GenericRecord> _deserializer = new(registry);
    private readonly ConcurrentDictionary<string, TableShape> _shapes = new(StringComparer.Ordinal);

    /// <summary>
    /// A registry that refuses the credentials (401/403) or does not answer is an outage, not a bad record: the lander
    /// stops (exit 3) with the batch uncommitted instead of dead-lettering every record it cannot look up. An unknown
    /// schema id (404) stays a poison record.
    /// </summary>
    private static Exception? RegistryUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SchemaRegistryException { Status: System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden } refused:
                    return new LanderUpstreamException($"the Schema Registry refused the lander's credentials ({(int)refused.Status}); check SchemaRegistry:BasicAuthUserInfo.", e);
                case SchemaRegistryException { Status: >= System.Net.HttpStatusCode.InternalServerError } failed:
                    return new LanderUpstreamException($"the Schema Registry failed ({(int)failed.Status}).", e);
                case HttpRequestException or TimeoutException or TaskCanceledException:
                    return new LanderUpstreamException($"the Schema Registry did not answer: {e.Message}", e);
            }
        }

        return null;
    }

    public async Task<LandedRecord> DecodeAsync(string resource, ConsumeResult<byte[], byte[]> result)
    {
        var topic = result.Topic;
        GenericRecord key;
        try
        {
            key = await _deserializer.DeserializeAsync(result.Message.Key, result.Message.Key is null, new SerializationContext(MessageComponentType.Key, topic));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw RegistryUnavailable(e) ?? new PoisonRecordException($"the key cannot be decoded as Avro: {e.Message}", e);
        }

        if (key is null)
        {
            throw new PoisonRecordException("the record has no key");
        }

        var keyText = LandedRecord.KeyText(key);
        if (result.Message.Value is null)
        {
            return new LandedRecord(resource, topic, result.Partition.Value, result.Offset.Value, keyText, null, null) { Timestamp = TimestampOf(result) };
        }

        GenericRecord value;
        try
        {
            value = await _deserializer.DeserializeAsync(result.Message.Value, false, new SerializationContext(MessageComponentType.Value, topic));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw RegistryUnavailable(e) ?? new PoisonRecordException($"the value cannot be decoded as Avro: {e.Message}", e);
        }

        var shape = _shapes.GetOrAdd(value.Schema.ToString(), _ => TableShape.From(value.Schema));
        var values = new object?[shape.Columns.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Normalize(value.TryGetValue(shape.Columns[i].Name, out var field) ? field : null);
        }

        if (values[IndexOf(shape, "__event_id")] is not string)
        {
            throw new PoisonRecordException("the value has no __event_id");
        }

        return new LandedRecord(resource, topic, result.Partition.Value, result.Offset.Value, keyText, shape, values) { Timestamp = TimestampOf(result) };
    }

    private static DateTime? TimestampOf(ConsumeResult<byte[], byte[]> result) =>
        result.Message.Timestamp.Type == TimestampType.NotAvailable ? null : result.Message.Timestamp.UtcDateTime;

    private static int IndexOf(TableShape shape, string name)
    {
        for (var i = 0; i < shape.Columns.Count; i++)
        {
            if (shape.Columns[i].Name == name)
            {
                return i;
            }
        }

        throw new PoisonRecordException($"the value schema has no {name} field; it is not a FreshchatStream event");
    }

    private static object? Normalize(object? value) => value switch
    {
        null or string or long or int or bool or double => value,
        float f => (double)f,
        DateTime time => DateTime.SpecifyKind(time.ToUniversalTime(), DateTimeKind.Utc),
        _ => value.ToString(), // records, enums, fixed, arrays: the producer emits none; kept as text
    };
}

/// <summary>A record the lander cannot land (undecodable, or rejected by the database); it goes to the dead-letter table.</summary>
public sealed class PoisonRecordException(string message, Exception? inner = null) : Exception(message, inner);
