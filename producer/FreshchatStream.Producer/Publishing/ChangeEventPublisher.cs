using System.Collections.Concurrent;
using Avro;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using FreshchatStream.Hosting;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing.Avro;
using FreshchatStream.Producer.Publishing.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Publishing;

/// <summary>
/// The dispatcher of change events to Kafka (Debezium's <c>EventDispatcher</c> role). Serializes keys and
/// values with Confluent's Avro serializer (Schema Registry wire format, TopicNameStrategy, one cached
/// serializer per topic and part, one registry client per process), adds CloudEvents headers, places messages
/// by <c>murmur2(conversation_id)</c>, follows <c>d</c> events on compacted topics with a tombstone, and
/// dead-letters records that do not fit their schema. Use <see cref="BeginBatch"/> per unit of work and commit
/// cursors only when <see cref="DeliveryOutcome.AllDelivered"/>.
/// </summary>
public sealed partial class ChangeEventPublisher : IChangeSink
{
    private readonly KafkaConnection _connection;
    private readonly ISchemaRegistryClient _registry;
    private readonly SchemaRegistrar _registrar;
    private readonly ITopicProvisioner _provisioner;
    private readonly DeadLetterPublisher _deadLetters;
    private readonly TopicPartitionCounts _partitions;
    private readonly AvroEventBuilder _builder;
    private readonly KafkaOptions _kafka;
    private readonly SchemaRegistryOptions _schemaRegistry;
    private readonly ILogger<ChangeEventPublisher> _logger;
    private readonly ConcurrentDictionary<(string Topic, bool IsKey), AvroSerializer<GenericRecord>> _serializers = new();
    private readonly SemaphoreSlim _initialization = new(1, 1);
    private readonly AvroWireEncoder _encoder = new();
    private volatile IReadOnlyDictionary<string, RegisteredTopic> _registeredTopics = new Dictionary<string, RegisteredTopic>();
    private volatile bool _initialized;

    public ChangeEventPublisher(
        KafkaConnection connection,
        ISchemaRegistryClient registry,
        SchemaRegistrar registrar,
        ITopicProvisioner provisioner,
        DeadLetterPublisher deadLetters,
        TopicPartitionCounts partitions,
        AvroEventBuilder builder,
        IOptions<KafkaOptions> kafka,
        IOptions<SchemaRegistryOptions> schemaRegistry,
        ILogger<ChangeEventPublisher> logger,
        PublishingMetrics? metrics = null)
    {
        Metrics = metrics;
        _connection = connection;
        _registry = registry;
        _registrar = registrar;
        _provisioner = provisioner;
        _deadLetters = deadLetters;
        _partitions = partitions;
        _builder = builder;
        _kafka = kafka.Value;
        _schemaRegistry = schemaRegistry.Value;
        _logger = logger;
        Topics = new TopicNames(_kafka.TopicPrefix);
    }

    public TopicNames Topics { get; }

    internal KafkaOptions KafkaOptions => _kafka;

    internal IProducer<byte[], byte[]> Producer => _connection.Producer;

    internal DeadLetterPublisher DeadLetters => _deadLetters;

    internal PublishingMetrics? Metrics { get; }

    internal ILogger Logger => _logger;

    /// <summary>
    /// Registers the shipped schemas (unless <c>SchemaRegistry:AutoRegisterSchemas</c>) and creates missing
    /// topics (if <c>Kafka:CreateTopics</c>). Runs once; a failure is retried on the next call. Batches call it
    /// themselves, so calling it at start only moves errors earlier.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (_initialized)
        {
            return;
        }

