using Confluent.SchemaRegistry;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Publishing.Avro;
using FreshchatStream.Tests.Fixtures;
using FreshchatStream.Tests.Integration.Sandbox.SchemaRegistry;

namespace FreshchatStream.Tests.Integration.Publishing;

/// <summary>
/// <c>SchemaRegistry:AutoRegisterSchemas=true</c> goes through <see cref="SchemaRegistrar"/> at start, like the
/// default, rather than through Confluent's serializer on the first record: every subject is registered before
/// anything is published, and a schema the registry refuses stops start-up instead of failing record by record.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Issue", "#18")]
[Collection(MockKafkaCollection.Name)]
public sealed class AutoRegisterSchemasTests(MockKafkaFixture kafka, SchemaRegistryEmulatorFixture registry) : IClassFixture<SchemaRegistryEmulatorFixture>
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task InitializeAsync_EitherSetting_RegistersEverySubjectBeforeTheFirstRecord(bool autoRegister)
    {
        using var harness = new PublisherHarness(kafka.Cluster, registry.Emulator.Url, autoRegisterSchemas: autoRegister);
        using var client = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = registry.Emulator.Url.ToString() });

        await harness.Publisher.InitializeAsync();

        var subjects = (await client.GetAllSubjectsAsync()).Where(s => s.StartsWith(harness.Prefix, StringComparison.Ordinal)).ToHashSet();
        var expected = CaptureCatalogue.Topics.SelectMany(r => new[] { $"{harness.Topics.For(r)}-key", $"{harness.Topics.For(r)}-value" }).ToHashSet();
        Assert.Equal(expected, subjects);
    }

    [Fact]
    public async Task PublishAsync_AutoRegisterOn_WritesRecordsAConfluentConsumerReadsWithTheRegisteredIds()
    {
        using var harness = new PublisherHarness(kafka.Cluster, registry.Emulator.Url, autoRegisterSchemas: true);
        using var client = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = registry.Emulator.Url.ToString() });
        var topic = harness.Topics.For(CaptureCatalogue.UsersTopic);

        var outcome = await harness.PublishAsync(PublisherHarness.Entity(CaptureCatalogue.UsersTopic, """{"id":"u1","email":"a@b.c","created_time":"2025-07-01T10:00:00.000Z"}"""));

        Assert.True(outcome.AllDelivered);
        var record = Assert.Single(harness.ReadAvro(topic, 1));
        Assert.Equal("u1", record.Message.Key["id"]);
        Assert.Equal("a@b.c", record.Message.Value["email"]);
        var raw = Assert.Single(harness.ReadRaw(topic, 1));
        var registeredValueId = (await client.GetLatestSchemaAsync($"{topic}-value")).Id;
        Assert.Equal(registeredValueId, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(raw.Message.Value.AsSpan(1, 4)));
    }

    [Fact]
    public async Task InitializeAsync_AutoRegisterOnAndAnIncompatibleSubject_FailsAtStartNamingTheSubject()
    {
        using var harness = new PublisherHarness(kafka.Cluster, registry.Emulator.Url, autoRegisterSchemas: true);
        using var client = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = registry.Emulator.Url.ToString() });
        var subject = $"{harness.Topics.For(CaptureCatalogue.UsersTopic)}-value";
        await client.RegisterSchemaAsync(subject, new Schema("""{"type":"record","name":"user","namespace":"freshchat","fields":[{"name":"legacy","type":"string"}]}""", SchemaType.Avro));

        var e = await Assert.ThrowsAsync<SchemaRegistrationException>(() => harness.Publisher.InitializeAsync());

        Assert.Equal(subject, e.Subject);
    }
}
