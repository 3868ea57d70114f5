using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Avro;
using FreshchatStream.Producer.Events;

namespace FreshchatStream.Producer.Publishing.Avro;

/// <summary>
/// A key or value schema compiled once into the steps that write a <see cref="ChangeEvent"/> straight into the
/// Avro binary encoding — the producer's only serialization path. Per field, in schema order: where its value
/// comes from (metadata, the key's columns, a convenience column, else the JSON property of the same name), its
/// target type and its union branch indexes. The common
/// conversions (a JSON string to <c>string</c>, an integer to <c>long</c>, an ISO timestamp to
/// <c>timestamp-millis</c>, an object to compact JSON text) are written without a <c>GenericRecord</c> or boxed
/// values; every other input goes through <see cref="JsonAvroConverter.Convert"/> itself, so accepted values,
/// bytes and the reasons of rejected values are those Avro's generic writer gives (the tests keep a
/// <c>GenericRecord</c> encoder as the oracle and compare bytes). Schemas using anything beyond <c>string</c>,
/// <c>long</c>, <c>boolean</c>, <c>timestamp-millis</c> and <c>["null", T]</c> unions get no plan: for a shipped
/// schema that stops start-up (<see cref="SchemaPlanException"/>).
/// </summary>
internal sealed class AvroRecordPlan
{
    private readonly Field[] _fields;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _propertyFields;
    private readonly int _longestPropertyName;

    // Per-thread scratch of the entity's properties by field index (encoding never awaits, so it is never shared).
    [ThreadStatic]
    private static JsonElement[]? _found;

    [ThreadStatic]
    private static Match[]? _matches;

    private AvroRecordPlan(Field[] fields)
    {
        _fields = fields;
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < fields.Length; i++)
        {
            if (fields[i].Source == Source.Property)
            {
                byName[fields[i].Name] = i;
                _longestPropertyName = Math.Max(_longestPropertyName, fields[i].Name.Length);
            }
        }

        _propertyFields = byName.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>What one pass over the entity found for a property field.</summary>
    private enum Match : byte
    {
        Absent,
        Found,

        /// <summary>The name occurs twice, or some name is escaped: <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/> decides.</summary>
        AskEntity,
    }

    private enum Source
    {
        EventId,
        Op,
        Deleted,
        CapturedAt,
        SourceTimestamp,
        Account,
        Endpoint,
        RawJson,
        KeyId,
        KeyConversationId,
        Derived,
        Property,
    }

    private enum Scalar
    {
        String,
        Long,
        Boolean,
        TimestampMillis,
    }

    /// <summary>The plan of a topic's value schema, or null when the schema uses a shape the plan does not support.</summary>
    public static AvroRecordPlan? TryCompileValue(TopicDescriptor resource, RecordSchema schema) => CompileValue(resource, schema, out _);

    /// <summary>The plan of a shipped value schema; throws <see cref="SchemaPlanException"/> naming the file and field when there is none.</summary>
    public static AvroRecordPlan CompileValue(TopicDescriptor resource, RecordSchema schema, string file) =>
        CompileValue(resource, schema, out var field) ?? throw new SchemaPlanException(file, field!);

    /// <summary>The plan of a shipped key schema; throws <see cref="SchemaPlanException"/> naming the file and field when there is none.</summary>
    public static AvroRecordPlan CompileKey(RecordSchema schema, string file) =>
        CompileKey(schema, out var field) ?? throw new SchemaPlanException(file, field!);

    private static AvroRecordPlan? CompileValue(TopicDescriptor resource, RecordSchema schema, out string? failedField)
    {
        failedField = null;
        var fields = new Field[schema.Fields.Count];
        for (var i = 0; i < fields.Length; i++)
        {
            var field = schema.Fields[i];
            var source = ValueSource(resource, field.Name);
            var derive = source == Source.Derived ? ConvenienceColumns.For(resource.Resource, field.Name) : null;
            if (Compile(field, source, derive) is not { } compiled)
            {
                failedField = field.Name;
                return null;
            }

            fields[i] = compiled;
        }

        return new AvroRecordPlan(fields);
    }

    /// <summary>The plan of a key schema (<c>id</c>, and <c>conversation_id</c> for messages), or null.</summary>
    public static AvroRecordPlan? TryCompileKey(RecordSchema schema) => CompileKey(schema, out _);

