using System.Text.Json;

namespace FreshchatStream.Consumers.Landing;

/// <summary>
/// One Kafka record decoded for landing: where it came from, its key (canonical JSON text, the current-state
/// table's primary key), and its value fields in schema order — or none for a tombstone.
/// </summary>
public sealed record LandedRecord(string Resource, string Topic, int Partition, long Offset, string Key, TableShape? Shape, object?[]? Values)
{
    public bool IsTombstone => Values is null;

    /// <summary>The Kafka record's timestamp (UTC): the only time a tombstone carries.</summary>
    public DateTime? Timestamp { get; init; }

    public string? EventId => Field("__event_id") as string;

    public string? Op => Field("__op") as string;

    public DateTime? CapturedAt => Field("__captured_at") as DateTime?;

    public object? Field(string name)
    {
        if (Shape is null || Values is null)
        {
            return null;
        }

        for (var i = 0; i < Shape.Columns.Count; i++)
        {
            if (Shape.Columns[i].Name == name)
            {
                return Values[i];
            }
        }

        return null;
    }

    /// <summary>Canonical key text: the key record's fields in schema order, as compact JSON.</summary>
    public static string KeyText(Avro.Generic.GenericRecord key)
    {
        var fields = key.Schema.Fields.ToDictionary(f => f.Name, f => key[f.Name]?.ToString());
        return JsonSerializer.Serialize(fields);
    }
}

/// <summary>A record that could not be landed, kept with the reason in the dead-letter table.</summary>
public sealed record DeadLetter(string Topic, int Partition, long Offset, string? Key, string Reason);
