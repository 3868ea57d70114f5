using System.Text;
using Confluent.Kafka;
using FreshchatStream.Sandbox.Kafka;
using FreshchatStream.Tests.Fixtures;

namespace FreshchatStream.Tests.Integration.Sandbox.Kafka;

[Collection(MockKafkaCollection.Name)]
[Trait("Category", "Integration")]
public sealed class MockKafkaClusterTests(MockKafkaFixture kafka)
{
    [Fact]
    public void CreateTopic_FivePartitions_ConfluentClientSeesPartitionCountThroughOneLibraryCopy()
    {
        var topic = kafka.CreateTopic("metadata", partitions: 5);

        using var producer = new ProducerBuilder<string, string>(MockKafkaClients.IdempotentProducer(kafka.BootstrapServers)).Build();
        using var admin = new DependentAdminClientBuilder(producer.Handle).Build();
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10));

        var described = Assert.Single(metadata.Topics);
        Assert.Equal(ErrorCode.NoError, described.Error.Code);
        Assert.Equal(5, described.Partitions.Count);

        // The mock cluster and Confluent's clients must live in one copy of librdkafka, not two side by side.
        var mapped = Assert.Single(RdKafkaLibrary.MappedLibrdkafkaFiles());
        Assert.Equal(mapped, RdKafkaLibrary.LoadedPath);
    }

    [Fact]
    public void BootstrapServers_OneBroker_IsLoopbackHostPort()
    {
        var bootstrap = kafka.BootstrapServers;

        Assert.Equal(1, kafka.Cluster.BrokerCount);
        var hostPort = Assert.Single(bootstrap.Split(','));
        var colon = hostPort.LastIndexOf(':');
        Assert.True(colon > 0, hostPort);
        Assert.Contains(hostPort[..colon], new[] { "127.0.0.1", "localhost" });
        Assert.InRange(int.Parse(hostPort[(colon + 1)..]), 1, 65535);
    }

    [Fact]
    public async Task Produce_IdempotentWithHeaders_ConsumerGroupReadsEveryMessageAndCommits()
    {
        const int count = 30;
        var topic = kafka.CreateTopic("roundtrip", partitions: 3);
        using (var producer = new ProducerBuilder<string, string>(MockKafkaClients.IdempotentProducer(kafka.BootstrapServers)).Build())
        {
            var deliveries = Enumerable.Range(0, count).Select(i => producer.ProduceAsync(topic, new Message<string, string>
            {
                Key = $"key-{i % 7}",
                Value = $"value-{i}",
                Headers = new Headers { { "ce_id", Encoding.UTF8.GetBytes($"id-{i}") } },
            }));
            var results = await Task.WhenAll(deliveries).WaitAsync(TimeSpan.FromSeconds(20));
            Assert.All(results, r => Assert.Equal(PersistenceStatus.Persisted, r.Status));
            Assert.Equal(3, results.Select(r => r.Partition.Value).Distinct().Count());
        }

        using var consumer = new ConsumerBuilder<string, string>(MockKafkaClients.GroupConsumer(kafka.BootstrapServers, MockKafkaFixture.NewGroupId())).Build();
        consumer.Subscribe(topic);
        try
        {
            var received = MockKafkaClients.ConsumeUpTo(consumer, count, TimeSpan.FromSeconds(20));

            Assert.Equal(Enumerable.Range(0, count).Select(i => $"value-{i}").Order(), received.Select(r => r.Message.Value).Order());
            Assert.All(received, r => Assert.Equal(
                "id-" + r.Message.Value["value-".Length..],
                Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes("ce_id"))));

            var committed = received.GroupBy(r => r.TopicPartition)
                .Select(g => new TopicPartitionOffset(g.Key, g.Max(r => r.Offset.Value) + 1))
                .ToList();
            consumer.Commit(committed);
            var stored = consumer.Committed(committed.Select(c => c.TopicPartition), TimeSpan.FromSeconds(10));
            foreach (var partition in stored)
            {
                var watermarks = consumer.QueryWatermarkOffsets(partition.TopicPartition, TimeSpan.FromSeconds(10));
                Assert.Equal(watermarks.High, partition.Offset);
            }

            Assert.Equal(count, stored.Sum(p => p.Offset.Value));
        }
        finally
        {
            consumer.Close();
        }
    }

    [Fact]
    public void CreateTopic_NameAlreadyExists_ThrowsKafkaExceptionNamingTheTopic()
    {
        var topic = kafka.CreateTopic("duplicate", partitions: 1);

        var error = Assert.Throws<KafkaException>(() => kafka.Cluster.CreateTopic(topic, 1));

        Assert.Equal(ErrorCode.TopicAlreadyExists, error.Error.Code);
        Assert.Contains(topic, error.Message);
    }

    [Fact]
    public void SetBrokerDown_UnknownBrokerId_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => kafka.Cluster.SetBrokerDown(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => kafka.Cluster.SetBrokerUp(kafka.Cluster.BrokerCount + 1));
    }
}
