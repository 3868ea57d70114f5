using System.Buffers.Binary;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;

namespace FreshchatStream.Tests.Integration.Sandbox.SchemaRegistry;

/// <summary>Confluent's own Avro serializer and deserializer, pointed at the emulator, must round-trip records.</summary>
[Trait("Category", "Integration")]
public sealed class SchemaRegistryEmulatorSerdeTests(SchemaRegistryEmulatorFixture fixture) : IClassFixture<SchemaRegistryEmulatorFixture>
{
    [Fact]
    public async Task SerializeAsync_AutoRegisterWithTopicStrategy_RoundTripsInWireFormat()
    {
        using var client = NewClient();
        var topic = TestSchemas.UniqueTopic();
        var serializer = new AvroSerializer<GenericRecord>(client, new AvroSerializerConfig
        {
            AutoRegisterSchemas = true,
            SubjectNameStrategy = SubjectNameStrategy.Topic,
        });
        var context = new SerializationContext(MessageComponentType.Value, topic);

        var bytes = await serializer.SerializeAsync(Ticket(TestSchemas.TicketV1, "t-1", 7), context);

        var registered = await client.GetLatestSchemaAsync($"{topic}-value");
        Assert.Equal(0, bytes[0]);
        Assert.Equal(registered.Id, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4)));
        Assert.Equal(1, registered.Version);
        Assert.Contains($"{topic}-value", fixture.Emulator.Subjects);

        var read = await NewDeserializer(client).DeserializeAsync(bytes, isNull: false, context);
        Assert.Equal("t-1", read["id"]);
        Assert.Equal(7, read["count"]);
    }

    [Fact]
    public async Task SerializeAsync_ExplicitRegisterThenUseLatestVersion_UsesRegisteredId()
    {
        using var client = NewClient();
        var topic = TestSchemas.UniqueTopic();
        var id = await client.RegisterSchemaAsync($"{topic}-value", new Schema(TestSchemas.TicketV1, SchemaType.Avro));
        var serializer = new AvroSerializer<GenericRecord>(client, new AvroSerializerConfig
        {
            AutoRegisterSchemas = false,
            UseLatestVersion = true,
            SubjectNameStrategy = SubjectNameStrategy.Topic,
        });
        var context = new SerializationContext(MessageComponentType.Value, topic);

        var bytes = await serializer.SerializeAsync(Ticket(TestSchemas.TicketV1, "t-2", 3), context);

        Assert.Equal(0, bytes[0]);
        Assert.Equal(id, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4)));
        var read = await NewDeserializer(client).DeserializeAsync(bytes, isNull: false, context);
        Assert.Equal("t-2", read["id"]);
        Assert.Equal(3, read["count"]);
    }

    [Fact]
    public async Task SerializeAsync_AutoRegisterDisabledAndSchemaRegistered_LooksUpId()
    {
        using var client = NewClient();
        var topic = TestSchemas.UniqueTopic();
        var id = await client.RegisterSchemaAsync($"{topic}-value", new Schema(TestSchemas.TicketV1, SchemaType.Avro));
        var serializer = new AvroSerializer<GenericRecord>(client, new AvroSerializerConfig
        {
            AutoRegisterSchemas = false,
            SubjectNameStrategy = SubjectNameStrategy.Topic,
        });

        var bytes = await serializer.SerializeAsync(Ticket(TestSchemas.TicketV1, "t-3", 1), new SerializationContext(MessageComponentType.Value, topic));

        Assert.Equal(id, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4)));
    }

    [Fact]
    public async Task SerializeAsync_AutoRegisterDisabledAndSchemaUnknown_SurfacesNotFound()
    {
        using var client = NewClient();
        var topic = TestSchemas.UniqueTopic();
        await client.RegisterSchemaAsync($"{topic}-value", new Schema(TestSchemas.TicketV1, SchemaType.Avro));
        var serializer = new AvroSerializer<GenericRecord>(client, new AvroSerializerConfig
        {
            AutoRegisterSchemas = false,
            SubjectNameStrategy = SubjectNameStrategy.Topic,
        });

        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            serializer.SerializeAsync(Ticket(TestSchemas.TicketV2, "t-4", 1), new SerializationContext(MessageComponentType.Value, topic)));

        var registryError = FindRegistryException(error);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, registryError.Status);
        Assert.Equal(40403, registryError.ErrorCode);
    }

    [Fact]
    public async Task SerializeAsync_AutoRegisterIncompatibleSchema_SurfacesConflict()
    {
        using var client = NewClient();
        var topic = TestSchemas.UniqueTopic();
        var serializer = new AvroSerializer<GenericRecord>(client, new AvroSerializerConfig
        {
            AutoRegisterSchemas = true,
            SubjectNameStrategy = SubjectNameStrategy.Topic,
        });
        var context = new SerializationContext(MessageComponentType.Value, topic);
        await serializer.SerializeAsync(Ticket(TestSchemas.TicketV1, "t-5", 1), context);

        var incompatible = new GenericRecord((Avro.RecordSchema)Avro.Schema.Parse(TestSchemas.TicketWithRequiredField));
        incompatible.Add("id", "t-5");
        incompatible.Add("count", 2);
        incompatible.Add("owner", "agent");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => serializer.SerializeAsync(incompatible, context));

        var registryError = FindRegistryException(error);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, registryError.Status);
        Assert.Equal(409, registryError.ErrorCode);
    }

    [Fact]
    public async Task DeserializeAsync_OldDataWithLatestReaderSchema_FillsDefault()
    {
        using var client = NewClient();
        var topic = TestSchemas.UniqueTopic();
        var context = new SerializationContext(MessageComponentType.Value, topic);
        var serializer = new AvroSerializer<GenericRecord>(client, new AvroSerializerConfig
        {
            AutoRegisterSchemas = true,
            SubjectNameStrategy = SubjectNameStrategy.Topic,
        });
        var oldBytes = await serializer.SerializeAsync(Ticket(TestSchemas.TicketV1, "t-6", 5), context);
        await client.RegisterSchemaAsync($"{topic}-value", new Schema(TestSchemas.TicketV2, SchemaType.Avro));
        var deserializer = new AvroDeserializer<GenericRecord>(client, new AvroDeserializerConfig
        {
            UseLatestVersion = true,
            SubjectNameStrategy = SubjectNameStrategy.Topic,
        });

        var read = await deserializer.DeserializeAsync(oldBytes, isNull: false, context);

        Assert.Equal("t-6", read["id"]);
        Assert.True(read.TryGetValue("note", out var note));
        Assert.Null(note);
    }

    internal static GenericRecord Ticket(string schemaJson, string id, int count)
    {
        var record = new GenericRecord((Avro.RecordSchema)Avro.Schema.Parse(schemaJson));
        record.Add("id", id);
        record.Add("count", count);
        return record;
    }

    private static SchemaRegistryException FindRegistryException(Exception error)
    {
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            if (current is SchemaRegistryException registryError)
            {
                return registryError;
            }
        }

        throw new Xunit.Sdk.XunitException($"Expected a SchemaRegistryException, got {error}");
    }

    private static AvroDeserializer<GenericRecord> NewDeserializer(ISchemaRegistryClient client) =>
        new(client, new AvroDeserializerConfig { SubjectNameStrategy = SubjectNameStrategy.Topic });

    private CachedSchemaRegistryClient NewClient() =>
        new(new SchemaRegistryConfig { Url = fixture.Emulator.Url.AbsoluteUri });
}
