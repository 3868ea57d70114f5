using FreshchatStream.Sandbox.Kafka;
using FreshchatStream.Sandbox.SchemaRegistry;
using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Integration.Capture;

/// <summary>
/// The infrastructure the producer runs against in capture tests: a mock Kafka cluster, the Schema Registry
/// emulator and a real redis-server. Shared by the collection; each <see cref="CaptureScenario"/> brings its own
/// Freshchat emulator, topic prefix and Redis key prefix.
/// </summary>
public sealed class CaptureStackFixture : IAsyncLifetime
{
    public MockKafkaCluster Kafka { get; private set; } = null!;

    public SchemaRegistryEmulator Registry { get; private set; } = null!;

    public RedisServerFixture Redis { get; } = new();

    public async Task InitializeAsync()
    {
        Kafka = MockKafkaCluster.Start(brokers: 1);
        Registry = await SchemaRegistryEmulator.StartAsync();
        await Redis.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Redis.DisposeAsync();
        await Registry.DisposeAsync();
        Kafka.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class CaptureStackCollection : ICollectionFixture<CaptureStackFixture>
{
    public const string Name = "capture stack (mock Kafka, Schema Registry emulator, Redis)";
}
