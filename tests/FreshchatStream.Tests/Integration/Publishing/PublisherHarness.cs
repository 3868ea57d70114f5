using System.Text.Json;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Kafka;
using FreshchatStream.Sandbox.Kafka;
using FreshchatStream.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FreshchatStream.Tests.Integration.Publishing;

/// <summary>
/// A <see cref="ChangeEventPublisher"/> wired exactly as the producer wires it (<c>AddChangePublisher</c>) against a
/// mock cluster and the Schema Registry emulator, with a unique topic prefix whose topics are created through the
/// mock API (its admin API does not answer), plus a plain Confluent Avro consumer to read the topics back.
/// </summary>
internal sealed class PublisherHarness : IDisposable
{
    public static readonly DateTimeOffset CapturedAt = new(2025, 7, 4, 8, 0, 0, 123, TimeSpan.Zero);
    private readonly IHost _host;

    public PublisherHarness(MockKafkaCluster cluster, Uri registryUrl, int partitions = 3, TimeSpan? deliveryTimeout = null, bool createTopics = true, bool autoRegisterSchemas = false)
    {
        Cluster = cluster;
        RegistryUrl = registryUrl;
        Prefix = $"t{Guid.NewGuid():N}";
        Partitions = partitions;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = cluster.BootstrapServers,
            ["Kafka:TopicPrefix"] = Prefix,
            ["Kafka:CreateTopics"] = "false",
            ["Kafka:DeliveryTimeout"] = (deliveryTimeout ?? TimeSpan.FromSeconds(20)).ToString("c"),
            ["Kafka:FlushTimeout"] = "00:00:05",
            ["Kafka:retry.backoff.ms"] = "20",
            ["Kafka:reconnect.backoff.max.ms"] = "250",
            ["SchemaRegistry:Url"] = registryUrl.ToString(),
            ["SchemaRegistry:AutoRegisterSchemas"] = autoRegisterSchemas ? "true" : "false",
        });
        builder.AddChangePublisher();
        _host = builder.Build();
        Publisher = _host.Services.GetRequiredService<ChangeEventPublisher>();
        if (createTopics)
        {
            foreach (var topic in Publisher.Topics.All())
            {
                cluster.CreateTopic(topic.Name, partitions);
            }
        }
    }

    public MockKafkaCluster Cluster { get; }

    public Uri RegistryUrl { get; }

    public string Prefix { get; }

    public int Partitions { get; }

    public ChangeEventPublisher Publisher { get; }

    public IServiceProvider Services => _host.Services;

    public TopicNames Topics => Publisher.Topics;

    public static ChangeEvent Entity(TopicDescriptor resource, string json, ChangeOp op = ChangeOp.Create) =>
        ChangeEvent.ForEntity(resource, op, JsonDocument.Parse(json).RootElement, CapturedAt, "acme", $"/v2/{resource.Resource}");

    public async Task<DeliveryOutcome> PublishAsync(params ChangeEvent[] events)
    {
        var batch = Publisher.BeginBatch();
        foreach (var change in events)
        {
            await batch.AddAsync(change);
        }

        return await batch.CompleteAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Every record of an Avro topic, read from the beginning of each partition.</summary>
    public List<ConsumeResult<GenericRecord, GenericRecord>> ReadAvro(string topic, int expected)
    {
        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = RegistryUrl.ToString() });
        using var consumer = new ConsumerBuilder<GenericRecord, GenericRecord>(ConsumerConfig())
            .SetKeyDeserializer(new AvroDeserializer<GenericRecord>(registry).AsSyncOverAsync())
            .SetValueDeserializer(new AvroDeserializer<GenericRecord>(registry).AsSyncOverAsync())
            .Build();
        return Read(consumer, topic, expected);
    }

    /// <summary>Every record of a topic as raw bytes.</summary>
    public List<ConsumeResult<byte[], byte[]>> ReadRaw(string topic, int expected)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(ConsumerConfig()).Build();
        return Read(consumer, topic, expected);
    }

    private List<ConsumeResult<TKey, TValue>> Read<TKey, TValue>(IConsumer<TKey, TValue> consumer, string topic, int expected)
    {
        MockPartitionLog.AssignFromBeginning(consumer, topic, Partitions);
        var received = new List<ConsumeResult<TKey, TValue>>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (received.Count < expected && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false, Message: not null } result)
            {
                received.Add(result);
            }
        }

        // A duplicate would arrive right behind; give it a short chance to show up.
        var extraUntil = DateTime.UtcNow + TimeSpan.FromMilliseconds(300);
        while (DateTime.UtcNow < extraUntil)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false, Message: not null } result)
            {
                received.Add(result);
            }
        }

        return received;
    }

    private ConsumerConfig ConsumerConfig() => new()
    {
        BootstrapServers = Cluster.BootstrapServers,
        GroupId = "unused-" + Guid.NewGuid().ToString("N"),
        EnableAutoCommit = false,
    };

    public static string Header(Headers headers, string name) => System.Text.Encoding.UTF8.GetString(headers.GetLastBytes(name));

    public void Dispose() => _host.Dispose();
}