    private static AvroRecordPlan? CompileKey(RecordSchema schema, out string? failedField)
    {
        failedField = null;
        var fields = new Field[schema.Fields.Count];
        for (var i = 0; i < fields.Length; i++)
        {
            var field = schema.Fields[i];
            Source? source = field.Name switch
            {
                "id" => Source.KeyId,
                "conversation_id" => Source.KeyConversationId,
                _ => null,
            };
            if (source is not { } known || Compile(field, known, derive: null) is not { Scalar: Scalar.String, Nullable: false } compiled)
            {
                failedField = field.Name;
                return null;
            }

            fields[i] = compiled;
        }

        return new AvroRecordPlan(fields);
    }

    /// <summary>The record in the Schema Registry wire format under <paramref name="schemaId"/>.</summary>
    /// <exception cref="AvroMappingException">A value does not fit its field, naming the topic, field and key.</exception>
    public byte[] Encode(int schemaId, ChangeEvent change, string topic, string eventId)
    {
        var writer = AvroBinaryWriter.ForCurrentThread();
        writer.WriteWireHeader(schemaId);
        var found = _found is { } f && f.Length >= _fields.Length ? f : _found = new JsonElement[Math.Max(_fields.Length, 64)];
        var matches = _matches is { } m && m.Length >= _fields.Length ? m : _matches = new Match[Math.Max(_fields.Length, 64)];
        matches.AsSpan(0, _fields.Length).Clear();
        if (change.Entity is { } entity && _propertyFields.Dictionary.Count > 0)
        {
            FindProperties(entity, found, matches);
        }

        for (var i = 0; i < _fields.Length; i++)
        {
            var field = _fields[i];
            if (field.Source == Source.Property)
            {
                WriteProperty(writer, field, change, topic, matches[i], found[i]);
            }
            else
            {
                WriteField(writer, field, change, topic, eventId);
            }
        }

        found.AsSpan(0, _fields.Length).Clear(); // drop references to the entity's document
        return writer.ToArray();
    }

    /// <summary>
    /// One pass over the entity's members instead of a <c>TryGetProperty</c> scan per field. Any name that could
    /// make the two disagree (a duplicate, or an escaped name) leaves those fields to <c>TryGetProperty</c>.
    /// </summary>
    private void FindProperties(JsonElement entity, JsonElement[] found, Match[] matches)
    {
        if (entity.ValueKind != JsonValueKind.Object)
        {
            matches.AsSpan(0, _fields.Length).Fill(Match.AskEntity);
            return;
        }

        Span<char> name = stackalloc char[_longestPropertyName];
        foreach (var property in entity.EnumerateObject())
        {
            var raw = JsonMarshal.GetRawUtf8PropertyName(property);
            if (raw.IndexOf((byte)'\\') >= 0)
            {
                for (var i = 0; i < _fields.Length; i++)
                {
                    matches[i] = _fields[i].Source == Source.Property ? Match.AskEntity : matches[i];
                }

                return;
            }

            // A name longer (in bytes) than every field name cannot be one of them: field names are ASCII.
            if (raw.Length > name.Length || !Encoding.UTF8.TryGetChars(raw, name, out var length)
                || !_propertyFields.TryGetValue(name[..length], out var index))
            {
                continue;
            }

            if (matches[index] == Match.Absent)
            {
                matches[index] = Match.Found;
                found[index] = property.Value;
            }
            else
            {
                matches[index] = Match.AskEntity;
            }
        }
    }

    private static void WriteProperty(AvroBinaryWriter writer, Field field, ChangeEvent change, string topic, Match match, JsonElement value)
    {
        if (change.Entity is not { } entity)
        {
            WriteMissing(writer, field, change, topic);
        }
        else if (match == Match.Found || (match == Match.AskEntity && entity.TryGetProperty(field.Name, out value)))
        {
            WriteElement(writer, field, value, change, topic);
        }
        else
        {
            WriteMissing(writer, field, change, topic);
        }
    }

    // The precedence of sources (the test oracle's AvroEventBuilder follows the same): metadata, the key's columns, then (entity permitting) derived, then the property.
    private static Source ValueSource(TopicDescriptor resource, string name)
    {
        switch (name)
        {
            case "__event_id": return Source.EventId;
            case "__op": return Source.Op;
            case "__deleted": return Source.Deleted;
            case "__captured_at": return Source.CapturedAt;
            case "__source_ts": return Source.SourceTimestamp;
            case "__account": return Source.Account;
            case "__endpoint": return Source.Endpoint;
            case "raw_json": return Source.RawJson;
        }

        if (name == resource.IdField)
        {
            return Source.KeyId;
        }

        if (resource.KeyKind == TopicKeyKind.Message && name == "conversation_id")
        {
            return Source.KeyConversationId;
        }

        return ConvenienceColumns.For(resource.Resource, name) is null ? Source.Property : Source.Derived;
    }

