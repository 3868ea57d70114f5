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

    /// <summary>
    /// The trap behind a "short" 50,000-message capture (issue #21): every record was delivered, yet a read from
    /// offset 0 came up short, because the mock drops a partition's oldest message sets past 5 MiB. Readers that
    /// count records check the low watermark (<see cref="MockPartitionLog"/>) so it fails as a harness limit.
    /// </summary>
    [Fact]
    [Trait("Issue", "#21")]
    public async Task Produce_MoreThanFiveMiBToOnePartition_OldestRecordsDropped_AndTheReaderCheckSaysSo()
    {
        var topic = kafka.CreateTopic("log-cap", partitions: 1);
        var value = new string('x', 64 * 1024);
        const int count = 100; // 6.25 MiB, uncompressed
        using (var producer = new ProducerBuilder<string, string>(MockKafkaClients.IdempotentProducer(kafka.BootstrapServers)).Build())
        {
            for (var i = 0; i < count; i++)
            {
                var result = await producer.ProduceAsync(topic, new Message<string, string> { Key = $"k{i}", Value = value });
                Assert.Equal(PersistenceStatus.Persisted, result.Status);
            }
        }

        using var consumer = new ConsumerBuilder<string, string>(MockKafkaClients.GroupConsumer(kafka.BootstrapServers, MockKafkaFixture.NewGroupId())).Build();
        var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, 0), TimeSpan.FromSeconds(10));
        Assert.Equal(count, watermarks.High.Value);
        Assert.InRange(watermarks.Low.Value, 1, count - 1);
        Assert.True((count - watermarks.Low.Value) * value.Length <= MockKafkaCluster.PartitionLogCapBytes);
        var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => MockPartitionLog.AssertComplete(consumer, topic, partitions: 1));
        Assert.Contains("keeps at most 5 MiB", failure.Message);

        var small = kafka.CreateTopic("log-cap-small", partitions: 1);
        using (var producer = new ProducerBuilder<string, string>(MockKafkaClients.IdempotentProducer(kafka.BootstrapServers)).Build())
        {
            await producer.ProduceAsync(small, new Message<string, string> { Key = "k", Value = value });
        }

        MockPartitionLog.AssertComplete(consumer, small, partitions: 1);
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
