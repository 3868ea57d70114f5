using Avro;
using Avro.Generic;
using FreshchatStream.Consumers.Landing;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Avro;

namespace FreshchatStream.Tests.Unit.Consumers;

public sealed class TableShapeTests
{
    private static RecordSchema Parse(string fields) =>
        (RecordSchema)Schema.Parse($$"""{"type":"record","name":"T","namespace":"test","fields":[{{fields}}]}""");

    [Fact]
    public void From_EveryPublishedValueSchema_MapsEachFieldOnceWithTimestampsAsTimestamps()
    {
        Assert.All(CaptureCatalogue.Topics, resource =>
        {
            var schema = EmbeddedSchemas.Instance.Value(resource);

            var shape = TableShape.From(schema);

            Assert.Equal(schema.Fields.Select(f => f.Name), shape.Columns.Select(c => c.Name));
            Assert.Contains(new LandedColumn("__event_id", ColumnKind.Text), shape.Columns);
            Assert.Contains(new LandedColumn("__deleted", ColumnKind.Boolean), shape.Columns);
            Assert.Contains(new LandedColumn("__captured_at", ColumnKind.Timestamp), shape.Columns);
            Assert.Contains(new LandedColumn("__source_ts", ColumnKind.Timestamp), shape.Columns);
        });
    }

    [Fact]
    public void From_NullableUnionsAndLogicalTypes_TakeTheInnerKind()
    {
        var shape = TableShape.From(Parse("""
            {"name":"a","type":["null","long"],"default":null},
            {"name":"b","type":["null",{"type":"long","logicalType":"timestamp-millis"}],"default":null},
            {"name":"c","type":"int"},
            {"name":"d","type":["null","double"],"default":null},
            {"name":"e","type":["null","string","long"],"default":null},
            {"name":"f","type":{"type":"array","items":"string"}}
            """));

        Assert.Equal(
            [ColumnKind.BigInt, ColumnKind.Timestamp, ColumnKind.Integer, ColumnKind.Double, ColumnKind.Text, ColumnKind.Text],
            shape.Columns.Select(c => c.Kind));
    }

    [Fact]
    public void Union_NewerVersionAddsAField_HasEveryColumnOnceWithTheNewOneLast()
    {
        var v1 = TableShape.From(Parse("""{"name":"id","type":"string"},{"name":"n","type":["null","long"],"default":null}"""));
        var v2 = TableShape.From(Parse("""{"name":"id","type":"string"},{"name":"n","type":["null","long"],"default":null},{"name":"team","type":["null","string"],"default":null}"""));

        var union = TableShape.Union([v1, v2]);

        Assert.NotNull(union);
        Assert.Equal(["id", "n", "team"], union.Columns.Select(c => c.Name));
    }

    [Fact]
    public void Union_VersionsDisagreeOnAType_IsNull()
    {
        var v1 = TableShape.From(Parse("""{"name":"id","type":"string"},{"name":"at","type":{"type":"long","logicalType":"timestamp-millis"}}"""));
        var v2 = TableShape.From(Parse("""{"name":"id","type":"string"},{"name":"at","type":"string"}"""));

        Assert.Null(TableShape.Union([v1, v2]));
    }

    [Fact]
    public void KeyText_MessageKey_IsCompactJsonInSchemaOrder()
    {
        var key = new GenericRecord(EmbeddedSchemas.Instance.Key(CaptureCatalogue.MessagesTopic));
        key.Add("id", "m1");
        key.Add("conversation_id", "c1");

        Assert.Equal("""{"conversation_id":"c1","id":"m1"}""", LandedRecord.KeyText(key));
    }
}