    private static Field? Compile(global::Avro.Field field, Source source, Func<JsonElement, object?>? derive)
    {
        if (field.Schema is UnionSchema union)
        {
            if (union.Count != 2)
            {
                return null;
            }

            var nullIndex = union.Schemas[0].Tag == Schema.Type.Null ? 0 : union.Schemas[1].Tag == Schema.Type.Null ? 1 : -1;
            if (nullIndex < 0 || ScalarOf(union.Schemas[1 - nullIndex]) is not { } branch)
            {
                return null;
            }

            return new Field(field.Name, field.Schema, source, branch, Nullable: true, nullIndex, ValueIndex: 1 - nullIndex, derive);
        }

        return ScalarOf(field.Schema) is { } scalar
            ? new Field(field.Name, field.Schema, source, scalar, Nullable: false, NullIndex: -1, ValueIndex: -1, derive)
            : null;
    }

    private static Scalar? ScalarOf(Schema schema) => schema switch
    {
        LogicalSchema { LogicalTypeName: "timestamp-millis", BaseSchema.Tag: Schema.Type.Long } => Scalar.TimestampMillis,
        LogicalSchema => null,
        PrimitiveSchema { Tag: Schema.Type.String } => Scalar.String,
        PrimitiveSchema { Tag: Schema.Type.Long } => Scalar.Long,
        PrimitiveSchema { Tag: Schema.Type.Boolean } => Scalar.Boolean,
        _ => null,
    };

    private static void WriteField(AvroBinaryWriter writer, Field field, ChangeEvent change, string topic, string eventId)
    {
        switch (field.Source)
        {
            case Source.EventId:
                WriteText(writer, field, eventId, change, topic);
                return;
            case Source.Op:
                WriteText(writer, field, change.Op.Code(), change, topic);
                return;
            case Source.Deleted:
                if (field.Scalar == Scalar.Boolean)
                {
                    BeginValue(writer, field);
                    writer.WriteBoolean(change.IsDelete);
                }
                else
                {
                    WriteConverted(writer, field, change.IsDelete, change, topic);
                }

                return;
            case Source.CapturedAt:
                WriteTime(writer, field, change.CapturedAt.UtcDateTime, change, topic);
                return;
            case Source.SourceTimestamp:
                if (JsonAvroConverter.SourceTimestamp(change.Entity) is { } sourceTime)
                {
                    WriteTime(writer, field, sourceTime, change, topic);
                }
                else
                {
                    WriteMissing(writer, field, change, topic);
                }

                return;
            case Source.Account:
                WriteText(writer, field, change.Account, change, topic);
                return;
            case Source.Endpoint:
                WriteText(writer, field, change.Endpoint, change, topic);
                return;
            case Source.RawJson:
                if (change.Entity is not { } raw)
                {
                    WriteMissing(writer, field, change, topic);
                }
                else if (field.Scalar == Scalar.String)
                {
                    BeginValue(writer, field);
                    writer.WriteJsonRawText(raw);
                }
                else
                {
                    WriteConverted(writer, field, raw.GetRawText(), change, topic);
                }

                return;
            case Source.KeyId:
                WriteText(writer, field, change.Key.Id, change, topic);
                return;
            case Source.KeyConversationId:
                WriteObject(writer, field, change.Key.ConversationId, change, topic);
                return;
            case Source.Derived:
                WriteObject(writer, field, change.Entity is { } derivedFrom ? field.Derive!(derivedFrom) : null, change, topic);
                return;
            case Source.Property:
                throw new InvalidOperationException("Property fields are written by WriteProperty.");
        }
    }

    private static void WriteObject(AvroBinaryWriter writer, Field field, object? value, ChangeEvent change, string topic)
    {
        switch (value)
        {
            case null:
                WriteMissing(writer, field, change, topic);
                break;
            case JsonElement element:
                WriteElement(writer, field, element, change, topic);
                break;
            case string text:
                WriteText(writer, field, text, change, topic);
                break;
            default:
                WriteConverted(writer, field, value, change, topic);
                break;
        }
    }

    private static void WriteText(AvroBinaryWriter writer, Field field, string text, ChangeEvent change, string topic)
    {
        if (field.Scalar == Scalar.String)
        {
            BeginValue(writer, field);
            writer.WriteString(text);
        }
        else
        {
            WriteConverted(writer, field, text, change, topic);
        }
    }

    private static void WriteTime(AvroBinaryWriter writer, Field field, DateTime time, ChangeEvent change, string topic)
    {
        if (field.Scalar == Scalar.TimestampMillis)
        {
            BeginValue(writer, field);
            writer.WriteLong(EpochMillis(time));
        }
        else
        {
            WriteConverted(writer, field, time, change, topic);
        }
    }

