using Avro;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Commands;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Avro;

namespace FreshchatStream.Tests.Unit.Publishing.Avro;

/// <summary>
/// The producer has one serialization path, <see cref="AvroRecordPlan"/>: a shipped schema it cannot compile must
/// stop start-up naming the schema and the field, never fall back to another encoder or fail record by record.
/// </summary>
[Trait("Issue", "#18")]
public sealed class SchemaPlanCompileTests
{
    private const string UncompilableValue = """
        {"type":"record","name":"user","namespace":"freshchat","fields":[
          {"name":"__event_id","type":"string"},
          {"name":"id","type":"string"},
          {"name":"score","type":["null","double"],"default":null}
        ]}
        """;

    [Fact]
    public void CompilePlans_EveryShippedSchema_Compiles()
    {
        var plans = ChangeEventPublisher.CompilePlans(EmbeddedSchemas.Instance);

        Assert.Equal(CaptureCatalogue.Topics.Count, plans.Count);
    }

    [Fact]
    public void CompileValue_FieldOfAnUnsupportedType_ThrowsNamingTheSchemaAndField()
    {
        var schema = (RecordSchema)Schema.Parse(UncompilableValue);

        var e = Assert.Throws<SchemaPlanException>(() => AvroRecordPlan.CompileValue(CaptureCatalogue.UsersTopic, schema, "freshchat.user.avsc"));

        Assert.Equal(("freshchat.user.avsc", "score"), (e.File, e.Field));
        Assert.Contains("Schema freshchat.user.avsc cannot be compiled", e.Message, StringComparison.Ordinal);
        Assert.Contains("field score", e.Message, StringComparison.Ordinal);
        Assert.Null(AvroRecordPlan.TryCompileValue(CaptureCatalogue.UsersTopic, schema));
    }

    [Fact]
    public void CompileKey_NullableKeyField_ThrowsNamingTheSchemaAndField()
    {
        var schema = (RecordSchema)Schema.Parse("""{"type":"record","name":"key","fields":[{"name":"id","type":["null","string"]}]}""");

        var e = Assert.Throws<SchemaPlanException>(() => AvroRecordPlan.CompileKey(schema, "freshchat.entity_key.avsc"));

        Assert.Equal(("freshchat.entity_key.avsc", "id"), (e.File, e.Field));
    }

    [Fact]
    public void Classify_UncompilableSchema_IsFatalWithOneLineNamingTheSchema()
    {
        var schema = (RecordSchema)Schema.Parse(UncompilableValue);
        var e = Assert.Throws<SchemaPlanException>(() => AvroRecordPlan.CompileValue(CaptureCatalogue.UsersTopic, schema, "freshchat.user.avsc"));

        var failure = FailureClassifier.Classify(e);

        Assert.Equal((CaptureFailureKind.Fatal, ExitCodes.Failure), (failure.Kind, failure.ExitCode));
        Assert.Contains("freshchat.user.avsc", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Message);
    }
}
