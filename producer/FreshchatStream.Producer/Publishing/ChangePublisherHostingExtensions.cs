using Confluent.SchemaRegistry;
using FreshchatStream.Hosting;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Avro;
using FreshchatStream.Producer.Publishing.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers the publishing side: Kafka and Schema Registry options (validated on start), the shared producer and the publisher.</summary>
public static class ChangePublisherHostingExtensions
{
    /// <summary>
    /// Adds <see cref="KafkaOptions"/> (<c>Kafka:*</c>, other keys passed to librdkafka),
    /// <see cref="SchemaRegistryOptions"/> (<c>SchemaRegistry:*</c>), one <see cref="KafkaConnection"/>, one
    /// <see cref="ISchemaRegistryClient"/>, <see cref="ITopicProvisioner"/>, <see cref="DeadLetterPublisher"/>
    /// and <see cref="ChangeEventPublisher"/>.
    /// </summary>
    public static IHostApplicationBuilder AddChangePublisher(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<KafkaOptions>()
            .BindConfiguration(KafkaOptions.Section)
            .Configure<IConfiguration>((options, configuration) =>
                options.ClientSettings = KafkaOptions.ReadClientSettings(configuration.GetSection(KafkaOptions.Section)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaOptions>, KafkaOptionsValidator>());
        services.AddOptionsWithValidateOnStart<SchemaRegistryOptions>().BindConfiguration(SchemaRegistryOptions.Section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SchemaRegistryOptions>, SchemaRegistryOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(EmbeddedSchemas.Instance);
        services.TryAddSingleton<PublishingMetrics>();
        services.TryAddSingleton<KafkaConnection>();
        services.TryAddSingleton<ISchemaRegistryClient>(provider => CreateRegistryClient(provider.GetRequiredService<IOptions<SchemaRegistryOptions>>().Value));
        services.TryAddSingleton<SchemaRegistrar>();
        services.TryAddSingleton<ITopicProvisioner, KafkaTopicProvisioner>();
        services.TryAddSingleton<TopicPartitionCounts>();
        services.TryAddSingleton<PublishedHistory>();
        services.TryAddSingleton<IPublishedHistory>(provider => provider.GetRequiredService<PublishedHistory>());
        services.TryAddSingleton<DeadLetterPublisher>();
        services.TryAddSingleton<ChangeEventPublisher>();
        services.TryAddSingleton<IChangeSink>(provider => provider.GetRequiredService<ChangeEventPublisher>());
        return builder;
    }

    internal static CachedSchemaRegistryClient CreateRegistryClient(SchemaRegistryOptions options) => new(SchemaRegistryClientConfig.Build(options));
}
