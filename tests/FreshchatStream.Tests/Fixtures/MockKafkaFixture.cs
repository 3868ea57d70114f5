using FreshchatStream.Sandbox.Kafka;

namespace FreshchatStream.Tests.Fixtures;

/// <summary>
/// One librdkafka mock cluster shared by a test collection. Tests keep apart with <see cref="CreateTopic"/> /
/// <see cref="NewTopicName"/> and <see cref="NewGroupId"/>; a test that takes brokers down or injects request errors
/// starts its own <see cref="MockKafkaCluster"/> (it starts in milliseconds) instead of disturbing this one.
/// </summary>
public sealed class MockKafkaFixture : IDisposable
{
    public MockKafkaCluster Cluster { get; } = MockKafkaCluster.Start(brokers: 1);

    public string BootstrapServers => Cluster.BootstrapServers;

    /// <summary>A topic name no other test uses, e.g. <c>test-users-3f2c…</c>.</summary>
    public static string NewTopicName(string prefix = "test") => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>A consumer group id no other test uses.</summary>
    public static string NewGroupId(string prefix = "group") => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>Creates a uniquely named topic on the shared cluster and returns its name.</summary>
    public string CreateTopic(string prefix = "test", int partitions = 3)
    {
        var topic = NewTopicName(prefix);
        Cluster.CreateTopic(topic, partitions);
        return topic;
    }

    public void Dispose() => Cluster.Dispose();
}

[CollectionDefinition(Name)]
public sealed class MockKafkaCollection : ICollectionFixture<MockKafkaFixture>
{
    public const string Name = "mock-kafka";
}