        await _initialization.WaitAsync(cancellationToken);
        try
        {
            if (_initialized)
            {
                return;
            }

            if (!_schemaRegistry.AutoRegisterSchemas)
            {
                _registeredTopics = RegisteredTopics(await _registrar.RegisterAsync(Topics, cancellationToken));
            }

            if (_kafka.CreateTopics)
            {
                await _provisioner.EnsureTopicsAsync(Topics.All(), cancellationToken);
            }

            _initialized = true;
        }
        finally
        {
            _initialization.Release();
        }
    }

    /// <summary>Starts a batch: add events, then await <see cref="PublishBatch.CompleteAsync"/>.</summary>
    public PublishBatch BeginBatch() => new(this);

    IChangeSinkBatch IChangeSink.BeginBatch() => BeginBatch();

    internal async ValueTask<(byte[] Key, byte[] Value)> SerializeAsync(ChangeEvent change, string topic, string eventId, CancellationToken cancellationToken)
    {
        if (_registeredTopics.TryGetValue(topic, out var registered))
        {
            // Schemas registered at start: their ids are known, so the wire format is written here, from the JSON
            // when the schema has a plan (no GenericRecord), else from the record (what the serializer would do, minus its lookups).
            var keyBytes = registered.KeyPlan is { } keyPlan ? keyPlan.Encode(registered.KeyId, change, topic, eventId) : _encoder.Encode(registered.KeyId, _builder.BuildKey(change));
            var valueBytes = registered.ValuePlan is { } valuePlan
                ? valuePlan.Encode(registered.ValueId, change, topic, eventId)
                : _encoder.Encode(registered.ValueId, _builder.BuildValue(change, topic, eventId));
            return (keyBytes, valueBytes);
        }

        var keyRecord = _builder.BuildKey(change);
        var valueRecord = _builder.BuildValue(change, topic, eventId);
        var key = await Serializer(topic, isKey: true).SerializeAsync(keyRecord, new SerializationContext(MessageComponentType.Key, topic)).WaitAsync(cancellationToken);
        var value = await Serializer(topic, isKey: false).SerializeAsync(valueRecord, new SerializationContext(MessageComponentType.Value, topic)).WaitAsync(cancellationToken);
        return (key, value);
    }

    /// <summary>The explicit partition of a message record; null lets the murmur2_random partitioner hash the key.</summary>
    internal Partition PartitionFor(ChangeEvent change, string topic) =>
        change.Key.ConversationId is { } conversationId
            ? new Partition(KafkaMurmur2.Partition(conversationId, _partitions.Get(topic)))
            : Partition.Any;

    /// <summary>A record-level problem: the entity does not fit the schema. Anything else is infrastructure.</summary>
    internal static bool IsRecordProblem(Exception e) =>
        e is AvroMappingException or AvroException or AvroTypeException;

    private Dictionary<string, RegisteredTopic> RegisteredTopics(IReadOnlyDictionary<string, int> schemaIds)
    {
        var topics = new Dictionary<string, RegisteredTopic>(StringComparer.Ordinal);
        foreach (var resource in PublishedResources.All)
        {
            var topic = Topics.For(resource);
            if (schemaIds.TryGetValue($"{topic}-key", out var keyId) && schemaIds.TryGetValue($"{topic}-value", out var valueId))
            {
                topics[topic] = new RegisteredTopic(keyId, valueId, AvroRecordPlan.TryCompileKey(_builder.Schemas.Key(resource)),
                    AvroRecordPlan.TryCompileValue(resource, _builder.Schemas.Value(resource)));
            }
        }

        return topics;
    }

    private AvroSerializer<GenericRecord> Serializer(string topic, bool isKey) =>
        _serializers.GetOrAdd((topic, isKey), _ => new AvroSerializer<GenericRecord>(_registry, new AvroSerializerConfig
        {
            AutoRegisterSchemas = _schemaRegistry.AutoRegisterSchemas,
            SubjectNameStrategy = SubjectNameStrategy.Topic,
            UseLatestVersion = false,
        }));
}

/// <summary>A topic whose schemas were registered at start: their ids, and the direct writers of those schemas that have one.</summary>
internal sealed record RegisteredTopic(int KeyId, int ValueId, AvroRecordPlan? KeyPlan, AvroRecordPlan? ValuePlan);
