using Avro;
using Confluent.Kafka;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing.Avro;
using FreshchatStream.Producer.Publishing.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Publishing;

/// <summary>
/// The dispatcher of change events to Kafka (Debezium's <c>EventDispatcher</c> role). Serializes keys and
/// values with the <see cref="AvroRecordPlan"/> of each shipped schema, in the Schema Registry wire format with
/// the ids <see cref="SchemaRegistrar"/> registered at start (TopicNameStrategy), adds CloudEvents headers, places messages
/// by <c>murmur2(conversation_id)</c>, follows <c>d</c> events on compacted topics with a tombstone, and
/// dead-letters records that do not fit their schema. Use <see cref="BeginBatch"/> per unit of work and commit
/// cursors only when <see cref="DeliveryOutcome.AllDelivered"/>.
/// </summary>
public sealed class ChangeEventPublisher : IChangeSink
{
    private readonly KafkaConnection _connection;
    private readonly SchemaRegistrar _registrar;
    private readonly ITopicProvisioner _provisioner;
    private readonly DeadLetterPublisher _deadLetters;
    private readonly TopicPartitionCounts _partitions;
    private readonly EmbeddedSchemas _schemas;
    private readonly KafkaOptions _kafka;
    private readonly ILogger<ChangeEventPublisher> _logger;
    private readonly SemaphoreSlim _initialization = new(1, 1);
    private volatile IReadOnlyDictionary<string, RegisteredTopic> _registeredTopics = new Dictionary<string, RegisteredTopic>();
    private volatile bool _initialized;

    public ChangeEventPublisher(
        KafkaConnection connection,
        SchemaRegistrar registrar,
        ITopicProvisioner provisioner,
        DeadLetterPublisher deadLetters,
        TopicPartitionCounts partitions,
        EmbeddedSchemas schemas,
        IOptions<KafkaOptions> kafka,
        ILogger<ChangeEventPublisher> logger,
        PublishingMetrics? metrics = null)
    {
        Metrics = metrics;
        _connection = connection;
        _registrar = registrar;
        _provisioner = provisioner;
        _deadLetters = deadLetters;
        _partitions = partitions;
        _schemas = schemas;
        _kafka = kafka.Value;
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
    /// Compiles every shipped schema to its <see cref="AvroRecordPlan"/> (a schema without one fails with
    /// <see cref="SchemaPlanException"/> naming it), registers the schemas through <see cref="SchemaRegistrar"/>
    /// (whatever <c>SchemaRegistry:AutoRegisterSchemas</c> says) and creates missing topics (if <c>Kafka:CreateTopics</c>).
    /// Runs once; a failure is retried on the next call. Batches call it themselves, so calling it at start only moves errors earlier.
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

            // Compiled before anything is registered, so an unsupported schema stops start-up without touching the registry.
            var plans = CompilePlans(_schemas);
            _registeredTopics = RegisteredTopics(plans, await _registrar.RegisterAsync(Topics, cancellationToken));

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

    internal ValueTask<(byte[] Key, byte[] Value)> SerializeAsync(ChangeEvent change, string topic, string eventId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_registeredTopics.TryGetValue(topic, out var registered))
        {
            // Batches initialize the publisher before they serialize, and every resource topic is registered then.
            throw new InvalidOperationException($"Topic {topic} has no registered schemas; the publisher was not initialized.");
        }

        return ValueTask.FromResult((registered.KeyPlan.Encode(registered.KeyId, change, topic, eventId), registered.ValuePlan.Encode(registered.ValueId, change, topic, eventId)));
    }

    /// <summary>The key and value plans of every published resource; throws <see cref="SchemaPlanException"/> naming the first schema without one.</summary>
    internal static IReadOnlyDictionary<TopicDescriptor, (AvroRecordPlan Key, AvroRecordPlan Value)> CompilePlans(EmbeddedSchemas schemas)
    {
        var plans = new Dictionary<TopicDescriptor, (AvroRecordPlan Key, AvroRecordPlan Value)>();
        foreach (var resource in CaptureCatalogue.Topics)
        {
            plans[resource] = (AvroRecordPlan.CompileKey(schemas.Key(resource), resource.KeySchemaFile),
                AvroRecordPlan.CompileValue(resource, schemas.Value(resource), resource.ValueSchemaFile));
        }

        return plans;
    }

    /// <summary>The explicit partition of a message record; null lets the murmur2_random partitioner hash the key.</summary>
    internal Partition PartitionFor(ChangeEvent change, string topic) =>
        change.Key.ConversationId is { } conversationId
            ? new Partition(KafkaMurmur2.Partition(conversationId, _partitions.Get(topic)))
            : Partition.Any;

    /// <summary>A record-level problem: the entity does not fit the schema. Anything else is infrastructure.</summary>
    internal static bool IsRecordProblem(Exception e) =>
        e is AvroMappingException or AvroException or AvroTypeException;

    private Dictionary<string, RegisteredTopic> RegisteredTopics(
        IReadOnlyDictionary<TopicDescriptor, (AvroRecordPlan Key, AvroRecordPlan Value)> plans, IReadOnlyDictionary<string, int> schemaIds)
    {
        var topics = new Dictionary<string, RegisteredTopic>(StringComparer.Ordinal);
        foreach (var (resource, plan) in plans)
        {
            var topic = Topics.For(resource);
            topics[topic] = new RegisteredTopic(schemaIds[$"{topic}-key"], schemaIds[$"{topic}-value"], plan.Key, plan.Value);
        }

        return topics;
    }
}

/// <summary>A topic whose schemas were registered at start: their ids, and the plans that write them.</summary>
internal sealed record RegisteredTopic(int KeyId, int ValueId, AvroRecordPlan KeyPlan, AvroRecordPlan ValuePlan);
