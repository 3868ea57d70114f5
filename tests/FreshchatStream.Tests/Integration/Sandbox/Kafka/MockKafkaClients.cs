using Confluent.Kafka;

namespace FreshchatStream.Tests.Integration.Sandbox.Kafka;

/// <summary>Client settings and bounded read loops for tests against a mock cluster, tuned for seconds not minutes.</summary>
internal static class MockKafkaClients
{
    public static ProducerConfig IdempotentProducer(string bootstrapServers) => new()
    {
        BootstrapServers = bootstrapServers,
        EnableIdempotence = true,
        Acks = Acks.All,
        LingerMs = 5,
        MessageTimeoutMs = 20_000,
        RetryBackoffMs = 20,
        RetryBackoffMaxMs = 200,
        // A broker that comes back must be found again quickly, not after the 10 s default backoff ceiling.
        ReconnectBackoffMs = 50,
        ReconnectBackoffMaxMs = 250,
    };

    public static ConsumerConfig GroupConsumer(string bootstrapServers, string groupId) => new()
    {
        BootstrapServers = bootstrapServers,
        GroupId = groupId,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        EnableAutoCommit = false,
        SessionTimeoutMs = 6_000,
        HeartbeatIntervalMs = 500,
        ReconnectBackoffMs = 50,
        ReconnectBackoffMaxMs = 250,
    };

    /// <summary>Reads until <paramref name="count"/> messages arrived or the time is up; returns what arrived.</summary>
    public static List<ConsumeResult<string, string>> ConsumeUpTo(IConsumer<string, string> consumer, int count, TimeSpan timeout)
    {
        var received = new List<ConsumeResult<string, string>>();
        var deadline = DateTime.UtcNow + timeout;
        while (received.Count < count && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is { IsPartitionEOF: false, Message: not null })
            {
                received.Add(result);
            }
        }

        return received;
    }

    /// <summary>Every message of <paramref name="topic"/> (read without a group), waiting at most a few seconds.</summary>
    public static List<ConsumeResult<string, string>> ReadTopic(string bootstrapServers, string topic, int partitions, int expected)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "unused-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
        };
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var received = ConsumeUpTo(consumer, expected, TimeSpan.FromSeconds(10));

        // Anything beyond `expected` (a duplicate) would arrive right behind; give it a short chance to show up.
        received.AddRange(ConsumeUpTo(consumer, 1, TimeSpan.FromMilliseconds(500)));
        return received;
    }
}
