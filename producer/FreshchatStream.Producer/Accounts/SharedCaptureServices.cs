using Confluent.SchemaRegistry;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Avro;
using FreshchatStream.Producer.Publishing.Kafka;
using FreshchatStream.Producer.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Accounts;

/// <summary>
/// What every account of a process shares, taken from the process's services: the one Kafka producer, the
/// Schema Registry client and registrar, the compiled schemas, the Redis multiplexer, the logger factory and the
/// clock — and the publisher of the shared topics, which holds no account state (each event carries its account).
/// </summary>
public sealed class SharedCaptureServices(IServiceProvider services)
{
    public KafkaConnection Connection { get; } = services.GetRequiredService<KafkaConnection>();

    public ISchemaRegistryClient Registry { get; } = services.GetRequiredService<ISchemaRegistryClient>();

    public SchemaRegistrar Registrar { get; } = services.GetRequiredService<SchemaRegistrar>();

    public EmbeddedSchemas Schemas { get; } = services.GetRequiredService<EmbeddedSchemas>();

    public PublishingMetrics PublishingMetrics { get; } = services.GetRequiredService<PublishingMetrics>();

    public TopicPartitionCounts PartitionCounts { get; } = services.GetRequiredService<TopicPartitionCounts>();

    public RedisConnection Redis { get; } = services.GetRequiredService<RedisConnection>();

    public ILoggerFactory LoggerFactory { get; } = services.GetRequiredService<ILoggerFactory>();

    public TimeProvider Time { get; } = services.GetRequiredService<TimeProvider>();

    /// <summary>The publisher of <c>Kafka:TopicPrefix</c>; an account with its own prefix gets its own.</summary>
    public ChangeEventPublisher Publisher { get; } = services.GetRequiredService<ChangeEventPublisher>();

    public DeadLetterPublisher DeadLetters { get; } = services.GetRequiredService<DeadLetterPublisher>();

    public string TopicPrefix { get; } = services.GetRequiredService<IOptions<KafkaOptions>>().Value.TopicPrefix;

    /// <summary>Registers the shared instances first, so the components' <c>TryAdd</c> registrations keep them.</summary>
    internal void AddTo(IServiceCollection target, ConfiguredAccount account)
    {
        target.AddSingleton(Connection);
        target.AddSingleton(Registry);
        target.AddSingleton(Registrar);
        target.AddSingleton(Schemas);
        target.AddSingleton(PublishingMetrics);
        target.AddSingleton(PartitionCounts);
        target.AddSingleton(Redis);
        target.AddSingleton(Time);
        target.AddSingleton<ILoggerFactory>(new AccountLoggerFactory(LoggerFactory, account.Name));
        if (string.Equals(account.TopicPrefix, TopicPrefix, StringComparison.Ordinal))
        {
            target.AddSingleton(Publisher);
            target.AddSingleton<IChangeSink>(Publisher);
            target.AddSingleton(DeadLetters);
        }

        target.AddSingleton<IPublishedRecordScan, KafkaRecordScan>();
        target.AddSingleton<IPublishedHistory, SharedTopicHistory>();
    }
}