    private static void WriteElement(AvroBinaryWriter writer, Field field, JsonElement value, ChangeEvent change, string topic)
    {
        switch (field.Scalar, value.ValueKind)
        {
            case (_, JsonValueKind.Null or JsonValueKind.Undefined):
                WriteMissing(writer, field, change, topic);
                return;
            case (Scalar.String, JsonValueKind.String):
                BeginValue(writer, field);
                writer.WriteJsonString(value);
                return;
            case (Scalar.String, JsonValueKind.Number):
                BeginValue(writer, field);
                writer.WriteJsonRawText(value);
                return;
            case (Scalar.String, JsonValueKind.True):
                BeginValue(writer, field);
                writer.WriteUtf8String("true"u8);
                return;
            case (Scalar.String, JsonValueKind.False):
                BeginValue(writer, field);
                writer.WriteUtf8String("false"u8);
                return;
            case (Scalar.String, JsonValueKind.Object or JsonValueKind.Array):
                BeginValue(writer, field);
                writer.WriteCompactJson(value);
                return;
            case (Scalar.Long, JsonValueKind.Number) when value.TryGetInt64(out var number):
                BeginValue(writer, field);
                writer.WriteLong(number);
                return;
            case (Scalar.Boolean, JsonValueKind.True or JsonValueKind.False):
                BeginValue(writer, field);
                writer.WriteBoolean(value.ValueKind == JsonValueKind.True);
                return;
            case (Scalar.TimestampMillis, JsonValueKind.String) when value.TryGetDateTime(out var iso):
                // JsonAvroConverter's fast ISO 8601 path: a value without an offset is UTC.
                var utc = iso.Kind switch
                {
                    DateTimeKind.Utc => iso,
                    DateTimeKind.Local => iso.ToUniversalTime(),
                    _ => DateTime.SpecifyKind(iso, DateTimeKind.Utc),
                };
                BeginValue(writer, field);
                writer.WriteLong(EpochMillis(utc));
                return;
            case (Scalar.TimestampMillis, JsonValueKind.Number) when value.TryGetInt64(out var millis):
                BeginValue(writer, field);
                writer.WriteLong(EpochMillis(DateTime.UnixEpoch.AddMilliseconds(millis)));
                return;
            default:
                // Numeric strings, "true"/"false", other timestamp spellings and every mismatch: the converter decides.
                WriteConverted(writer, field, value, change, topic);
                return;
        }
    }

    private static void WriteMissing(AvroBinaryWriter writer, Field field, ChangeEvent change, string topic)
    {
        if (field.Nullable)
        {
            writer.WriteUnionIndex(field.NullIndex);
        }
        else
        {
            WriteConverted(writer, field, null, change, topic);
        }
    }

    private static void WriteConverted(AvroBinaryWriter writer, Field field, object? source, ChangeEvent change, string topic)
    {
        var value = JsonAvroConverter.Convert(source, field.Schema, out var problem);
        if (problem is not null)
        {
            throw new AvroMappingException(topic, field.Name, change.Key.CanonicalJson, problem);
        }

        switch (value)
        {
            case null when field.Nullable:
                writer.WriteUnionIndex(field.NullIndex);
                break;
            case string text when field.Scalar == Scalar.String:
                BeginValue(writer, field);
                writer.WriteString(text);
                break;
            case long number when field.Scalar == Scalar.Long:
                BeginValue(writer, field);
                writer.WriteLong(number);
                break;
            case bool flag when field.Scalar == Scalar.Boolean:
                BeginValue(writer, field);
                writer.WriteBoolean(flag);
                break;
            case DateTime time when field.Scalar == Scalar.TimestampMillis:
                BeginValue(writer, field);
                writer.WriteLong(EpochMillis(time));
                break;
            default:
                // The converter returns the field's own type or a problem; anything else is a bug in this plan.
                throw new InvalidOperationException($"Field '{field.Name}' of {topic}: the converter returned {value?.GetType().Name ?? "null"} for {field.Scalar}.");
        }
    }

    private static void BeginValue(AvroBinaryWriter writer, Field field)
    {
        if (field.Nullable)
        {
            writer.WriteUnionIndex(field.ValueIndex);
        }
    }

    /// <summary>What Avro's <c>timestamp-millis</c> logical type stores for a time: milliseconds since the epoch, truncated.</summary>
    private static long EpochMillis(DateTime time) => (long)(time.ToUniversalTime() - DateTime.UnixEpoch).TotalMilliseconds;

    private sealed record Field(string Name, Schema Schema, Source Source, Scalar Scalar, bool Nullable, int NullIndex, int ValueIndex,
        Func<JsonElement, object?>? Derive);
}
