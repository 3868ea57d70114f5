using FreshchatStream.Hosting;
using Microsoft.Extensions.Configuration;

namespace FreshchatStream.Producer.Publishing.Kafka;

/// <summary>
/// Kafka settings bound from <c>Kafka:*</c>. Named properties are the producer's own knobs; every other key in
/// the section (e.g. <c>Kafka:security.protocol</c>, <c>Kafka:sasl.password</c>) passes through to librdkafka
/// unchanged through <see cref="ClientSettings"/>. Values are never logged.
/// </summary>
public sealed class KafkaOptions
{
    public const string Section = "Kafka";

    /// <summary>Comma-separated <c>host:port</c> list (required).</summary>
    public string? BootstrapServers { get; set; }

    /// <summary>Topics are named <c>{TopicPrefix}.{resource}</c>; legal Kafka topic characters only.</summary>
    public string TopicPrefix { get; set; } = "freshchat";

    /// <summary>Create missing topics at start with the right cleanup policy.</summary>
    public bool CreateTopics { get; set; } = true;

    public int TopicPartitions { get; set; } = 3;

    /// <summary>1 for a single broker; 3 in production.</summary>
    public short ReplicationFactor { get; set; } = 1;

    /// <summary>librdkafka <c>message.timeout.ms</c>: how long a record may wait for an acknowledgement before its delivery fails.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long shutdown waits for in-flight records before closing the producer.</summary>
    public TimeSpan FlushTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long topic creation and inspection wait for the admin API before carrying on without it.</summary>
    public TimeSpan AdminTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>librdkafka properties from the section's remaining keys (dotted lower-case names).</summary>
    public IDictionary<string, string> ClientSettings { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The section's keys that are not named settings (of this or a lander's options), as librdkafka properties.</summary>
    public static Dictionary<string, string> ReadClientSettings(IConfigurationSection section) =>
        LibrdkafkaSettings.Read(section, typeof(KafkaOptions).GetProperties().Select(p => p.Name));
}
