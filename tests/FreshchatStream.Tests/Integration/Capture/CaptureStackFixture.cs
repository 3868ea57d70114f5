using FreshchatStream.Sandbox.Kafka;
using FreshchatStream.Sandbox.SchemaRegistry;
using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Integration.Capture;

/// <summary>
/// The infrastructure the producer runs against in capture tests: a mock Kafka cluster, the Schema Registry
/// emulator and a real redis-server, started in well under a second. Each test class gets its own
/// (<c>IClassFixture&lt;CaptureStackFixture&gt;</c>), so classes run in parallel and a class may stop its Redis or
/// brokers; each <see cref="CaptureScenario"/> brings its own Freshchat emulator, topic prefix and Redis key prefix.
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

/// <summary>
/// One stack shared by every class in the collection, which xunit then runs one after another. No test needs
/// that: new capture tests take <c>IClassFixture&lt;CaptureStackFixture&gt;</c> instead (docs/testing.md). The
/// collection stays so that a class written against it still compiles and passes, only serialized.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CaptureStackCollection : ICollectionFixture<CaptureStackFixture>
{
    public const string Name = "capture stack (mock Kafka, Schema Registry emulator, Redis)";
}
