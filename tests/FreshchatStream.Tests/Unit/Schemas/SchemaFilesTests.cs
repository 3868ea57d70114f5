using System.Text.Json.Nodes;
using Avro;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Avro;
using FreshchatStream.Sandbox.SchemaRegistry;
using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Unit.Schemas;

/// <summary>The shipped schemas are the contract with sinks: flat, nullable, no enums, metadata first, raw JSON kept.</summary>
public sealed class SchemaFilesTests
{
    private static readonly string[] Metadata = ["__event_id", "__op", "__deleted", "__captured_at", "__source_ts", "__account", "__endpoint"];

    private static IEnumerable<string> SchemaFileNames() =>
        Directory.GetFiles(RepositoryRoot.Combine("schemas"), "*.avsc").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal);

    public static TheoryData<string> SchemaFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in SchemaFileNames())
        {
            data.Add(file);
        }

        return data;
    }

    public static TheoryData<string> ValueSchemaFiles()
    {
        var data = new TheoryData<string>();
        foreach (var resource in CaptureCatalogue.Topics)
        {
            data.Add(resource.ValueSchemaFile);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SchemaFiles))]
    public void Parse_EverySchemaFile_IsARecordWithExplicitNamespace(string file)
    {
        var schema = Schema.Parse(File.ReadAllText(RepositoryRoot.Combine("schemas", file)));

        var record = Assert.IsType<RecordSchema>(schema);
        Assert.Equal("io.freshchatstream.v1", record.Namespace);
    }

    [Theory]
    [MemberData(nameof(SchemaFiles))]
    public void Fields_EverySchemaFile_FollowSinkRules(string file)
    {
        var record = (RecordSchema)Schema.Parse(File.ReadAllText(RepositoryRoot.Combine("schemas", file)));
        var json = JsonNode.Parse(File.ReadAllText(RepositoryRoot.Combine("schemas", file)))!;

        foreach (var field in record.Fields)
        {
            var declared = json["fields"]!.AsArray().Single(f => f!["name"]!.GetValue<string>() == field.Name)!;
            switch (field.Schema)
            {
                case UnionSchema union:
                    Assert.True(union.Count == 2 && union.Schemas[0].Tag == Schema.Type.Null, $"{file}:{field.Name} unions must be [\"null\", T]");
                    Assert.True(declared.AsObject().ContainsKey("default") && declared["default"] is null, $"{file}:{field.Name} must default to null");
                    AssertScalar(file, field.Name, union.Schemas[1]);
                    break;
                default:
                    AssertScalar(file, field.Name, field.Schema);
                    break;
            }
        }
    }

    [Theory]
    [MemberData(nameof(ValueSchemaFiles))]
    public void ValueSchema_EveryTopic_HasMetadataRawJsonAndNullableEntityColumns(string file)
    {
        var resource = CaptureCatalogue.Topics.Single(r => r.ValueSchemaFile == file);
        var record = (RecordSchema)Schema.Parse(File.ReadAllText(RepositoryRoot.Combine("schemas", file)));

        Assert.Equal(Metadata, record.Fields.Take(Metadata.Length).Select(f => f.Name));
        Assert.Equal(Schema.Type.Logical, record.Fields[3].Schema.Tag);
        Assert.IsType<UnionSchema>(record["raw_json"].Schema);
        Assert.Equal(Schema.Type.String, record[resource.IdField].Schema.Tag);

        // A d event carries only key columns; anything else must accept null. agent_availability is append-only
        // (never deleted), so its contract columns `to` and `observed_at` are required.
        var required = new HashSet<string>(Metadata.Where(m => m != "__source_ts")) { resource.IdField };
        if (resource.KeyKind == TopicKeyKind.Message)
        {
            required.Add("conversation_id");
        }

        if (resource == CaptureCatalogue.AgentAvailabilityTopic)
        {
            required.UnionWith(["to", "observed_at"]);
        }

        var notNullable = record.Fields.Where(f => f.Schema is not UnionSchema).Select(f => f.Name).ToHashSet();
        Assert.Equal(required.Order(), notNullable.Order());
    }

    [Fact]
    public void EmbeddedSchemas_EveryPublishedResource_IsEmbeddedInTheProducer()
    {
        var embedded = EmbeddedSchemas.Instance.Files;

        foreach (var resource in CaptureCatalogue.Topics)
        {
            Assert.Contains(resource.ValueSchemaFile, embedded);
            Assert.Contains(resource.KeySchemaFile, embedded);
            Assert.NotNull(EmbeddedSchemas.Instance.Value(resource));
        }

        Assert.Equal(SchemaFileNames().Order(), embedded.Order());
    }

    [Fact]
    public void KeySchemas_EntityAndMessage_HaveStringIdsOnly()
    {
        var entity = EmbeddedSchemas.Instance.Get(TopicDescriptor.EntityKeySchemaFile);
        var message = EmbeddedSchemas.Instance.Get(TopicDescriptor.MessageKeySchemaFile);

        Assert.Equal(["id"], entity.Fields.Select(f => f.Name));
        Assert.Equal(["conversation_id", "id"], message.Fields.Select(f => f.Name));
        Assert.All(entity.Fields.Concat(message.Fields), f => Assert.Equal(Schema.Type.String, f.Schema.Tag));
    }

    [Fact]
    public void History_EveryPreviousVersion_IsReadableByTheCurrentSchema()
    {
        var history = RepositoryRoot.Combine("schemas", "history");
        var checkedVersions = 0;
        if (Directory.Exists(history))
        {
            foreach (var version in Directory.GetFiles(history, "*.avsc", SearchOption.AllDirectories))
            {
                var name = Path.GetFileName(Path.GetDirectoryName(version)!);
                var current = File.ReadAllText(RepositoryRoot.Combine("schemas", name + ".avsc"));
                var problems = AvroCompatibilityChecker.Check(current, File.ReadAllText(version));
                Assert.True(problems.Count == 0, $"schemas/{name}.avsc cannot read {version}: {string.Join("; ", problems)}");
                checkedVersions++;
            }
        }

        // Until a schema has a previous version, prove the rule itself on every schema: dropping the newest
        // optional column yields a "previous version" the current schema must read.
        foreach (var file in SchemaFileNames())
        {
            var current = JsonNode.Parse(File.ReadAllText(RepositoryRoot.Combine("schemas", file)))!;
            var previous = current.DeepClone();
            var fields = previous["fields"]!.AsArray();
            var lastOptional = fields.LastOrDefault(f => f!["type"] is JsonArray);
            if (lastOptional is null)
            {
                continue;
            }

            fields.Remove(lastOptional);
            Assert.Empty(AvroCompatibilityChecker.Check(current.ToJsonString(), previous.ToJsonString()));
            checkedVersions++;
        }

        Assert.True(checkedVersions >= CaptureCatalogue.Topics.Count);
    }

    [Fact]
    public void CompatibilityRule_AddingARequiredField_IsRejected()
    {
        var previous = File.ReadAllText(RepositoryRoot.Combine("schemas", "freshchat.role.avsc"));
        var current = JsonNode.Parse(previous)!;
        current["fields"]!.AsArray().Add(new JsonObject { ["name"] = "new_required", ["type"] = "string" });

        Assert.NotEmpty(AvroCompatibilityChecker.Check(current.ToJsonString(), previous));
    }

    private static void AssertScalar(string file, string field, Schema schema)
    {
        Assert.True(schema.Tag != Schema.Type.Enumeration, $"{file}:{field} must not be an enum");
        if (schema is LogicalSchema logical)
        {
            Assert.True(logical.LogicalTypeName == "timestamp-millis", $"{file}:{field} only timestamp-millis is allowed, not {logical.LogicalTypeName}");
            return;
        }

        Assert.True(schema.Tag is Schema.Type.String or Schema.Type.Long or Schema.Type.Boolean,
            $"{file}:{field} must be string, long, boolean or timestamp-millis, not {schema.Tag}");
    }
}
